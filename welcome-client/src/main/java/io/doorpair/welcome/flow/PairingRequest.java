package io.doorpair.welcome.flow;

import java.util.Locale;
import java.util.Objects;

/**
 * What the user gives to pair a device (step 1 of the specification).
 *
 * @param username the portal user
 * @param sipDomain the portal SIP domain, the host part of the certificate's CN ({@code
 *     user@sipDomain})
 * @param friendlyName the device's name, e.g. {@code Alice's phone}
 * @param keyBits the RSA key size, 2048 to 4096
 */
public record PairingRequest(String username, String sipDomain, String friendlyName, int keyBits) {
  /** The default key size. */
  public static final int DEFAULT_KEY_BITS = 2048;

  /** Checks and lowercases the names. */
  public PairingRequest {
    username = Objects.requireNonNull(username, "username").toLowerCase(Locale.ROOT);
    sipDomain = Objects.requireNonNull(sipDomain, "sipDomain").toLowerCase(Locale.ROOT);
    Objects.requireNonNull(friendlyName, "friendlyName");
    if (sipDomain.isEmpty()) {
      throw new IllegalArgumentException("the portal SIP domain is empty");
    }
    if (friendlyName.isBlank()) {
      throw new IllegalArgumentException("the device's friendly name is empty");
    }
    if (keyBits < 2048 || keyBits > 4096) {
      throw new IllegalArgumentException("keyBits must be 2048 to 4096");
    }
  }

  /**
   * A request with the default key size.
   *
   * @param username the portal user
   * @param sipDomain the portal SIP domain
   * @param friendlyName the device's name
   */
  public PairingRequest(String username, String sipDomain, String friendlyName) {
    this(username, sipDomain, friendlyName, DEFAULT_KEY_BITS);
  }
}
