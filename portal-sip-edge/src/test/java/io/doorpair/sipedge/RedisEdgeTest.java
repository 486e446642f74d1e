package io.doorpair.sipedge;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.redis.RedisBindings;
import io.doorpair.sipedge.redis.RedisConnection;
import io.doorpair.sipedge.redis.RedisSettings;
import io.doorpair.sipedge.registrar.Binding;
import io.doorpair.sipedge.registrar.RegistrationPolicy;
import io.doorpair.sipedge.stack.StackSettings;
import io.doorpair.sipedge.testing.SipTlsClient;
import io.doorpair.sipedge.testing.SipTlsClient.Request;
import io.doorpair.sipedge.testing.SipTlsClient.Response;
import io.doorpair.sipedge.testing.TestRedis;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The edge over real TLS sockets with its bindings in a real Redis: registration and a call, a
 * closed connection's bindings removed from Redis, and a Redis that does not answer turning into
 * {@code 503} instead of a hung request.
 */
class RedisEdgeTest {
  private static final String DOMAIN = "portal.test";
  private static final TestPki PKI = TestPki.shared();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private String prefix;

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    if (prefix != null) {
      TestRedis.deleteKeys(prefix);
    }
  }

  private RunningSipEdge edge(RedisSettings settings, String node) throws IOException {
    RunningSipEdge edge = SipEdge.start(config(), settings, node);
    resources.add(edge);
    return edge;
  }

  private static SipEdgeConfig config() {
    Leaf server = PKI.issueServer("127.0.0.1");
    return new SipEdgeConfig(
        SipEdgeConfig.parseListen("127.0.0.1:0"),
        DOMAIN,
        List.of(PKI.caCertificate()),
        server.keys().getPrivate(),
        List.of(server.certificate()),
        RegistrationPolicy.DEFAULT,
        new StackSettings("test-redis-edge", 65536, 4, 600_000, 5000),
        Optional.empty(),
        SipEdgeConfig.DEFAULT_TIMER_C);
  }

  private RunningSipEdge edge(RedisSettings settings) throws IOException {
    RedisConnection redis = RedisConnection.open(settings);
    resources.add(redis);
    Leaf server = PKI.issueServer("127.0.0.1");
    RunningSipEdge edge =
        SipEdge.start(
            new SipEdgeConfig(
                SipEdgeConfig.parseListen("127.0.0.1:0"),
                DOMAIN,
                List.of(PKI.caCertificate()),
                server.keys().getPrivate(),
                List.of(server.certificate()),
                RegistrationPolicy.DEFAULT,
                new StackSettings("test-redis-edge", 65536, 4, 600_000, 5000),
                Optional.empty(),
                SipEdgeConfig.DEFAULT_TIMER_C),
            new RedisBindings(redis, "node-1", Clock.systemUTC()),
            Clock.systemUTC());
    resources.add(edge);
    return edge;
  }

  private SipTlsClient connect(RunningSipEdge edge, Leaf leaf) throws IOException {
    SipTlsClient client =
        SipTlsClient.connect(edge.sipAddress(), Optional.of(leaf), PKI.caCertificate());
    resources.add(client);
    return client;
  }

  private static String register(Leaf leaf, String contact) {
    String user = CertificateIdentity.of(leaf.certificate()).commonName();
    UUID instance = CertificateIdentity.of(leaf.certificate()).instance().orElseThrow();
    return SipTlsClient.request(
        "REGISTER",
        "sip:" + DOMAIN,
        "<sip:" + user + ">",
        "<sip:" + user + ">",
        "Contact: <" + contact + ">;+sip.instance=\"<urn:uuid:" + instance + ">\"",
        "Expires: 600");
  }

  @Test
  void registration_and_call_go_through_redis_and_a_closed_flow_leaves_it() throws Exception {
    prefix = TestRedis.uniquePrefix();
    RunningSipEdge edge = edge(RedisSettings.of(TestRedis.require()).withKeyPrefix(prefix));
    String user = "rita" + SipTlsClient.token().substring(0, 6);
    Leaf phone = PKI.issueClient(user + "@" + DOMAIN, Optional.of(UUID.randomUUID()));
    Leaf caller = PKI.issueClient("carl@" + DOMAIN, Optional.of(UUID.randomUUID()));
    SipTlsClient phoneFlow = connect(edge, phone);
    String contact = "sip:phone@192.0.2.10:5999;transport=tls";
    assertThat(phoneFlow.send(register(phone, contact)).status()).isEqualTo(200);

    List<Binding> stored = edge.bindings().of(user + "@" + DOMAIN, Instant.now());
    assertThat(stored)
        .extracting(Binding::node, Binding::flow)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "node-1", "tls:127.0.0.1:" + phoneFlow.localPort()));

    SipTlsClient callerFlow = connect(edge, caller);
    String message =
        SipTlsClient.request(
            "MESSAGE",
            "sip:" + user + "@" + DOMAIN,
            "<sip:carl@" + DOMAIN + ">",
            "<sip:" + user + "@" + DOMAIN + ">");
    callerFlow.write(message);
    Request received = phoneFlow.awaitRequest("MESSAGE");
    assertThat(received.uri()).isEqualTo(contact);
    phoneFlow.reply(received, 200, "OK", "t1");
    assertThat(callerFlow.awaitResponse(200).status()).isEqualTo(200);

    phoneFlow.close();
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!edge.bindings().of(user + "@" + DOMAIN, Instant.now()).isEmpty()
        && System.nanoTime() < guard) {
      Thread.sleep(50); // polling for the cleanup thread, not a timed assertion
    }
    assertThat(edge.bindings().of(user + "@" + DOMAIN, Instant.now()))
        .as("binding of the closed connection")
        .isEmpty();
    callerFlow.write(
        SipTlsClient.request(
            "MESSAGE",
            "sip:" + user + "@" + DOMAIN,
            "<sip:carl@" + DOMAIN + ">",
            "<sip:" + user + "@" + DOMAIN + ">"));
    assertThat(callerFlow.awaitResponse(480).status()).isEqualTo(480);
  }

  @Test
  void a_crl_published_on_one_node_cuts_the_revoked_connection_on_another() throws Exception {
    prefix = TestRedis.uniquePrefix();
    RedisSettings shared = RedisSettings.of(TestRedis.require()).withKeyPrefix(prefix);
    RunningSipEdge one = edge(shared, "node-1");
    RunningSipEdge two = edge(shared, "node-2");
    Leaf stolen = PKI.issueClient("sam@" + DOMAIN, Optional.of(UUID.randomUUID()));
    Leaf kept = PKI.issueClient("kim@" + DOMAIN, Optional.of(UUID.randomUUID()));
    SipTlsClient stolenFlow = connect(two, stolen);
    SipTlsClient keptFlow = connect(two, kept);
    assertThat(stolenFlow.send(register(stolen, "sip:s@192.0.2.1:5999;transport=tls")).status())
        .isEqualTo(200);

    one.publishCrl(PKI.crl(stolen.serial()));
    assertThat(stolenFlow.awaitClosedByServer()).as("cut on node 2").isTrue();
    assertThat(keptFlow.send(register(kept, "sip:k@192.0.2.1:5999;transport=tls")).status())
        .isEqualTo(200);
  }

  @Test
  void a_redis_that_never_answers_gets_503_not_a_hung_request() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> held = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (!silent.isClosed()) {
                    held.add(silent.accept()); // read nothing, answer nothing
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      RunningSipEdge edge =
          edge(
              RedisSettings.of("redis://127.0.0.1:" + silent.getLocalPort())
                  .withKeyPrefix("test:hung:")
                  .withTimeout(Duration.ofMillis(300)));
      Leaf phone = PKI.issueClient("hank@" + DOMAIN, Optional.of(UUID.randomUUID()));
      SipTlsClient flow = connect(edge, phone);
      Response refused = flow.send(register(phone, "sip:hank@192.0.2.10:5999;transport=tls"));
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.reason()).isEqualTo("Registrations store unavailable");
      assertThat(refused.header("Retry-After")).isNotEmpty();

      flow.write(
          SipTlsClient.request(
              "MESSAGE",
              "sip:someone@" + DOMAIN,
              "<sip:hank@" + DOMAIN + ">",
              "<sip:someone@" + DOMAIN + ">"));
      assertThat(flow.awaitResponse(503).reason()).isEqualTo("Registrations store unavailable");
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
