package io.doorpair.welcome.sip;

/** Where a call is. */
public enum CallState {
  /** Outgoing: the INVITE is on its way or the far end is ringing. */
  CALLING,
  /** Incoming: ringing here, waiting for {@link IncomingCall#answer} or a rejection. */
  RINGING,
  /** Answered and acknowledged: media may flow, INFO may be sent. */
  ESTABLISHED,
  /** Over: hung up by either side, rejected, cancelled or failed. */
  ENDED
}
