package io.doorpair.welcome.sip;

import java.util.Optional;

/**
 * A call that reached this device through the portal (a door station through the b2b, or another
 * app). It rings ({@code 180 Ringing} was sent) until answered, rejected, or cancelled by the
 * caller.
 */
public interface IncomingCall extends Call {
  /**
   * Answers with {@code 200 OK} and an SDP answer.
   *
   * @param sdp the SDP to send; empty for {@link Sdp#minimal} (audio PCMU/PCMA, telephone-event)
   * @throws SipPhoneException {@code bad_state} when the call no longer rings, {@code io}
   */
  void answer(Optional<String> sdp) throws SipPhoneException;

  /**
   * Refuses the ringing call.
   *
   * @param status a final error status, 400-699 (486 Busy Here, 603 Decline, ...)
   * @throws SipPhoneException {@code bad_state} when the call no longer rings, {@code io}
   */
  void reject(int status) throws SipPhoneException;

  /**
   * The credentials to answer a digest challenge with, for requests this device sends in the call
   * (a door-open INFO to the gateway that rang).
   *
   * @param credentials the account at the calling gateway
   */
  void useCredentials(GatewayCredentials credentials);
}
