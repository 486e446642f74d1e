package io.doorpair.welcome.offline;

import java.util.Objects;

/**
 * A QR payload refused: not ours, of a version this client does not read, corrupted or edited (its
 * hash does not match), or with a field that breaks the format. The message says which, and never
 * quotes the password.
 */
public final class OfflinePayloadException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The text is not a doorpair offline payload at all (another QR code). */
  public static final String NOT_OURS = "not_doorpair";

  /** A doorpair payload of a version this client does not know. */
  public static final String UNSUPPORTED_VERSION = "unsupported_version";

  /** The integrity hash does not match: the payload was corrupted or edited. */
  public static final String HASH_MISMATCH = "hash_mismatch";

  /** The hash matches but a field breaks the format (the gateway that made it is broken). */
  public static final String MALFORMED = "malformed";

  /** The QR code could not be found or read in the image. */
  public static final String NO_QR_CODE = "no_qr_code";

  private final String code;

  /**
   * A refusal.
   *
   * @param code one of the constants of this class
   * @param message what is wrong, for a person
   */
  public OfflinePayloadException(String code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * A stable code for programs.
   *
   * @return one of the constants of this class
   */
  public String code() {
    return code;
  }
}
