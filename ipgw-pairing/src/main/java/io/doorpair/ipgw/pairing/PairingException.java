package io.doorpair.ipgw.pairing;

/**
 * Pairing or renewal failed; nothing of the previous pairing was changed. {@link #code()} is
 * stable: {@code bad_friendly_name}, {@code domains_exhausted}, {@code bad_answer}, {@code
 * not_paired}, or the portal client's own error code (e.g. {@code unauthorized}, {@code io}, {@code
 * ca_changed}).
 */
public final class PairingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The friendly name is empty, too long, or holds control characters. */
  public static final String BAD_FRIENDLY_NAME = "bad_friendly_name";

  /** Every DOMAIN drawn was taken (409 each time). */
  public static final String DOMAINS_EXHAUSTED = "domains_exhausted";

  /** The portal answered with a certificate that is not for this gateway's key and name. */
  public static final String BAD_ANSWER = "bad_answer";

  /** A renewal before the gateway was paired, or after it was paired again meanwhile. */
  public static final String NOT_PAIRED = "not_paired";

  private final String code;

  /**
   * A failure.
   *
   * @param code the stable code
   * @param message what happened, with no secret
   * @param cause the underlying failure, or {@code null}
   */
  public PairingException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /**
   * The stable code.
   *
   * @return the code
   */
  public String code() {
    return code;
  }
}
