package io.doorpair.sipedge;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.registrar.Binding;
import io.doorpair.sipedge.registrar.Registrar;
import io.doorpair.sipedge.testing.LinphoneConfig;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import io.doorpair.sipedge.testing.Peers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real Linphone (linphone-daemon 5.1, TLS 1.2, mbedTLS) against the portal SIP server started
 * in-process: it registers with its app certificate and fixed uuid and gets its {@code pub-gruu};
 * another CA's certificate and a uuid the certificate does not bind never register; a revocation
 * cuts a live registration.
 */
class LinphoneRegistrationTest {
  private static final String DOMAIN = "portal.test";
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
  void app_certificate_registers_over_tls_and_receives_pub_gruu() throws IOException {
    UUID phone = UUID.randomUUID();
    Leaf alice = PKI.issueClient("alice@" + DOMAIN, Optional.of(phone));
    try (LinphoneDaemon device = LinphoneDaemon.start(device("alice", phone, alice))) {
      device.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);

      List<Binding> bindings = edge.bindings().of("alice@" + DOMAIN, Instant.now());
      assertThat(bindings).extracting(Binding::key).containsExactly("urn:uuid:" + phone);
      assertThat(bindings.get(0).instance()).contains(phone);
      assertThat(device.log())
          .as("Linphone sent Supported: gruu and got its pub-gruu in the 200 OK")
          .contains("Supported: replaces, outbound, gruu")
          .contains("pub-gruu=\"sip:alice@" + DOMAIN + ";gr=urn:uuid:" + phone + "\"");
    }
  }

  @Test
  void gateway_certificate_registers_without_instance() throws IOException {
    String gatewayDomain = "k3v8n2q7w5z1";
    Leaf gateway = PKI.issueClient("ipgw@" + gatewayDomain, Optional.empty());
    try (LinphoneDaemon device =
        LinphoneDaemon.start(device("ipgw", gatewayDomain, Optional.empty(), gateway))) {
      device.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);

      assertThat(edge.bindings().of("ipgw@" + gatewayDomain, Instant.now()))
          .extracting(Binding::key)
          .containsExactly("ipgw@" + gatewayDomain);
      assertThat(device.log()).doesNotContain("+sip.instance").doesNotContain("pub-gruu");
    }
  }

  @Test
  void certificate_of_another_ca_never_registers() throws IOException {
    UUID phone = UUID.randomUUID();
    Leaf rogue = PKI.issueRogueClient("bob@" + DOMAIN, Optional.of(phone));
    try (LinphoneDaemon device = LinphoneDaemon.start(device("bob", phone, rogue))) {
      assertThat(device.awaitRegistrationOutcome()).isEqualTo(LinphoneDaemon.REGISTRATION_FAILED);
      assertThat(edge.bindings().of("bob@" + DOMAIN, Instant.now())).isEmpty();
      assertThat(device.log())
          .as("Linphone accepted the server's certificate, then the server refused its own")
          .contains("Found certificate depth=[0], flags=[]")
          .contains("SSL handshake failed")
          .doesNotContain("CN-mismatch");
    }
  }

  @Test
  void uuid_other_than_the_certificate_instance_is_refused() throws IOException {
    Leaf carol = PKI.issueClient("carol@" + DOMAIN, Optional.of(UUID.randomUUID()));
    UUID other = UUID.randomUUID();
    try (LinphoneDaemon device = LinphoneDaemon.start(device("carol", other, carol))) {
      assertThat(device.awaitRegistrationOutcome()).isEqualTo(LinphoneDaemon.REGISTRATION_FAILED);
      assertThat(device.log()).contains("SIP/2.0 403 " + Registrar.WRONG_INSTANCE);
      assertThat(edge.bindings().of("carol@" + DOMAIN, Instant.now())).isEmpty();
    }
  }

  @Test
  void revocation_cuts_a_live_registration() throws IOException {
    UUID phone = UUID.randomUUID();
    Leaf dave = PKI.issueClient("dave@" + DOMAIN, Optional.of(phone));
    try (LinphoneDaemon device = LinphoneDaemon.start(device("dave", phone, dave))) {
      device.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
      assertThat(edge.bindings().of("dave@" + DOMAIN, Instant.now())).hasSize(1);

      int logBefore = device.log().length();
      edge.updateCrl(PKI.crl(dave.serial()));

      awaitTrue(
          "dave's binding dropped with its connection",
          () -> edge.bindings().of("dave@" + DOMAIN, Instant.now()).isEmpty(),
          device);
      // Linphone sees its connection closed; its new handshakes are refused
      device.awaitRegistrationState(LinphoneDaemon.REGISTRATION_FAILED);
      assertThat(device.log().substring(logBefore))
          .as("Linphone's reconnection after the revocation")
          .contains("SSL handshake failed");
      assertThat(edge.bindings().of("dave@" + DOMAIN, Instant.now())).isEmpty();
    }
  }

  private static LinphoneConfig device(String user, UUID uuid, Leaf leaf) {
    return device(user, DOMAIN, Optional.of(uuid), leaf);
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

  private static void awaitTrue(String what, BooleanSupplier condition, LinphoneDaemon device) {
    long end = System.nanoTime() + LinphoneDaemon.DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within the deadline: " + what + "\n" + device.logTail());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
