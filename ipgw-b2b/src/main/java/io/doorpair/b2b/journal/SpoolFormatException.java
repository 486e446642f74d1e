package io.doorpair.b2b.journal;

/** A spool file that is not what {@link SpoolFormat#render} writes; the message never quotes it. */
public final class SpoolFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A refusal.
   *
   * @param message what is wrong
   */
  public SpoolFormatException(String message) {
    super(message);
  }
}
