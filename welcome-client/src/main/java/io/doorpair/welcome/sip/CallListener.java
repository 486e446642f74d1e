package io.doorpair.welcome.sip;

/**
 * What a {@link SipPhone} tells its user. Called on the SIP stack's threads: return quickly (hand
 * long work to a thread of your own); calling back into the phone or the call from here is fine.
 */
public interface CallListener {
  /**
   * A call rings here.
   *
   * @param call answer, reject or let it ring
   */
  void ringing(IncomingCall call);

  /**
   * A call, incoming or outgoing, ended (see {@link Call#endReason()}).
   *
   * @param call the call
   */
  default void ended(Call call) {}

  /**
   * The registration changed: registered (with the GRUU learned) or lost.
   *
   * @param registered whether the device is now registered
   */
  default void registration(boolean registered) {}
}
