package io.doorpair.sipedge;

import static io.doorpair.sipedge.NodesOnRedis.awaitLink;
import static io.doorpair.sipedge.NodesOnRedis.register;
import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.registrar.Binding;
import io.doorpair.sipedge.testing.SipTlsClient;
import io.doorpair.sipedge.testing.SipTlsClient.Request;
import io.doorpair.sipedge.testing.TestRedis;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
  private static final String DOMAIN = NodesOnRedis.DOMAIN;
  private static final String GW_DOMAIN = "gwadvert12345";
  private static final TestPki PKI = TestPki.shared();

  private NodesOnRedis nodes;

  @BeforeEach
  void redis() {
    nodes = new NodesOnRedis("test-advertise-");
  }

  @AfterEach
  void close() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void a_node_on_the_wildcard_address_announces_and_routes_by_its_advertised_address()
      throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    InetSocketAddress reached = SipEdgeConfig.parseAdvertise("127.0.0.1:" + port);
    RunningSipEdge one = nodes.start("node-1");
    RunningSipEdge two = nodes.start("node-2", "0.0.0.0:" + port, Optional.of(reached));
    assertThat(two.sipAddress().getAddress().isAnyLocalAddress()).isTrue();
    assertThat(two.announcedAddress()).isEqualTo(reached);
    try (RedisClient client = TestRedis.client()) {
      assertThat(client.get(nodes.prefix() + "node:node-2")).isEqualTo("127.0.0.1:" + port);
    }
    awaitLink(one, "node-2", "node 1's link to the advertised address");

    String aor = "ada" + SipTlsClient.token().substring(0, 6) + "@" + DOMAIN;
    Leaf app = PKI.issueClient(aor, Optional.of(UUID.randomUUID()));
    Leaf gateway = PKI.issueClient("ipgw@" + GW_DOMAIN, Optional.empty());
    SipTlsClient phone = nodes.connect(reached, app);
    register(phone, app, "Expires: 600");
    List<Binding> held = one.bindings().of(aor, Instant.now());
    assertThat(held).hasSize(1);
    assertThat(held.get(0).path()).contains("@127.0.0.1:" + port + ";");
    SipTlsClient gw = nodes.connect(one, gateway);
    register(gw, gateway, "Expires: 600");

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
