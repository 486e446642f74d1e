package io.doorpair.welcome.sip;

import java.time.Duration;
import java.util.Optional;

/** One call of a {@link SipPhone}, incoming or outgoing. Thread-safe. */
public interface Call {
  /**
   * The call's SIP Call-ID.
   *
   * @return the Call-ID
   */
  String callId();

  /**
   * The other party: the From URI of an incoming call, the target of an outgoing one.
   *
   * @return a SIP URI as text
   */
  String remoteParty();

  /**
   * Where the call is now.
   *
   * @return the state
   */
  CallState state();

  /**
   * Why the call ended, once {@link CallState#ENDED}: {@code hung up here}, {@code hung up by the
   * other side}, {@code cancelled}, {@code rejected 486}, {@code auth_failed}, ...
   *
   * @return the reason, empty while the call goes on
   */
  Optional<String> endReason();

  /**
   * The SDP the other side sent (offer of an incoming call, answer of an outgoing one).
   *
   * @return the SDP, empty when none came
   */
  Optional<String> remoteSdp();

  /**
   * Waits until the call reaches {@code state} or ends.
   *
   * @param state the state to wait for
   * @param wait how long at most
   * @return the state reached: {@code state}, or {@link CallState#ENDED}, or the current one when
   *     the wait ran out
   * @throws InterruptedException when interrupted
   */
  CallState await(CallState state, Duration wait) throws InterruptedException;

  /**
   * Sends the door-open command in this established call: a SIP INFO whose body is {@link
   * DoorOpen#body()} ({@code application/dtmf-relay}, {@code Signal=#}), answering a digest
   * challenge with the call's gateway credentials when the call has some. Blocks until the final
   * response.
   *
   * @throws SipPhoneException {@code bad_state} when the call is not established, {@code refused}
   *     or {@code auth_failed} on an error response, {@code timeout}, {@code io}
   * @throws InterruptedException when interrupted
   */
  void sendDoorOpen() throws SipPhoneException, InterruptedException;

  /**
   * Ends the call from this side: BYE when established, CANCEL when an outgoing call is still
   * ringing, {@code 603 Decline} when an incoming one is. Does nothing when the call has ended.
   */
  void hangUp();
}
