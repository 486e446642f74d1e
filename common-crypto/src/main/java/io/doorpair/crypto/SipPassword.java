package io.doorpair.crypto;

import io.doorpair.crypto.internal.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * A SIP account password: a secret type. Its only accessor is {@link #reveal()}; {@link
 * #toString()} is redacted; {@link #equals(Object)} runs in constant time and {@link #hashCode()}
 * is keyed with a per-process random value, so neither leaks anything useful.
 *
 * <p>Generated passwords are {@value #GENERATED_LENGTH} characters drawn uniformly from {@code
 * [A-Za-z0-9]} (DESIGN §5: the Flexisip password file forbids {@code /}, {@code =} and {@code @}).
 */
public final class SipPassword {
  /** The length of a generated password. */
  public static final int GENERATED_LENGTH = 24;

  /** The longest accepted password. */
  public static final int MAX_LENGTH = 128;

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final byte[] HASH_KEY = randomBytes(16);

  private final String value;

  private SipPassword(String value) {
    this.value = value;
  }

  /** Draws a new password of {@value #GENERATED_LENGTH} characters from {@code [A-Za-z0-9]}. */
  public static SipPassword generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    char[] chars = new char[GENERATED_LENGTH];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return new SipPassword(new String(chars));
  }

  /**
   * Wraps an existing password.
   *
   * @param value 1 to {@value #MAX_LENGTH} printable ASCII characters, no space
   * @throws IllegalArgumentException otherwise (the message does not quote the value)
   */
  public static SipPassword of(String value) {
    Objects.requireNonNull(value, "value");
    if (!acceptable(value)) {
      throw new IllegalArgumentException(
          "SIP password must be 1 to " + MAX_LENGTH + " printable ASCII characters without spaces");
    }
    return new SipPassword(value);
  }

  static boolean acceptable(CharSequence value) {
    if (value.length() == 0 || value.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  /** Returns the password itself: the one place a caller gets at the secret. */
  public String reveal() {
    return value;
  }

  /** Compares in constant time (for passwords of equal length). */
  @Override
  public boolean equals(Object o) {
    return o instanceof SipPassword && MessageDigest.isEqual(bytes(), ((SipPassword) o).bytes());
  }

  /** A keyed hash: stable within this process, meaningless outside it. */
  @Override
  public int hashCode() {
    byte[] keyed =
        ByteBuffer.allocate(HASH_KEY.length + value.length()).put(HASH_KEY).put(bytes()).array();
    return ByteBuffer.wrap(Sha256.digest(keyed)).getInt();
  }

  /** Always {@code SipPassword[redacted]}. */
  @Override
  public String toString() {
    return "SipPassword[redacted]";
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private byte[] bytes() {
    return value.getBytes(StandardCharsets.US_ASCII);
  }
}
