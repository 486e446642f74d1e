package io.doorpair.crypto.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 from the library's Bouncy Castle provider. */
public final class Sha256 {
  private Sha256() {}

  /** The SHA-256 digest of {@code data}. */
  public static byte[] digest(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256", BouncyCastle.provider()).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** The lowercase hex SHA-256 digest of {@code data}. */
  public static String hex(byte[] data) {
    return HexFormat.of().formatHex(digest(data));
  }
}
