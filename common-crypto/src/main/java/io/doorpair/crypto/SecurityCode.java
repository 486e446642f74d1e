package io.doorpair.crypto;

import io.doorpair.crypto.internal.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The security code of DESIGN §5 that a Welcome user reads to the gateway owner: 4 random decimal
 * digits (the salt) followed by the first 4 lowercase hex characters of SHA-256 over the ASCII text
 * {@code salt + ":" + publicKeyHash}. 8 characters, e.g. {@code 042026dc}.
 *
 * <p>Codes typed by a person are compared case-insensitively, with spaces and dashes ignored, in
 * constant time. Each guess has a 1 in 65,536 chance: the gateway must limit attempts.
 */
public final class SecurityCode {
  /** The length of a security code, in characters. */
  public static final int LENGTH = 8;

  private static final int MAX_ENTERED = 64;
  private static final Pattern SALT = Pattern.compile("[0-9]{4}");
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  private final String salt;
  private final String value;

  private SecurityCode(String salt, String value) {
    this.salt = salt;
    this.value = value;
  }

  /**
   * Draws a salt uniformly from 0000 to 9999 and derives the code for {@code publicKeyHash}.
   *
   * @param publicKeyHash a {@link PublicKeyHash}: 64 lowercase hex characters
   * @throws IllegalArgumentException if {@code publicKeyHash} is not 64 lowercase hex characters
   */
  public static SecurityCode generate(String publicKeyHash, SecureRandom random) {
    Objects.requireNonNull(random, "random");
    return of(String.format(Locale.ROOT, "%04d", random.nextInt(10_000)), publicKeyHash);
  }

  /**
   * Derives the code for a given salt.
   *
   * @param salt 4 decimal digits
   * @param publicKeyHash a {@link PublicKeyHash}: 64 lowercase hex characters
   * @throws CryptoException {@value CryptoException#BAD_CODE} if the salt is not 4 decimal digits
   * @throws IllegalArgumentException if {@code publicKeyHash} is not 64 lowercase hex characters
   */
  public static SecurityCode of(String salt, String publicKeyHash) {
    Objects.requireNonNull(salt, "salt");
    requireHash(publicKeyHash);
    if (!SALT.matcher(salt).matches()) {
      throw new CryptoException(
          CryptoException.BAD_CODE, "security code salt must be 4 decimal digits");
    }
    String digest = Sha256.hex((salt + ":" + publicKeyHash).getBytes(StandardCharsets.US_ASCII));
    return new SecurityCode(salt, salt + digest.substring(0, 4));
  }

  /** The 8-character code: the salt, then 4 lowercase hex characters. */
  public String value() {
    return value;
  }

  /** The 4-digit salt. */
  public String salt() {
    return salt;
  }

  /**
   * Whether a code typed by a person is the code of {@code publicKeyHash} for the salt it starts
   * with. Case, spaces and dashes are ignored; a malformed entry is simply {@code false}. The
   * comparison runs in constant time.
   *
   * @throws IllegalArgumentException if {@code publicKeyHash} is not 64 lowercase hex characters
   */
  public static boolean matches(String entered, String publicKeyHash) {
    Objects.requireNonNull(entered, "entered");
    requireHash(publicKeyHash);
    Optional<String> normalized = normalize(entered);
    if (normalized.isEmpty()) {
      return false;
    }
    String candidate = normalized.get();
    String expected = of(candidate.substring(0, 4), publicKeyHash).value;
    return MessageDigest.isEqual(
        candidate.getBytes(StandardCharsets.US_ASCII),
        expected.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Puts a code typed by a person into canonical form: whitespace and dashes (any Unicode dash)
   * removed, ASCII letters lowercased. Returns the 8-character canonical code, or empty if what
   * remains is not 4 decimal digits followed by 4 hex characters.
   */
  public static Optional<String> normalize(String entered) {
    Objects.requireNonNull(entered, "entered");
    if (entered.length() > MAX_ENTERED) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder(LENGTH);
    for (int i = 0; i < entered.length(); i++) {
      char c = entered.charAt(i);
      if (ignorable(c)) {
        continue;
      }
      if (out.length() == LENGTH) {
        return Optional.empty();
      }
      char lower = c >= 'A' && c <= 'F' ? (char) (c + ('a' - 'A')) : c;
      boolean ok =
          out.length() < 4
              ? lower >= '0' && lower <= '9'
              : (lower >= '0' && lower <= '9') || (lower >= 'a' && lower <= 'f');
      if (!ok) {
        return Optional.empty();
      }
      out.append(lower);
    }
    return out.length() == LENGTH ? Optional.of(out.toString()) : Optional.empty();
  }

  private static boolean ignorable(char c) {
    return c == '-'
        || Character.isWhitespace(c)
        || Character.isSpaceChar(c)
        || Character.getType(c) == Character.DASH_PUNCTUATION;
  }

  private static void requireHash(String publicKeyHash) {
    Objects.requireNonNull(publicKeyHash, "publicKeyHash");
    if (!HASH.matcher(publicKeyHash).matches()) {
      throw new IllegalArgumentException("public key hash must be 64 lowercase hex characters");
    }
  }

  /** Equal when both values are equal (compared in constant time). */
  @Override
  public boolean equals(Object o) {
    return o instanceof SecurityCode
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.US_ASCII),
            ((SecurityCode) o).value.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public int hashCode() {
    return salt.hashCode();
  }

  /** Shows the salt only: the code is a short-lived credential and stays out of logs. */
  @Override
  public String toString() {
    return "SecurityCode[salt=" + salt + ", value=redacted]";
  }
}
