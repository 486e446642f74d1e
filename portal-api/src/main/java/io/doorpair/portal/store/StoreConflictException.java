package io.doorpair.portal.store;

/** A uniqueness rule of the store refused a write; nothing was written. */
public class StoreConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreConflictException(String message) {
    super(message);
  }

  public StoreConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
