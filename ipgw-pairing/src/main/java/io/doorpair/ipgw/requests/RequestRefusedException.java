package io.doorpair.ipgw.requests;

/** A request from the channel that the gateway will not show: the message says why. */
public final class RequestRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * A refusal.
   *
   * @param message why
   */
  public RequestRefusedException(String message) {
    super(message);
  }
}
