package io.doorpair.sipedge;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.redis.RedisSettings;
import io.doorpair.sipedge.registrar.RegistrationPolicy;
import io.doorpair.sipedge.stack.StackSettings;
import io.doorpair.sipedge.testing.LinphoneConfig;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import io.doorpair.sipedge.testing.Peers;
import io.doorpair.sipedge.testing.TestRedis;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's forked call with real Linphones across two SIP nodes on one real Redis: a Linphone with
 * a gateway certificate registers on node 1, two Linphone devices of one user on node 2; the
 * gateway calls the user; both devices ring through the node-to-node link, one answers, the other
 * is cancelled across the link, the gateway hangs up.
 */
class LinphoneNodesCallTest {
  private static final String DOMAIN = "portal.test";
  private static final String GATEWAY_DOMAIN = "n0d3s7k2p9m4";
  private static final TestPki PKI = TestPki.shared();

  private final List<AutoCloseable> resources = new ArrayList<>();
  private String prefix;

  @BeforeEach
  void peer() { // per test, so that each skip shows its reason
    Peers.require("linphone-daemon", "linphone-cli");
  }

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    if (prefix != null) {
      TestRedis.deleteKeys(prefix);
    }
  }

  private RunningSipEdge node(RedisSettings shared, String name) throws IOException {
    // Linphone checks the server name against DNS SANs only (not IP SANs): it dials localhost
    Leaf certificate = PKI.issueNode("localhost", "127.0.0.1");
    RunningSipEdge edge =
        SipEdge.start(
            new SipEdgeConfig(
                SipEdgeConfig.parseListen("127.0.0.1:0"),
                DOMAIN,
                List.of(PKI.caCertificate()),
                certificate.keys().getPrivate(),
                List.of(certificate.certificate()),
                RegistrationPolicy.DEFAULT,
                new StackSettings("test-linphone-nodes-" + name, 65536, 4, 600_000, 5000),
                Optional.empty(),
                SipEdgeConfig.DEFAULT_TIMER_C),
            shared,
            name);
    resources.add(edge);
    return edge;
  }

  @Test
  void a_gateway_on_node_1_rings_both_devices_on_node_2_one_answers() throws Exception {
    prefix = TestRedis.uniquePrefix();
    RedisSettings shared = RedisSettings.of(TestRedis.require()).withKeyPrefix(prefix);
    RunningSipEdge one = node(shared, "node-1");
    RunningSipEdge two = node(shared, "node-2");
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while ((one.linkTo("node-2").isEmpty() || two.linkTo("node-1").isEmpty())
        && System.nanoTime() < guard) {
      Thread.sleep(50); // polling for the links' first pongs, not a timed assertion
    }
    assertThat(one.linkTo("node-2")).isPresent();
    assertThat(two.linkTo("node-1")).isPresent();
    String user = "lina" + UUID.randomUUID().toString().substring(0, 6);
    UUID phoneId = UUID.randomUUID();
    UUID tabletId = UUID.randomUUID();
    Leaf phoneCertificate = PKI.issueClient(user + "@" + DOMAIN, Optional.of(phoneId));
    Leaf tabletCertificate = PKI.issueClient(user + "@" + DOMAIN, Optional.of(tabletId));
    Leaf gatewayCertificate = PKI.issueClient("ipgw@" + GATEWAY_DOMAIN, Optional.empty());
    try (LinphoneDaemon phone =
            LinphoneDaemon.start(
                device(two, user, DOMAIN, Optional.of(phoneId), phoneCertificate));
        LinphoneDaemon tablet =
            LinphoneDaemon.start(
                device(two, user, DOMAIN, Optional.of(tabletId), tabletCertificate));
        LinphoneDaemon gateway =
            LinphoneDaemon.start(
                device(one, "ipgw", GATEWAY_DOMAIN, Optional.empty(), gatewayCertificate))) {
      gateway.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
      ForkedCall.play(gateway, "sip:" + user + "@" + DOMAIN, phone, tablet);
    }
  }

  private static LinphoneConfig device(
      RunningSipEdge node, String user, String domain, Optional<UUID> uuid, Leaf leaf) {
    return new LinphoneConfig(
        user,
        domain,
        uuid,
        leaf.keys().getPrivate(),
        List.of(leaf.certificate()),
        PKI.caCertificate(),
        new InetSocketAddress("localhost", node.sipAddress().getPort()),
        true);
  }
}
