package io.doorpair.welcome.profile;

/**
 * A profile folder that cannot be read or written: missing, not paired, unreadable, or holding
 * files that do not belong together. The message names the file and never holds a secret.
 */
public final class ProfileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An error with a message.
   *
   * @param message what is wrong, e.g. {@code profile /x is not paired: run welcome pair}
   */
  public ProfileException(String message) {
    super(message);
  }

  /**
   * An error with a message and its cause.
   *
   * @param message what is wrong
   * @param cause the underlying failure
   */
  public ProfileException(String message, Throwable cause) {
    super(message, cause);
  }
}
