package io.doorpair.portal.notify;

/** A long-poll was refused: this caller, or the whole process, has too many open already. */
public final class TooManyWaitsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TooManyWaitsException(String message) {
    super(message);
  }
}
