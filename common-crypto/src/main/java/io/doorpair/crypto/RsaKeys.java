package io.doorpair.crypto;

import io.doorpair.crypto.internal.BouncyCastle;
import io.doorpair.crypto.internal.KeyAlgorithms;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Objects;

/**
 * RSA key pairs as this system accepts them: {@value #MIN_BITS} to {@value #MAX_BITS} bits, public
 * exponent 65537. No other key type is accepted anywhere (the specification requires RSA).
 */
public final class RsaKeys {
  /** The smallest accepted modulus, in bits. */
  public static final int MIN_BITS = 2048;

  /** The largest accepted modulus, in bits. */
  public static final int MAX_BITS = 4096;

  private static final BigInteger F4 = RSAKeyGenParameterSpec.F4;

  private RsaKeys() {}

  /**
   * Generates an RSA key pair with public exponent 65537, drawing from a new {@link SecureRandom}.
   *
   * @param bits modulus size, {@value #MIN_BITS} to {@value #MAX_BITS}
   * @throws IllegalArgumentException if {@code bits} is out of range
   */
  public static KeyPair generate(int bits) {
    return generate(bits, new SecureRandom());
  }

  /**
   * Generates an RSA key pair with public exponent 65537.
   *
   * @param bits modulus size, {@value #MIN_BITS} to {@value #MAX_BITS}
   * @param random the source of randomness
   * @throws IllegalArgumentException if {@code bits} is out of range
   */
  public static KeyPair generate(int bits, SecureRandom random) {
    Objects.requireNonNull(random, "random");
    if (bits < MIN_BITS || bits > MAX_BITS) {
      throw new IllegalArgumentException(
          "RSA key size must be between " + MIN_BITS + " and " + MAX_BITS + " bits: " + bits);
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", BouncyCastle.provider());
      generator.initialize(new RSAKeyGenParameterSpec(bits, F4), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA key generation is not available", e);
    }
  }

  /**
   * Accepts an RSA public key of {@value #MIN_BITS} to {@value #MAX_BITS} bits with public exponent
   * 65537, and refuses anything else.
   *
   * <p>Messages: {@code unsupported key algorithm EC: only RSA keys are accepted} ({@value
   * CryptoException#UNSUPPORTED_KEY}); {@code RSA key of 1024 bits refused: 2048 to 4096 bits
   * required} and {@code RSA public exponent 3 refused: 65537 required} ({@value
   * CryptoException#WEAK_KEY}).
   *
   * @throws CryptoException {@value CryptoException#UNSUPPORTED_KEY} for a key that is not RSA (EC,
   *     Ed25519, RSASSA-PSS, ...), {@value CryptoException#WEAK_KEY} for a modulus out of range or
   *     another exponent
   */
  public static void requireAcceptable(PublicKey key) {
    Objects.requireNonNull(key, "key");
    if (!(key instanceof RSAPublicKey) || !"RSA".equals(key.getAlgorithm())) {
      throw unsupported(KeyAlgorithms.name(key));
    }
    RSAPublicKey rsa = (RSAPublicKey) key;
    requireAcceptable(rsa.getModulus(), rsa.getPublicExponent());
  }

  static void requireAcceptable(BigInteger modulus, BigInteger exponent) {
    int bits = modulus.signum() > 0 ? modulus.bitLength() : 0;
    if (bits < MIN_BITS || bits > MAX_BITS) {
      throw new CryptoException(
          CryptoException.WEAK_KEY,
          "RSA key of "
              + bits
              + " bits refused: "
              + MIN_BITS
              + " to "
              + MAX_BITS
              + " bits required");
    }
    if (!F4.equals(exponent)) {
      throw new CryptoException(
          CryptoException.WEAK_KEY,
          "RSA public exponent " + abbreviate(exponent) + " refused: 65537 required");
    }
  }

  static CryptoException unsupported(String algorithm) {
    return new CryptoException(
        CryptoException.UNSUPPORTED_KEY,
        "unsupported key algorithm " + algorithm + ": only RSA keys are accepted");
  }

  private static String abbreviate(BigInteger exponent) {
    return exponent.bitLength() <= 64
        ? exponent.toString()
        : "of " + exponent.bitLength() + " bits";
  }
}
