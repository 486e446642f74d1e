package io.doorpair.sipedge;

import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.testing.LinphoneConfig;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import io.doorpair.sipedge.testing.Peers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's forked call with real Linphones against the portal SIP server started in-process: two
 * devices of alice (two app certificates, two instances) register; a Linphone with the gateway
 * certificate {@code ipgw@DOMAIN} calls {@code sip:alice@<portal domain>}; both devices ring, one
 * answers, the other is cancelled. The gateway Linphone registers {@code ipgw@DOMAIN} first,
 * without instance ({@code [misc] uuid=0}), as the b2b does.
 */
class LinphoneForkedCallTest {
  private static final String DOMAIN = "portal.test";
  private static final String GATEWAY_DOMAIN = "x7k2p9m4q8r1";
  private static final TestPki PKI = TestPki.shared();
  private static RunningSipEdge edge;

  @BeforeAll
  static void start() throws IOException {
    // Linphone checks the server name against DNS SANs only (not IP SANs): it dials localhost
    Leaf server = PKI.issueServer("localhost", "127.0.0.1");
    edge =
        SipEdge.start(
            SipEdgeConfig.of(
                SipEdgeConfig.parseListen("127.0.0.1:0"),
                DOMAIN,
                List.of(PKI.caCertificate()),
                server.keys().getPrivate(),
                List.of(server.certificate())));
  }

  @AfterAll
  static void stop() {
    if (edge != null) {
      edge.close();
    }
  }

  @BeforeEach
  void peer() { // per test, so that each skip shows its reason
    Peers.require("linphone-daemon", "linphone-cli");
  }

  @Test
  void gateway_call_rings_both_devices_and_the_unanswered_one_is_cancelled() throws IOException {
    UUID phoneId = UUID.randomUUID();
    UUID tabletId = UUID.randomUUID();
    Leaf phoneCertificate = PKI.issueClient("alice@" + DOMAIN, Optional.of(phoneId));
    Leaf tabletCertificate = PKI.issueClient("alice@" + DOMAIN, Optional.of(tabletId));
    Leaf gatewayCertificate = PKI.issueClient("ipgw@" + GATEWAY_DOMAIN, Optional.empty());
    try (LinphoneDaemon phone =
            LinphoneDaemon.start(device("alice", DOMAIN, Optional.of(phoneId), phoneCertificate));
        LinphoneDaemon tablet =
            LinphoneDaemon.start(
                device("alice", DOMAIN, Optional.of(tabletId), tabletCertificate));
        LinphoneDaemon gateway =
            LinphoneDaemon.start(
                device("ipgw", GATEWAY_DOMAIN, Optional.empty(), gatewayCertificate))) {
      gateway.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
      ForkedCall.play(gateway, "sip:alice@" + DOMAIN, phone, tablet);
    }
  }

  private static LinphoneConfig device(String user, String domain, Optional<UUID> uuid, Leaf leaf) {
    return new LinphoneConfig(
        user,
        domain,
        uuid,
        leaf.keys().getPrivate(),
        List.of(leaf.certificate()),
        PKI.caCertificate(),
        new InetSocketAddress("localhost", edge.sipAddress().getPort()),
        true);
  }
}
