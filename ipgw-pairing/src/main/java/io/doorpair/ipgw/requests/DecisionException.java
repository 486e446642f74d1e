package io.doorpair.ipgw.requests;

/**
 * An owner's action that cannot be done; nothing was changed. {@link #code()} is stable: {@code
 * unknown_request}, {@code not_pending}, {@code not_awaiting_code}, {@code unknown_account}, {@code
 * not_paired}, or the portal's own error code when it refused (e.g. {@code io} when unreachable).
 */
public final class DecisionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** No such request. */
  public static final String UNKNOWN_REQUEST = "unknown_request";

  /** The request is not pending (decided, void, refused). */
  public static final String NOT_PENDING = "not_pending";

  /** The request is not approved and waiting for its security code. */
  public static final String NOT_AWAITING_CODE = "not_awaiting_code";

  /** No such account. */
  public static final String UNKNOWN_ACCOUNT = "unknown_account";

  /** The gateway is not paired. */
  public static final String NOT_PAIRED = "not_paired";

  private final String code;

  /**
   * A refusal.
   *
   * @param code the stable code
   * @param message for the owner
   * @param cause the underlying failure, or {@code null}
   */
  public DecisionException(String code, String message, Throwable cause) {
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
