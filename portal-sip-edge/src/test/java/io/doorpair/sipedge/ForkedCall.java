package io.doorpair.sipedge;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.sipedge.testing.LinphoneDaemon;
import io.doorpair.sipedge.testing.LinphoneDaemon.CallEvent;
import java.util.List;

/**
 * The forked call of issue 4 played by three real Linphones, whatever proxy sits between them: a
 * gateway calls a user with two registered devices, both ring, one answers, the other is cancelled,
 * the gateway hangs up.
 */
final class ForkedCall {
  static final String INCOMING = "LinphoneCallIncomingReceived";
  static final String RINGING = "LinphoneCallOutgoingRinging";
  static final String CONNECTED = "LinphoneCallConnected";
  static final String END = "LinphoneCallEnd";
  static final String ERROR = "LinphoneCallError";

  private ForkedCall() {}

  /**
   * Plays the call.
   *
   * @param gateway the caller
   * @param target the user's address, {@code sip:user@domain}
   * @param answering the device that answers
   * @param other the device that must be cancelled
   */
  static void play(
      LinphoneDaemon gateway, String target, LinphoneDaemon answering, LinphoneDaemon other) {
    answering.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
    other.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
    int otherLogStart = other.log().length();

    int call = gateway.call(target);

    // ringing, or an early end (e.g. an error response) that fails at once with the caller's log
    CallEvent first =
        gateway.awaitEvent(
            "call " + call + " ringing or ended",
            e -> e.callId() == call && List.of(RINGING, ERROR, END).contains(e.state()));
    assertThat(first.state()).as("caller's call state\n%s", gateway.logTail()).isEqualTo(RINGING);
    CallEvent ringsHere = answering.awaitCallState(INCOMING);
    CallEvent ringsThere = other.awaitCallState(INCOMING);
    assertThat(ringsHere.from()).contains(gateway.config().aor());
    assertThat(ringsThere.from()).contains(gateway.config().aor());

    answering.answer(ringsHere.callId());

    answering.awaitCallState(ringsHere.callId(), CONNECTED);
    gateway.awaitCallState(call, CONNECTED);
    other.awaitCallState(ringsThere.callId(), END);
    assertThat(other.events())
        .as("the device that did not answer never connected")
        .noneMatch(e -> e.state().equals(CONNECTED));
    assertThat(other.log().substring(otherLogStart))
        .as("the device that did not answer was cancelled")
        .containsPattern("(?m)^CANCEL sip:");

    gateway.terminate(call);
    gateway.awaitCallState(call, END);
    answering.awaitCallState(ringsHere.callId(), END);
  }
}
