package io.doorpair.welcome.offline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The confirmation code of an offline QR code: 6 decimal digits that the app shows after a scan and
 * the owner types into the gateway's admin site.
 *
 * <p>Definition: take SHA-256 over the payload's full text as UTF-8 (every byte of the QR code, the
 * {@code sha256=} line included); read its first 4 bytes as an unsigned big-endian 32-bit number;
 * the code is that number modulo 1,000,000, written with 6 digits (leading zeros kept). Typed codes
 * are compared ignoring spaces and dashes, in constant time.
 *
 * <p>What it proves: that the phone in the owner's hand decoded exactly the payload the gateway
 * made (a different or damaged payload gives another code, one chance in a million of a match per
 * attempt, and the gateway allows 5). It is no secret from someone who photographed the QR code:
 * they can compute it too. It does not need to be: the owner types the code shown by the phone they
 * are holding.
 */
public final class ConfirmationCode {
  /** Digits in a code. */
  public static final int DIGITS = 6;

  private ConfirmationCode() {}

  /**
   * The code of a payload.
   *
   * @param payloadText the QR code's text, exactly as scanned or as {@link OfflinePayload#encode}
   *     wrote it
   * @return 6 digits
   */
  public static String of(String payloadText) {
    byte[] h = OfflinePayload.sha256(payloadText);
    long n =
        ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
    StringBuilder digits = new StringBuilder(Long.toString(n % 1_000_000L));
    while (digits.length() < DIGITS) {
      digits.insert(0, '0');
    }
    return digits.toString();
  }

  /**
   * The code of an account's payload (its canonical encoding).
   *
   * @param account the account
   * @return 6 digits
   */
  public static String of(OfflineAccount account) {
    return of(OfflinePayload.encode(account));
  }

  /**
   * What the owner typed, without spaces and dashes, if it has the shape of a code.
   *
   * @param typed the input
   * @return 6 digits, or empty when the input cannot be a code
   */
  public static Optional<String> normalize(String typed) {
    if (typed == null || typed.length() > 64) {
      return Optional.empty();
    }
    String s = typed.replace(" ", "").replace("-", "");
    if (s.length() != DIGITS) {
      return Optional.empty();
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return Optional.empty();
      }
    }
    return Optional.of(s);
  }

  /**
   * Whether the owner typed the right code, in constant time.
   *
   * @param expected the code of the payload
   * @param typed what the owner typed
   * @return true when they match
   */
  public static boolean matches(String expected, String typed) {
    Optional<String> t = normalize(typed);
    return t.isPresent()
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            t.get().getBytes(StandardCharsets.US_ASCII));
  }
}
