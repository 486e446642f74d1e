package io.doorpair.portal.store;

/**
 * The database failed (unreachable, corrupt, I/O) or cannot be used by this version of the portal
 * (its schema is newer); the operation did not happen. Messages never carry credentials or secrets.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
