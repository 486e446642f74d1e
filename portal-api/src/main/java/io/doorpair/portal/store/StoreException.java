package io.doorpair.portal.store;

/** The database failed (unreachable, corrupt, I/O); the operation did not happen. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
