package io.doorpair.welcome.flow;

/**
 * A step of the app's flow that cannot complete for a reason the user must hear about: the gateway
 * denied the request, the portal sent an account this device cannot use, a certificate that is not
 * this device's. The profile is left as it was. The message never holds a secret.
 */
public final class FlowException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The gateway refused the request. */
  public static final String DENIED = "denied";

  /** The portal voided the request (guest removed, certificate revoked). */
  public static final String VOID = "void";

  /** The approved account is unusable: its password does not decrypt, or its fields are wrong. */
  public static final String BAD_ACCOUNT = "bad_account";

  /** The portal issued a certificate that is not the one asked for. */
  public static final String BAD_CERTIFICATE = "bad_certificate";

  /** No account for that gateway in the profile. */
  public static final String NO_ACCOUNT = "no_account";

  /** The wait ended before the gateway decided. */
  public static final String NOT_YET = "not_yet";

  private final String code;

  /**
   * An error.
   *
   * @param code one of the constants
   * @param message what happened
   */
  public FlowException(String code, String message) {
    super(message);
    this.code = code;
  }

  /**
   * The stable error code.
   *
   * @return e.g. {@link #DENIED}
   */
  public String code() {
    return code;
  }
}
