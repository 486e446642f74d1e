package io.doorpair.sipedge;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
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
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * A node bound on the wildcard address and advertising {@code 127.0.0.1:PORT} ({@code
 * --advertise}): its heartbeat, the Path of its bindings and its Record-Route carry the advertised
 * address, the other node links to it there, and a call from a gateway on node 1 reaches an app on
 * node 2 and is answered.
 */
class NodeAdvertiseTest {
  private static final String DOMAIN = "portal.test";
  private static final String GW_DOMAIN = "gwadvert12345";
  private static final TestPki PKI = TestPki.shared();

  private final List<AutoCloseable> resources = new ArrayList<>();
  private String prefix;
  private RedisSettings shared;

  @BeforeEach
  void redis() {
    prefix = TestRedis.uniquePrefix();
    shared = RedisSettings.of(TestRedis.require()).withKeyPrefix(prefix);
  }

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (IOException | RuntimeException e) {
        // already closed by the test
      }
    }
    if (prefix != null) {
      TestRedis.deleteKeys(prefix);
    }
  }

  private RunningSipEdge node(String name, String listen, Optional<InetSocketAddress> advertise)
      throws IOException {
    Leaf certificate = PKI.issueNode(name + ".nodes.test", "127.0.0.1");
    RunningSipEdge edge =
        SipEdge.start(
            new SipEdgeConfig(
                SipEdgeConfig.parseListen(listen),
                DOMAIN,
                List.of(PKI.caCertificate()),
                certificate.keys().getPrivate(),
                List.of(certificate.certificate()),
                RegistrationPolicy.DEFAULT,
                new StackSettings("test-advertise-" + name, 65536, 4, 600_000, 5000),
                Optional.empty(),
                SipEdgeConfig.DEFAULT_TIMER_C,
                advertise),
            shared,
            name);
    resources.add(edge);
    return edge;
  }

  private SipTlsClient connect(InetSocketAddress address, Leaf leaf) throws IOException {
    SipTlsClient client = SipTlsClient.connect(address, Optional.of(leaf), PKI.caCertificate());
    resources.add(client);
    return client;
  }

  private static void register(SipTlsClient client, Leaf leaf) throws IOException {
    CertificateIdentity id = CertificateIdentity.of(leaf.certificate());
    String aor = id.commonName();
    String contact = "Contact: <sip:" + aor.replace('@', '-') + "@192.0.2.40:5999;transport=tls>";
    if (id.instance().isPresent()) {
      contact += ";+sip.instance=\"<urn:uuid:" + id.instance().get() + ">\"";
    }
    Response ok =
        client.send(
            SipTlsClient.request(
                "REGISTER",
                "sip:" + DOMAIN,
                "<sip:" + aor + ">",
                "<sip:" + aor + ">",
                contact,
                "Expires: 600"));
    assertThat(ok.status()).as("REGISTER of " + aor).isEqualTo(200);
  }

  @Test
  void a_node_on_the_wildcard_address_announces_and_routes_by_its_advertised_address()
      throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    InetSocketAddress reached = SipEdgeConfig.parseAdvertise("127.0.0.1:" + port);
    RunningSipEdge one = node("node-1", "127.0.0.1:0", Optional.empty());
    RunningSipEdge two = node("node-2", "0.0.0.0:" + port, Optional.of(reached));
    assertThat(two.sipAddress().getAddress().isAnyLocalAddress()).isTrue();
    assertThat(two.announcedAddress()).isEqualTo(reached);
    try (RedisClient client = TestRedis.client()) {
      assertThat(client.get(prefix + "node:node-2")).isEqualTo("127.0.0.1:" + port);
    }
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (one.linkTo("node-2").isEmpty() && System.nanoTime() < guard) {
      Thread.sleep(50); // polling for the link's first pong, not a timed assertion
    }
    assertThat(one.linkTo("node-2")).as("node 1's link to the advertised address").isPresent();

    String aor = "ada" + SipTlsClient.token().substring(0, 6) + "@" + DOMAIN;
    Leaf app = PKI.issueClient(aor, Optional.of(UUID.randomUUID()));
    Leaf gateway = PKI.issueClient("ipgw@" + GW_DOMAIN, Optional.empty());
    SipTlsClient phone = connect(reached, app);
    register(phone, app);
    List<Binding> held = one.bindings().of(aor, Instant.now());
    assertThat(held).hasSize(1);
    assertThat(held.get(0).path()).contains("@127.0.0.1:" + port + ";");
    SipTlsClient gw = connect(one.sipAddress(), gateway);
    register(gw, gateway);

    String invite =
        SipTlsClient.request(
            "INVITE",
            "sip:" + aor,
            "<sip:ipgw@" + GW_DOMAIN + ">",
            "<sip:" + aor + ">",
            "Contact: <sip:caller@192.0.2.30:5999;transport=tls>");
    gw.write(invite);
    Request ringing = phone.awaitRequest("INVITE");
    assertThat(String.join("\n", ringing.header("Record-Route")))
        .as("node 2 Record-Routes with its advertised address")
        .contains("@127.0.0.1:" + port + ";")
        .doesNotContain("0.0.0.0");
    phone.reply(ringing, 200, "OK", "tag-app", "Contact: <sip:app@192.0.2.40:5999;transport=tls>");
    assertThat(gw.awaitResponse(200).first("To")).contains("tag=tag-app");
  }
}
