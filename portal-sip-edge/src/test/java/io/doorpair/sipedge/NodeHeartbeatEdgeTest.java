package io.doorpair.sipedge;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.redis.RedisBindings;
import io.doorpair.sipedge.redis.RedisConnection;
import io.doorpair.sipedge.redis.RedisNodeHeartbeat;
import io.doorpair.sipedge.redis.RedisSettings;
import io.doorpair.sipedge.registrar.Binding;
import io.doorpair.sipedge.registrar.RegistrationPolicy;
import io.doorpair.sipedge.stack.StackSettings;
import io.doorpair.sipedge.testing.SipTlsClient;
import io.doorpair.sipedge.testing.SipTlsClient.Request;
import io.doorpair.sipedge.testing.SipTlsClient.Response;
import io.doorpair.sipedge.testing.TestRedis;
import java.io.IOException;
import java.net.InetSocketAddress;
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
 * Two edges on one real Redis, each with its heartbeat: bindings held by a node that stopped (or
 * died without a word) are removed when a call meets them, the call gets a fast {@code 480} instead
 * of hanging, and the device that registers again on the running node is reached.
 */
class NodeHeartbeatEdgeTest {
  private static final String DOMAIN = "portal.test";
  private static final TestPki PKI = TestPki.shared();

  /** Far above the milliseconds a 480 takes, far below timer C's 180 s (a hanging call). */
  private static final long FAST_MILLIS = 15_000;

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
                new StackSettings("test-heartbeat-" + node, 65536, 4, 600_000, 5000),
                Optional.empty(),
                SipEdgeConfig.DEFAULT_TIMER_C),
            settings,
            node);
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

  private static String invite(String caller, String callee) {
    return SipTlsClient.request(
        "INVITE",
        "sip:" + callee,
        "<sip:" + caller + ">",
        "<sip:" + callee + ">",
        "Contact: <sip:" + caller.replace('@', '-') + "@192.0.2.20:5999;transport=tls>");
  }

  /** Sends an INVITE and returns its final response, checking that it came fast; ACKs it. */
  private static Response call(SipTlsClient from, String caller, String callee) throws IOException {
    String invite = invite(caller, callee);
    long start = System.nanoTime();
    Response answer = from.send(invite);
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(took).as("ms to the final response").isLessThan(FAST_MILLIS);
    if (answer.status() >= 300) {
      from.write(SipTlsClient.ackOf(invite, answer));
    }
    return answer;
  }

  @Test
  void bindings_of_a_node_that_died_silently_are_removed_and_the_call_fails_fast()
      throws Exception {
    prefix = TestRedis.uniquePrefix();
    RedisSettings shared = RedisSettings.of(TestRedis.require()).withKeyPrefix(prefix);
    RunningSipEdge one = edge(shared, "node-1");
    String user = "dora" + SipTlsClient.token().substring(0, 6);
    String aor = user + "@" + DOMAIN;
    Leaf phone = PKI.issueClient(aor, Optional.of(UUID.randomUUID()));
    Leaf caller = PKI.issueClient("carl@" + DOMAIN, Optional.of(UUID.randomUUID()));

    // a node "ghost" that registered the phone, then died: it stops writing to Redis
    RedisConnection ghostRedis = RedisConnection.open(shared);
    resources.add(ghostRedis);
    RedisNodeHeartbeat ghost =
        new RedisNodeHeartbeat(
            ghostRedis, "ghost", Duration.ofMillis(2000), Duration.ofMillis(500));
    resources.add(ghost);
    ghost.start(new InetSocketAddress("127.0.0.1", 1));
    UUID instance = CertificateIdentity.of(phone.certificate()).instance().orElseThrow();
    new RedisBindings(ghostRedis, "ghost", Clock.systemUTC())
        .put(
            new Binding(
                aor,
                "urn:uuid:" + instance,
                "sip:phone@192.0.2.10:5999;transport=tls",
                Optional.of(instance),
                "tls:127.0.0.1:40000",
                Instant.now().plusSeconds(600)));

    SipTlsClient callerFlow = connect(one, caller);
    assertThat(call(callerFlow, "carl@" + DOMAIN, aor).status()).isEqualTo(480);
    assertThat(one.bindings().of(aor, Instant.now()))
        .as("a running node's binding is kept")
        .extracting(Binding::node)
        .containsExactly("ghost");

    ghostRedis.close(); // the heartbeat can no longer be written: it lapses in 2 s
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!one.bindings().of(aor, Instant.now()).isEmpty() && System.nanoTime() < guard) {
      assertThat(call(callerFlow, "carl@" + DOMAIN, aor).status()).isEqualTo(480);
      Thread.sleep(200); // polling for the heartbeat to lapse, not a timed assertion
    }
    assertThat(one.bindings().of(aor, Instant.now()))
        .as("binding of the dead node removed by the call that met it")
        .isEmpty();

    SipTlsClient phoneFlow = connect(one, phone);
    assertThat(phoneFlow.send(register(phone, "sip:phone@192.0.2.10:5999;transport=tls")).status())
        .isEqualTo(200);
    callerFlow.write(invite("carl@" + DOMAIN, aor));
    Request ringing = phoneFlow.awaitRequest("INVITE");
    phoneFlow.reply(ringing, 486, "Busy Here", "p1");
    assertThat(callerFlow.awaitResponse(486).status()).as("reached on node 1").isEqualTo(486);
  }

  @Test
  void a_stopped_node_leaves_no_reachable_binding_and_the_device_moves_to_the_other_node()
      throws Exception {
    prefix = TestRedis.uniquePrefix();
    RedisSettings shared = RedisSettings.of(TestRedis.require()).withKeyPrefix(prefix);
    RunningSipEdge one = edge(shared, "node-1");
    RunningSipEdge two = edge(shared, "node-2");
    String user = "eve" + SipTlsClient.token().substring(0, 6);
    String aor = user + "@" + DOMAIN;
    Leaf phone = PKI.issueClient(aor, Optional.of(UUID.randomUUID()));
    Leaf caller = PKI.issueClient("carl@" + DOMAIN, Optional.of(UUID.randomUUID()));
    String contact = "sip:phone@192.0.2.10:5999;transport=tls";
    SipTlsClient onTwo = connect(two, phone);
    assertThat(onTwo.send(register(phone, contact)).status()).isEqualTo(200);
    assertThat(TestRedis.keys(prefix)).contains(prefix + "node:node-1", prefix + "node:node-2");

    SipTlsClient callerFlow = connect(one, caller);
    two.close();
    assertThat(TestRedis.keys(prefix)).doesNotContain(prefix + "node:node-2");
    assertThat(call(callerFlow, "carl@" + DOMAIN, aor).status()).isEqualTo(480);
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!one.bindings().of(aor, Instant.now()).isEmpty() && System.nanoTime() < guard) {
      Thread.sleep(50); // polling for the removal, not a timed assertion
    }
    assertThat(one.bindings().of(aor, Instant.now())).as("node 2's binding").isEmpty();

    SipTlsClient onOne = connect(one, phone);
    assertThat(onOne.send(register(phone, contact)).status()).isEqualTo(200);
    callerFlow.write(invite("carl@" + DOMAIN, aor));
    Request ringing = onOne.awaitRequest("INVITE");
    onOne.reply(ringing, 486, "Busy Here", "p1");
    assertThat(callerFlow.awaitResponse(486).status()).as("reached on node 1").isEqualTo(486);
  }

  @Test
  void a_client_certificate_cannot_pose_as_a_node_relaying_for_another_user() throws Exception {
    prefix = TestRedis.uniquePrefix();
    RedisSettings shared = RedisSettings.of(TestRedis.require()).withKeyPrefix(prefix);
    RunningSipEdge one = edge(shared, "node-1");
    RunningSipEdge two = edge(shared, "node-2");
    String user = "fay" + SipTlsClient.token().substring(0, 6);
    String aor = user + "@" + DOMAIN;
    Leaf phone = PKI.issueClient(aor, Optional.of(UUID.randomUUID()));
    Leaf mallory = PKI.issueClient("mallory@" + DOMAIN, Optional.of(UUID.randomUUID()));
    SipTlsClient phoneFlow = connect(one, phone);
    assertThat(phoneFlow.send(register(phone, "sip:p@192.0.2.10:5999;transport=tls")).status())
        .isEqualTo(200);

    // what a request relayed by node 2 would look like: node 2's Via on top, its Record-Route,
    // From another user; sent over a connection with an app certificate
    InetSocketAddress nodeTwo = two.sipAddress();
    String relayed =
        SipTlsClient.request(
                "INVITE",
                "sip:" + aor,
                "<sip:bob@" + DOMAIN + ">",
                "<sip:" + aor + ">",
                "Record-Route: <sip:"
                    + nodeTwo.getHostString()
                    + ":"
                    + nodeTwo.getPort()
                    + ";transport=tls;lr>",
                "Contact: <sip:bob@192.0.2.30:5999;transport=tls>")
            .replaceFirst(
                "Via: ",
                "Via: SIP/2.0/TLS "
                    + nodeTwo.getHostString()
                    + ":"
                    + nodeTwo.getPort()
                    + ";branch=z9hG4bK"
                    + SipTlsClient.token()
                    + "\r\nVia: ");
    SipTlsClient malloryFlow = connect(one, mallory);
    Response refused = malloryFlow.send(relayed);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.reason()).isEqualTo("Bad tls client certificate");
    assertThat(phoneFlow.poll(m -> m instanceof Request, 500))
        .as("nothing reached the phone")
        .isEmpty();
  }
}
