package io.doorpair.crypto;

import io.doorpair.crypto.internal.BouncyCastle;
import io.doorpair.crypto.internal.KeyAlgorithms;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * Encrypts a {@link SipPassword} to an app's RSA key, as DESIGN §5 fixes it: RSAES-OAEP with
 * SHA-256, MGF1 with SHA-256, an empty label, and the ciphertext in standard base64 with padding.
 *
 * <p>Decryption refuses with one message, {@value #UNDECRYPTABLE}, whatever went wrong (not base64,
 * wrong length, padding failure, not a valid password), so that it is no oracle.
 *
 * <p>Keys held in a platform key store that Bouncy Castle cannot use directly (an Android Keystore
 * key, for instance) are handed to the platform's own {@code RSA/ECB/OAEPPadding} cipher with the
 * same explicit parameters.
 */
public final class SipPasswordCipher {
  /** The one message of every decryption refusal. */
  public static final String UNDECRYPTABLE = "SIP password ciphertext cannot be decrypted";

  private static final OAEPParameterSpec OAEP =
      new OAEPParameterSpec(
          "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
  private static final int MAX_BASE64 = 4 * ((RsaKeys.MAX_BITS / 8 + 2) / 3);

  private SipPasswordCipher() {}

  /**
   * Encrypts {@code password} to {@code recipient}, drawing OAEP's seed from a new {@link
   * SecureRandom}.
   *
   * @throws CryptoException if {@code recipient} fails {@link RsaKeys#requireAcceptable}
   */
  public static String encrypt(SipPassword password, PublicKey recipient) {
    return encrypt(password, recipient, new SecureRandom());
  }

  /**
   * Encrypts {@code password} to {@code recipient}.
   *
   * @return the ciphertext in standard base64 with padding; it decodes to as many bytes as the
   *     recipient's modulus
   * @throws CryptoException if {@code recipient} fails {@link RsaKeys#requireAcceptable}
   */
  public static String encrypt(SipPassword password, PublicKey recipient, SecureRandom random) {
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(random, "random");
    RsaKeys.requireAcceptable(recipient);
    byte[] plaintext = password.reveal().getBytes(StandardCharsets.US_ASCII);
    try {
      Cipher cipher = Cipher.getInstance("RSA/NONE/OAEPPadding", BouncyCastle.provider());
      cipher.init(Cipher.ENCRYPT_MODE, recipient, OAEP, random);
      return Base64.getEncoder().encodeToString(cipher.doFinal(plaintext));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA-OAEP encryption failed", e);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /**
   * Decrypts a ciphertext made by {@link #encrypt}.
   *
   * @throws CryptoException {@value CryptoException#BAD_CIPHERTEXT} with the message {@value
   *     #UNDECRYPTABLE} for anything but a valid ciphertext of a valid password to this key;
   *     {@value CryptoException#UNSUPPORTED_KEY} if {@code key} is not an RSA key usable for OAEP
   */
  public static SipPassword decrypt(String base64, PrivateKey key) {
    Objects.requireNonNull(base64, "base64");
    Objects.requireNonNull(key, "key");
    int size = modulusBytes(key);
    byte[] ciphertext = decode(base64);
    if (ciphertext.length != size) {
      throw undecryptable();
    }
    Cipher cipher = decryptingCipher(key);
    byte[] plaintext = null;
    try {
      plaintext = cipher.doFinal(ciphertext);
      String text = new String(plaintext, StandardCharsets.US_ASCII);
      if (!SipPassword.acceptable(text)
          || !Arrays.equals(text.getBytes(StandardCharsets.US_ASCII), plaintext)) {
        throw undecryptable();
      }
      return SipPassword.of(text);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw undecryptable();
    } finally {
      if (plaintext != null) {
        Arrays.fill(plaintext, (byte) 0);
      }
    }
  }

  /**
   * Whether {@code base64} could be a ciphertext to {@code recipient}: valid standard base64 (with
   * padding) that decodes to exactly as many bytes as the recipient's modulus. It says nothing
   * about what the ciphertext holds.
   *
   * @throws CryptoException {@value CryptoException#UNSUPPORTED_KEY} if {@code recipient} is not an
   *     RSA key
   */
  public static boolean plausibleCiphertext(String base64, PublicKey recipient) {
    Objects.requireNonNull(base64, "base64");
    Objects.requireNonNull(recipient, "recipient");
    int size = modulusBytes(recipient);
    try {
      return decode(base64).length == size;
    } catch (CryptoException e) {
      return false;
    }
  }

  private static int modulusBytes(Key key) {
    if (!(key instanceof RSAKey) || ((RSAKey) key).getModulus() == null) {
      throw RsaKeys.unsupported(KeyAlgorithms.name(key));
    }
    return (((RSAKey) key).getModulus().bitLength() + 7) / 8;
  }

  private static byte[] decode(String base64) {
    if (base64.isEmpty() || base64.length() > MAX_BASE64 || base64.length() % 4 != 0) {
      throw undecryptable();
    }
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw undecryptable();
    }
  }

  private static Cipher decryptingCipher(PrivateKey key) {
    try {
      Cipher cipher = Cipher.getInstance("RSA/NONE/OAEPPadding", BouncyCastle.provider());
      cipher.init(Cipher.DECRYPT_MODE, key, OAEP);
      return cipher;
    } catch (InvalidKeyException e) {
      return platformCipher(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA-OAEP is not available", e);
    }
  }

  private static Cipher platformCipher(PrivateKey key) {
    try {
      Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, OAEP);
      return cipher;
    } catch (GeneralSecurityException e) {
      throw new CryptoException(
          CryptoException.UNSUPPORTED_KEY, "private key cannot be used for RSA-OAEP decryption");
    }
  }

  private static CryptoException undecryptable() {
    return new CryptoException(CryptoException.BAD_CIPHERTEXT, UNDECRYPTABLE);
  }
}
