package io.doorpair.ipgw.pairing;

import io.doorpair.crypto.RsaKeys;
import java.util.Objects;

/**
 * How the gateway pairs.
 *
 * @param portalSipUri the portal SIP server, written into {@code b2b.conf}, e.g. {@code
 *     sips:portal.example.com:5061}
 * @param internalSipUri the internal SIP server, written into {@code b2b.conf}, e.g. {@code
 *     sip:127.0.0.1:5070;transport=tcp}
 * @param keyBits the gateway key size, 2048 to 4096 (default 3072)
 * @param maxAttempts how many DOMAINs to try before giving up when the portal answers 409 (default
 *     5; each collision has a chance of about 2^-62)
 */
public record PairingSettings(
    String portalSipUri, String internalSipUri, int keyBits, int maxAttempts) {
  /** The default key size. */
  public static final int DEFAULT_KEY_BITS = 3072;

  /** The default number of DOMAINs tried. */
  public static final int DEFAULT_ATTEMPTS = 5;

  public PairingSettings {
    Objects.requireNonNull(portalSipUri, "portalSipUri");
    Objects.requireNonNull(internalSipUri, "internalSipUri");
    if (keyBits < RsaKeys.MIN_BITS || keyBits > RsaKeys.MAX_BITS) {
      throw new IllegalArgumentException("keyBits must be 2048 to 4096");
    }
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException("maxAttempts must be 1 to 100");
    }
  }

  /**
   * Settings with the default key size and attempts.
   *
   * @param portalSipUri the portal SIP server
   * @param internalSipUri the internal SIP server
   * @return the settings
   */
  public static PairingSettings of(String portalSipUri, String internalSipUri) {
    return new PairingSettings(portalSipUri, internalSipUri, DEFAULT_KEY_BITS, DEFAULT_ATTEMPTS);
  }
}
