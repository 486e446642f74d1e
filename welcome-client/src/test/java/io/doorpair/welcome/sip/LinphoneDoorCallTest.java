package io.doorpair.welcome.sip;

import static io.doorpair.welcome.sip.EdgeFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.testing.LinphoneConfig;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import io.doorpair.sipedge.testing.Peers;
import io.doorpair.welcome.sip.EdgeFixture.Device;
import io.doorpair.welcome.sip.EdgeFixture.Recorder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls to the phone from a real Linphone ({@code linphone-daemon}) holding a gateway certificate
 * ({@code ipgw@DOMAIN}, as the b2b's door calls come), through the real portal SIP server: the call
 * reaches the phone over its own registered connection and rings; answered, the far end hangs up;
 * answered again, the phone hangs up; a third one is declined; a fourth is cancelled while it
 * rings.
 */
class LinphoneDoorCallTest {
  private static final String GATEWAY_DOMAIN = "lin0door0001";
  private static final String CONNECTED = "LinphoneCallConnected";
  private static final String RINGING = "LinphoneCallOutgoingRinging";
  private static final String END = "LinphoneCallEnd";
  private static final String ERROR = "LinphoneCallError";
  private static final Duration WAIT = EdgeFixture.DEADLINE;

  @BeforeEach
  void peer() {
    Peers.require("linphone-daemon", "linphone-cli");
  }

  @Test
  void door_calls_ring_the_phone_and_end_from_either_side() throws Exception {
    Leaf gatewayCertificate =
        EdgeFixture.PKI.issueClient("ipgw@" + GATEWAY_DOMAIN, Optional.empty());
    try (RunningSipEdge edge = EdgeFixture.edge(0, EdgeFixture.localServer())) {
      int port = edge.sipAddress().getPort();
      Recorder recorder = new Recorder();
      try (SipPhone phone = SipPhone.start(Device.of("lina").config("localhost", port), recorder);
          LinphoneDaemon gateway =
              LinphoneDaemon.start(
                  new LinphoneConfig(
                      "ipgw",
                      GATEWAY_DOMAIN,
                      Optional.empty(),
                      gatewayCertificate.keys().getPrivate(),
                      List.of(gatewayCertificate.certificate()),
                      EdgeFixture.PKI.caCertificate(),
                      new InetSocketAddress("localhost", port),
                      true))) {
        awaitTrue("registered", phone::registered);
        gateway.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);

        // 1: answered here, hung up by the door side
        int first = gateway.call("sip:lina@" + EdgeFixture.PORTAL_DOMAIN);
        IncomingCall ringing = recorder.nextRing();
        assertThat(ringing.state()).isEqualTo(CallState.RINGING);
        assertThat(ringing.remoteParty()).contains("ipgw@" + GATEWAY_DOMAIN);
        assertThat(ringing.remoteSdp()).hasValueSatisfying(s -> assertThat(s).contains("m=audio"));
        gateway.awaitCallState(first, RINGING);
        ringing.answer(Optional.empty());
        gateway.awaitCallState(first, CONNECTED);
        assertThat(ringing.await(CallState.ESTABLISHED, WAIT)).isEqualTo(CallState.ESTABLISHED);
        gateway.terminate(first);
        assertThat(ringing.await(CallState.ENDED, WAIT)).isEqualTo(CallState.ENDED);
        assertThat(ringing.endReason()).contains("hung up by the other side");
        gateway.awaitCallState(first, END);

        // 2: answered here, hung up here
        int second = gateway.call("sip:lina@" + EdgeFixture.PORTAL_DOMAIN);
        IncomingCall again = recorder.nextRing();
        again.answer(Optional.empty());
        gateway.awaitCallState(second, CONNECTED);
        assertThat(again.await(CallState.ESTABLISHED, WAIT)).isEqualTo(CallState.ESTABLISHED);
        again.hangUp();
        gateway.awaitCallState(second, END);
        assertThat(again.endReason()).contains("hung up here");

        // 3: declined here
        int third = gateway.call("sip:lina@" + EdgeFixture.PORTAL_DOMAIN);
        IncomingCall declined = recorder.nextRing();
        gateway.awaitCallState(third, RINGING);
        declined.reject(486);
        gateway.awaitEvent(
            "call " + third + " failed or ended",
            e -> e.callId() == third && List.of(ERROR, END).contains(e.state()));
        assertThat(gateway.events())
            .filteredOn(e -> e.callId() == third)
            .noneMatch(e -> e.state().equals(CONNECTED));
        assertThat(declined.endReason()).contains("rejected here 486");

        // 4: cancelled by the door side while ringing
        int fourth = gateway.call("sip:lina@" + EdgeFixture.PORTAL_DOMAIN);
        IncomingCall unanswered = recorder.nextRing();
        gateway.awaitCallState(fourth, RINGING);
        gateway.terminate(fourth);
        assertThat(unanswered.await(CallState.ENDED, WAIT)).isEqualTo(CallState.ENDED);
        assertThat(unanswered.endReason()).contains("cancelled by the caller");
        gateway.awaitCallState(fourth, END);
        assertThat(phone.registered()).isTrue();
      }
    }
  }
}
