package io.doorpair.welcome.http;

/**
 * A portal API call failed. {@link #code()} is stable and meant for programs: the portal's own
 * error code (e.g. {@code domain_taken}, {@code unauthorized}), or one of this client's codes.
 */
public final class PortalException extends RuntimeException {
  /** The connection or TLS handshake failed, or the response was cut off. */
  public static final String IO = "io";

  /** The portal answered, but not with what the API promises (bad JSON, bad certificate, ...). */
  public static final String BAD_RESPONSE = "bad_response";

  /**
   * The call did not end within its deadline: the builder's call timeout (plus the wait of a
   * long-poll), or no byte read for that long.
   */
  public static final String TIMEOUT = "timeout";

  /**
   * The calling thread was interrupted: the HTTP call was cancelled, and the thread's interrupt
   * flag is left set.
   */
  public static final String CANCELLED = "cancelled";

  /** The portal presented a CA certificate other than the pinned one. */
  public static final String CA_CHANGED = "ca_changed";

  private final int status;
  private final String code;

  /**
   * Creates the exception.
   *
   * @param status the HTTP status, or 0 when there was none
   * @param code the stable code
   * @param message what went wrong, never a secret
   */
  public PortalException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  PortalException(int status, String code, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.code = code;
  }

  /**
   * The HTTP status.
   *
   * @return the status, or 0 for {@link #IO}, {@link #TIMEOUT} and {@link #CANCELLED} failures
   *     without a response
   */
  public int status() {
    return status;
  }

  /**
   * The stable error code: the portal's {@code error} field when the response had one, otherwise
   * {@code http_<status>}, {@link #BAD_RESPONSE}, {@link #CA_CHANGED}, {@link #TIMEOUT}, {@link
   * #CANCELLED} or {@link #IO}.
   *
   * @return the code
   */
  public String code() {
    return code;
  }
}
