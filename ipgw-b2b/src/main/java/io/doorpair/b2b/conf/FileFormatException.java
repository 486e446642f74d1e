package io.doorpair.b2b.conf;

/** A gateway file, or a value meant for one, that breaks its format; the message says where. */
public final class FileFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A refusal.
   *
   * @param message what is wrong, with the line number when parsing
   */
  public FileFormatException(String message) {
    super(message);
  }
}
