package io.doorpair.welcome.sip;

import static io.doorpair.welcome.sip.EdgeFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.registrar.Binding;
import io.doorpair.welcome.sip.EdgeFixture.Device;
import io.doorpair.welcome.sip.EdgeFixture.Recorder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The phone against the real portal SIP server in-process: REGISTER with the certificate's
 * instance, the public GRUU learned, the registration kept across a portal restart, and no
 * registration at a portal whose certificate names another host.
 */
class SipPhoneRegistrationTest {
  /** Generous for a busy machine: the portal answers a ping at once. */
  private static final Duration PONG_TIMEOUT = Duration.ofSeconds(5);

  private static List<Binding> bindings(RunningSipEdge edge, String user) {
    return edge.bindings().of(user + "@" + EdgeFixture.PORTAL_DOMAIN, Instant.now());
  }

  @Test
  void registers_its_instance_learns_the_gruu_and_registers_again_after_the_portal_restarts()
      throws Exception {
    Leaf server = EdgeFixture.localServer();
    RunningSipEdge first = EdgeFixture.edge(0, server);
    int port = first.sipAddress().getPort();
    Device device = Device.of("dora");
    try (SipPhone phone = SipPhone.start(device.config("localhost", port), new Recorder())) {
      awaitTrue("registered", phone::registered);
      List<Binding> bound = bindings(first, "dora");
      assertThat(bound).hasSize(1);
      assertThat(bound.get(0).instance()).contains(device.instance());
      assertThat(phone.gruu()).contains("sip:dora@portal.test;gr=urn:uuid:" + device.instance());
      assertThat(phone.aor()).isEqualTo("dora@portal.test");

      first.close();
      awaitTrue("the loss seen", () -> !phone.registered());
      try (RunningSipEdge second = EdgeFixture.edge(port, server)) {
        awaitTrue("registered again", () -> !bindings(second, "dora").isEmpty());
        awaitTrue("registered again (phone)", phone::registered);
        assertThat(phone.registrations()).isGreaterThanOrEqualTo(2);
      }
    } finally {
      first.close();
    }
  }

  @Test
  void keep_alives_do_not_disturb_the_registration() throws Exception {
    try (RunningSipEdge edge = EdgeFixture.edge(0, EdgeFixture.localServer())) {
      Device device = Device.of("kim");
      SipPhoneConfig config =
          device.config("localhost", edge.sipAddress().getPort()).withPongTimeout(PONG_TIMEOUT);
      try (SipPhone phone = SipPhone.start(config, new Recorder())) {
        awaitTrue("registered", phone::registered);
        long first = phone.registrations();
        // two pong timeouts and more of keep-alives every second: a keep-alive that failed, or
        // whose pong was not seen within the timeout, would count as a loss
        Thread.sleep(PONG_TIMEOUT.multipliedBy(2).plusSeconds(2).toMillis());
        assertThat(phone.registered()).isTrue();
        assertThat(phone.registrations()).isEqualTo(first);
        assertThat(bindings(edge, "kim")).hasSize(1);
      }
    }
  }

  @Test
  void a_flow_that_stops_answering_keep_alives_is_closed_and_the_device_registers_on_a_new_one()
      throws Exception {
    try (RunningSipEdge edge = EdgeFixture.edge(0, EdgeFixture.localServer());
        FreezableRelay relay = FreezableRelay.to(edge.sipAddress())) {
      Device device = Device.of("nat");
      // keep-alive every second (the fixture), REGISTER refreshed only after 300 s: a loss seen
      // within the deadline below comes from the missing pong
      SipPhoneConfig config =
          device.config("localhost", relay.port()).withPongTimeout(PONG_TIMEOUT);
      try (SipPhone phone = SipPhone.start(config, new Recorder())) {
        awaitTrue("registered", phone::registered);
        long first = phone.registrations();
        assertThat(relay.connections()).isEqualTo(1);

        // The path goes silent, both sockets still open: no error, no close, only no pong.
        relay.freezeAll();
        awaitTrue("the dead flow seen", () -> !phone.registered());
        awaitTrue(
            "registered again on a new connection",
            () -> phone.registered() && phone.registrations() > first);
        assertThat(relay.connections()).isGreaterThanOrEqualTo(2);
        assertThat(bindings(edge, "nat")).isNotEmpty();

        // the new flow answers its keep-alives: it stays registered
        long again = phone.registrations();
        Thread.sleep(PONG_TIMEOUT.multipliedBy(2).toMillis());
        assertThat(phone.registered()).isTrue();
        assertThat(phone.registrations()).isEqualTo(again);
      }
    }
  }

  @Test
  void a_portal_certificate_for_another_host_name_is_refused() throws Exception {
    Leaf elsewhere = EdgeFixture.PKI.issueServer("elsewhere.example");
    try (RunningSipEdge edge = EdgeFixture.edge(0, elsewhere);
        RunningSipEdge control = EdgeFixture.edge(0, EdgeFixture.localServer())) {
      Device device = Device.of("eve");
      try (SipPhone wrong =
              SipPhone.start(
                  device.config("127.0.0.1", edge.sipAddress().getPort()), new Recorder());
          SipPhone right =
              SipPhone.start(
                  device.config("127.0.0.1", control.sipAddress().getPort()), new Recorder())) {
        awaitTrue("the control registers", right::registered);
        awaitTrue("the failure is told", () -> wrong.lastRegistrationFailure().isPresent());
        assertThat(wrong.registered()).isFalse();
        assertThat(bindings(edge, "eve")).isEmpty();
        assertThat(wrong.gruu()).isEqualTo(Optional.empty());
      }
    }
  }

  @Test
  void a_portal_certificate_from_another_ca_is_refused() throws Exception {
    Leaf impostor =
        io.doorpair.crypto.testing.TestPki.create("Impostor CA").issueServer("localhost");
    try (RunningSipEdge edge =
        io.doorpair.sipedge.SipEdge.start(
            io.doorpair.sipedge.SipEdgeConfig.of(
                new java.net.InetSocketAddress("127.0.0.1", 0),
                EdgeFixture.PORTAL_DOMAIN,
                List.of(EdgeFixture.PKI.caCertificate()),
                impostor.keys().getPrivate(),
                List.of(impostor.certificate())))) {
      Device device = Device.of("ivan");
      try (SipPhone phone =
          SipPhone.start(device.config("localhost", edge.sipAddress().getPort()), new Recorder())) {
        awaitTrue("the failure is told", () -> phone.lastRegistrationFailure().isPresent());
        assertThat(phone.registered()).isFalse();
        assertThat(bindings(edge, "ivan")).isEmpty();
      }
    }
  }
}
