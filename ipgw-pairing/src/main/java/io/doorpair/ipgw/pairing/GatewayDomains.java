package io.doorpair.ipgw.pairing;

import java.security.SecureRandom;
import java.util.Objects;

/** Draws gateway DOMAINs (DESIGN §2): 12 characters of {@code [a-z0-9]}, about 62 bits. */
public final class GatewayDomains {
  /** The length of a DOMAIN. */
  public static final int LENGTH = 12;

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private GatewayDomains() {}

  /**
   * A new DOMAIN.
   *
   * @param random a cryptographic source
   * @return 12 characters uniform over {@code [a-z0-9]}
   */
  public static String draw(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    char[] chars = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return new String(chars);
  }
}
