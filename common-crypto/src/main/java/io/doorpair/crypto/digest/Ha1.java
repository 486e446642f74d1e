package io.doorpair.crypto.digest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A Digest HA1, {@code H(username:realm:password)} in lowercase hex: what a server stores instead
 * of the password, and as good as the password to anyone who wants to authenticate to that realm.
 * So it is a secret: {@link #toString()} is redacted, {@link #equals(Object)} is constant-time and
 * {@link #hex()} is the one accessor.
 */
public final class Ha1 {
  private final DigestAlgorithm algorithm;
  private final String hex;

  private Ha1(DigestAlgorithm algorithm, String hex) {
    this.algorithm = algorithm;
    this.hex = hex;
  }

  /**
   * Computes {@code H(username ":" realm ":" password)} over UTF-8, without turning the password
   * into a {@link String}; the temporary bytes are wiped.
   *
   * @param algorithm the hash
   * @param username as it will be sent (lowercase for portal users)
   * @param realm the realm of the challenge
   * @param password the password; not modified
   * @return the HA1
   * @throws IllegalArgumentException {@code password is not valid UTF-16} for lone surrogates
   */
  public static Ha1 compute(
      DigestAlgorithm algorithm, String username, String realm, char[] password) {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(password, "password");
    MessageDigest md = algorithm.newMessageDigest();
    md.update((username + ":" + realm + ":").getBytes(StandardCharsets.UTF_8));
    CharsetEncoder encoder =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer bytes;
    try {
      bytes = encoder.encode(CharBuffer.wrap(password));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("password is not valid UTF-16");
    }
    byte[] array = bytes.array();
    try {
      md.update(array, bytes.arrayOffset() + bytes.position(), bytes.remaining());
    } finally {
      Arrays.fill(array, (byte) 0);
    }
    return new Ha1(algorithm, Hex.encode(md.digest()));
  }

  /**
   * Wraps a stored HA1.
   *
   * @param algorithm the hash it was computed with
   * @param hex {@link DigestAlgorithm#hexLength()} hex digits, either case (kept in lowercase)
   * @return the HA1
   * @throws IllegalArgumentException {@code HA1 must be 64 hex digits for SHA-256} (or {@code 32
   *     ... for MD5}); the message never quotes the value
   */
  public static Ha1 ofHex(DigestAlgorithm algorithm, String hex) {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(hex, "hex");
    if (hex.length() != algorithm.hexLength() || !Hex.isHex(hex)) {
      throw new IllegalArgumentException(
          "HA1 must be " + algorithm.hexLength() + " hex digits for " + algorithm.token());
    }
    return new Ha1(algorithm, hex.toLowerCase(Locale.ROOT));
  }

  /**
   * The hash this HA1 was computed with.
   *
   * @return the algorithm
   */
  public DigestAlgorithm algorithm() {
    return algorithm;
  }

  /**
   * The secret value, lowercase hex: the only way to read it.
   *
   * @return the HA1 in lowercase hex
   */
  public String hex() {
    return hex;
  }

  /** Constant-time in the secret value. */
  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Ha1)) {
      return false;
    }
    Ha1 that = (Ha1) other;
    return algorithm == that.algorithm
        && MessageDigest.isEqual(
            hex.getBytes(StandardCharsets.US_ASCII), that.hex.getBytes(StandardCharsets.US_ASCII));
  }

  /** Depends on the algorithm only, so that hashing reveals nothing of the secret. */
  @Override
  public int hashCode() {
    return algorithm.hashCode();
  }

  @Override
  public String toString() {
    return "Ha1[" + algorithm.token() + ", <redacted>]";
  }
}
