package io.doorpair.sipedge.registrar;

/**
 * The bindings store did not answer in time or failed (Redis down or unreachable): the request that
 * needed it is answered {@code 503} instead of waiting.
 */
public final class BindingsUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A failure of the store.
   *
   * @param message what failed, without secrets
   * @param cause the client library's exception
   */
  public BindingsUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
