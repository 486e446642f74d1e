package io.doorpair.crypto.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/** The Digest algorithms supported here. The session variants ({@code -sess}) are not. */
public enum DigestAlgorithm {
  /** {@code SHA-256}, preferred (RFC 7616). */
  SHA_256("SHA-256", "SHA-256"),
  /** {@code MD5}, for older clients (RFC 2617). */
  MD5("MD5", "MD5");

  private final String token;
  private final String jcaName;

  DigestAlgorithm(String token, String jcaName) {
    this.token = token;
    this.jcaName = jcaName;
  }

  /**
   * The name on the wire, as in {@code algorithm=SHA-256}.
   *
   * @return {@code SHA-256} or {@code MD5}
   */
  public String token() {
    return token;
  }

  /**
   * Length of a hash of this algorithm in lowercase hex.
   *
   * @return 64 for SHA-256, 32 for MD5
   */
  public int hexLength() {
    return newMessageDigest().getDigestLength() * 2;
  }

  /**
   * Hashes the UTF-8 bytes of {@code input}.
   *
   * @param input the text to hash
   * @return the hash in lowercase hex
   */
  public String hashHex(String input) {
    return Hex.encode(newMessageDigest().digest(input.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Reads an {@code algorithm} parameter value, case-insensitively.
   *
   * @param token e.g. {@code SHA-256} or {@code md5}
   * @return the algorithm
   * @throws DigestFormatException {@code unsupported algorithm} for anything else, the {@code
   *     -sess} variants included
   */
  public static DigestAlgorithm fromToken(String token) {
    String upper = token.toUpperCase(Locale.ROOT);
    for (DigestAlgorithm algorithm : values()) {
      if (algorithm.token.equals(upper)) {
        return algorithm;
      }
    }
    throw new DigestFormatException("unsupported algorithm");
  }

  MessageDigest newMessageDigest() {
    try {
      return MessageDigest.getInstance(jcaName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has " + jcaName, e);
    }
  }
}
