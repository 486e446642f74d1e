package io.doorpair.ipgw.store;

/** The store failed (disk, corruption): an operational error, never bad input. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A failure.
   *
   * @param message what was being done
   * @param cause the driver's exception
   */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
