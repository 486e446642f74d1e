package io.doorpair.portal.auth;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless nonces: base64url of {@code version(1) | issued-at millis(8) | random(16) |
 * HMAC-SHA256(key, the 25 bytes before)(32)}. Any process holding the key checks them; nothing is
 * stored until a nonce is used.
 */
final class Nonces {
  private static final byte VERSION = 1;
  private static final int RANDOM_LENGTH = 16;
  private static final int SIGNED_LENGTH = 1 + 8 + RANDOM_LENGTH;
  private static final int MAC_LENGTH = 32;
  private static final int TOKEN_LENGTH = SIGNED_LENGTH + MAC_LENGTH;
  private static final int TEXT_LENGTH = (TOKEN_LENGTH * 8 + 5) / 6;
  static final int MIN_KEY_LENGTH = 32;

  /** The state of a nonce a client sent back. */
  sealed interface Check {}

  /** Not one of ours. */
  record Invalid() implements Check {}

  /** Ours, but past its lifetime. */
  record Expired() implements Check {}

  /** Ours and fresh until {@code expiresAt}. */
  record Fresh(Instant expiresAt) implements Check {}

  private final SecretKeySpec key;
  private final Duration lifetime;
  private final SecureRandom random;

  Nonces(byte[] key, Duration lifetime, SecureRandom random) {
    if (key.length < MIN_KEY_LENGTH) {
      throw new IllegalArgumentException("the nonce key must have at least 32 bytes");
    }
    this.key = new SecretKeySpec(key, "HmacSHA256");
    this.lifetime = lifetime;
    this.random = random;
  }

  String issue(Instant now) {
    byte[] token = new byte[TOKEN_LENGTH];
    ByteBuffer buffer = ByteBuffer.wrap(token);
    buffer.put(VERSION).putLong(now.toEpochMilli());
    byte[] nonceRandom = new byte[RANDOM_LENGTH];
    random.nextBytes(nonceRandom);
    buffer.put(nonceRandom);
    buffer.put(mac(token));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
  }

  Check check(String nonce, Instant now) {
    if (nonce.length() != TEXT_LENGTH) {
      return new Invalid();
    }
    byte[] token;
    try {
      token = Base64.getUrlDecoder().decode(nonce);
    } catch (IllegalArgumentException notBase64) {
      return new Invalid();
    }
    if (token.length != TOKEN_LENGTH || token[0] != VERSION) {
      return new Invalid();
    }
    byte[] expected = mac(token);
    byte[] actual = Arrays.copyOfRange(token, SIGNED_LENGTH, TOKEN_LENGTH);
    if (!MessageDigest.isEqual(expected, actual)) {
      return new Invalid();
    }
    Instant issuedAt = Instant.ofEpochMilli(ByteBuffer.wrap(token, 1, 8).getLong());
    Instant expiresAt = issuedAt.plus(lifetime);
    if (issuedAt.isAfter(now.plus(lifetime))) {
      return new Invalid(); // from the future: another process's clock is far off
    }
    if (!now.isBefore(expiresAt)) {
      return new Expired();
    }
    return new Fresh(expiresAt);
  }

  private byte[] mac(byte[] token) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(token, 0, SIGNED_LENGTH);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
    }
  }
}
