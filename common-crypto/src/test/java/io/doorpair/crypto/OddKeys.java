package io.doorpair.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;

/** Keys this library must refuse, made once per JVM with the JDK's own providers. */
final class OddKeys {
  private static KeyPair rsa1024;
  private static KeyPair rsaExponent3;
  private static KeyPair ec;
  private static KeyPair ed25519;

  private OddKeys() {}

  static synchronized KeyPair rsa1024() {
    if (rsa1024 == null) {
      rsa1024 = generate("RSA", new RSAKeyGenParameterSpec(1024, RSAKeyGenParameterSpec.F4));
    }
    return rsa1024;
  }

  static synchronized KeyPair rsaExponent3() {
    if (rsaExponent3 == null) {
      rsaExponent3 = generate("RSA", new RSAKeyGenParameterSpec(2048, BigInteger.valueOf(3)));
    }
    return rsaExponent3;
  }

  static synchronized KeyPair ec() {
    if (ec == null) {
      ec = generate("EC", new ECGenParameterSpec("secp256r1"));
    }
    return ec;
  }

  static synchronized KeyPair ed25519() {
    if (ed25519 == null) {
      try {
        ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
    return ed25519;
  }

  /** An RSA public key object with a modulus of {@code bits} bits (not a real key). */
  static PublicKey rsaPublicOfBits(int bits) {
    BigInteger modulus = BigInteger.ONE.shiftLeft(bits - 1).setBit(0);
    try {
      return KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(modulus, RSAKeyGenParameterSpec.F4));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair generate(String algorithm, AlgorithmParameterSpec spec) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      generator.initialize(spec);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
