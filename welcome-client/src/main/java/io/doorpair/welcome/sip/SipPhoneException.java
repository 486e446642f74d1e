package io.doorpair.welcome.sip;

import java.util.Objects;

/**
 * A SIP operation that failed, with a stable {@link #code()}: {@code io} (the stack or the
 * connection), {@code refused} (the far end answered with an error: {@link #status()}), {@code
 * auth_failed} (the gateway refused the credentials), {@code bad_state} (the call is not in a state
 * that allows it), {@code timeout}. Messages never carry a secret.
 */
public final class SipPhoneException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String code;
  private final int status;

  /**
   * A failure.
   *
   * @param code the stable code
   * @param status the SIP status that caused it, or 0
   * @param message what happened
   */
  public SipPhoneException(String code, int status, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
    this.status = status;
  }

  /**
   * The stable error code.
   *
   * @return e.g. {@code refused}
   */
  public String code() {
    return code;
  }

  /**
   * The SIP status behind the failure.
   *
   * @return the status, or 0 when none
   */
  public int status() {
    return status;
  }
}
