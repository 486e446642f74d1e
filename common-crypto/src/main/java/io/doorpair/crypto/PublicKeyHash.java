package io.doorpair.crypto;

import io.doorpair.crypto.internal.Sha256;
import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * The public key hash of DESIGN §5: lowercase hex of SHA-256 over the DER SubjectPublicKeyInfo (64
 * characters). The gateway computes it from the app certificate it receives, the app from its own
 * key; both feed it to {@link SecurityCode}.
 */
public final class PublicKeyHash {
  private PublicKeyHash() {}

  /**
   * Hashes the SubjectPublicKeyInfo encoding of {@code key}.
   *
   * @throws CryptoException {@value CryptoException#UNSUPPORTED_KEY} if the key has no X.509
   *     encoding
   */
  public static String of(PublicKey key) {
    Objects.requireNonNull(key, "key");
    byte[] spki = key.getEncoded();
    if (!"X.509".equals(key.getFormat()) || spki == null) {
      throw new CryptoException(
          CryptoException.UNSUPPORTED_KEY, "public key has no SubjectPublicKeyInfo encoding");
    }
    return Sha256.hex(spki);
  }

  /**
   * Hashes the SubjectPublicKeyInfo exactly as the certificate carries it.
   *
   * @throws CryptoException {@value CryptoException#BAD_CERTIFICATE} if the certificate cannot be
   *     encoded
   */
  public static String of(X509Certificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    try {
      byte[] spki =
          Certificate.getInstance(certificate.getEncoded())
              .getSubjectPublicKeyInfo()
              .getEncoded(ASN1Encoding.DER);
      return Sha256.hex(spki);
    } catch (CertificateEncodingException | IOException | RuntimeException e) {
      throw new CryptoException(
          CryptoException.BAD_CERTIFICATE, "certificate public key cannot be read", e);
    }
  }
}
