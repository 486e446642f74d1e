package io.doorpair.ipgw.offline;

import java.util.Objects;

/** An offline-account action refused; {@link #code()} says why. */
public final class OfflineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** No offline account has this id or SIP username. */
  public static final String UNKNOWN = "unknown_offline_account";

  /** Its QR code expired before the right code was typed: the account is void. */
  public static final String EXPIRED = "qr_expired";

  /** Its QR code was already used: the account is active. */
  public static final String USED = "qr_used";

  /** The account is void (expired, too many wrong codes, removed). */
  public static final String VOID = "offline_void";

  /** The owner's input is not acceptable (name, rights). */
  public static final String BAD_INPUT = "bad_input";

  /** The gateway is not paired: it has no DOMAIN yet. */
  public static final String NOT_PAIRED = "not_paired";

  private final String code;

  /**
   * A refusal.
   *
   * @param code one of the constants
   * @param message for the owner
   */
  public OfflineException(String code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * Why.
   *
   * @return one of the constants
   */
  public String code() {
    return code;
  }
}
