package io.doorpair.crypto.digest;

/**
 * A Digest header, or a value meant for one, is malformed or asks for something this package does
 * not support. The message is one of a fixed set of sentences naming at most a known parameter; it
 * never quotes the input, so it is safe to log and to return to a client.
 */
public final class DigestFormatException extends IllegalArgumentException {

  /**
   * Creates the exception.
   *
   * @param message a fixed sentence, never containing input data
   */
  public DigestFormatException(String message) {
    super(message);
  }
}
