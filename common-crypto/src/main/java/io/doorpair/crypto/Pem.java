package io.doorpair.crypto;

import io.doorpair.crypto.internal.BouncyCastle;
import io.doorpair.crypto.internal.KeyAlgorithms;
import io.doorpair.crypto.internal.PemBlocks;
import io.doorpair.crypto.internal.PemSyntaxException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * PEM (RFC 7468) encoding and decoding of certificates, CRLs and RSA keys.
 *
 * <p>Guarantees: input longer than {@value #MAX_CHARS} characters is refused before any parsing;
 * text between blocks is ignored, but every block must be well-formed (matching BEGIN and END
 * labels, base64 only, no headers); a block's content must be exactly one DER structure of the kind
 * its label names, without trailing bytes. Every refusal is a {@link CryptoException} with code
 * {@value CryptoException#BAD_PEM}, or {@value CryptoException#UNSUPPORTED_KEY} for a well-formed
 * key that is not RSA. Nothing else is thrown for any input.
 */
public final class Pem {
  /** The longest accepted PEM input, in characters (64 KiB). */
  public static final int MAX_CHARS = 64 * 1024;

  private static final String CERTIFICATE = "CERTIFICATE";
  private static final String PRIVATE_KEY = "PRIVATE KEY";
  private static final String RSA_PRIVATE_KEY = "RSA PRIVATE KEY";
  private static final String ENCRYPTED_PRIVATE_KEY = "ENCRYPTED PRIVATE KEY";
  private static final String PUBLIC_KEY = "PUBLIC KEY";
  private static final String CRL = "X509 CRL";

  private Pem() {}

  /** Encodes a certificate as one {@code CERTIFICATE} block. */
  public static String certificate(X509Certificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    try {
      return PemBlocks.write(CERTIFICATE, certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new CryptoException(
          CryptoException.BAD_CERTIFICATE, "certificate cannot be encoded", e);
    }
  }

  /**
   * Decodes the one {@code CERTIFICATE} block of {@code pem}; blocks with other labels (a private
   * key, for instance) are ignored.
   *
   * @throws CryptoException {@value CryptoException#BAD_PEM} if there is not exactly one
   *     certificate or it is malformed
   */
  public static X509Certificate parseCertificate(String pem) {
    return toCertificate(one(blocks(pem), CERTIFICATE));
  }

  /**
   * Decodes every {@code CERTIFICATE} block of {@code pem}, in order (a CA bundle, or a chain).
   *
   * @throws CryptoException {@value CryptoException#BAD_PEM} if there is no certificate or one is
   *     malformed
   */
  public static List<X509Certificate> parseCertificates(String pem) {
    List<X509Certificate> certificates = new ArrayList<>();
    for (PemBlocks.Block block : blocks(pem)) {
      if (block.label().equals(CERTIFICATE)) {
        certificates.add(toCertificate(block.der()));
      }
    }
    if (certificates.isEmpty()) {
      throw bad("no CERTIFICATE block found");
    }
    return List.copyOf(certificates);
  }

  /** Encodes a private key as one PKCS#8 {@code PRIVATE KEY} block (unencrypted). */
  public static String privateKey(PrivateKey key) {
    Objects.requireNonNull(key, "key");
    byte[] der = key.getEncoded();
    if (!"PKCS#8".equals(key.getFormat()) || der == null) {
      throw new CryptoException(
          CryptoException.UNSUPPORTED_KEY, "private key has no PKCS#8 encoding");
    }
    return PemBlocks.write(PRIVATE_KEY, der);
  }

  /**
   * Decodes the one RSA private key of {@code pem}: a PKCS#8 {@code PRIVATE KEY} block or a PKCS#1
   * {@code RSA PRIVATE KEY} block. Blocks with other labels (a certificate) are ignored.
   *
   * @throws CryptoException {@value CryptoException#BAD_PEM} if there is not exactly one private
   *     key, it is encrypted or malformed; {@value CryptoException#UNSUPPORTED_KEY} if it is not
   *     RSA
   */
  public static PrivateKey parsePrivateKey(String pem) {
    List<PemBlocks.Block> keys = new ArrayList<>();
    for (PemBlocks.Block block : blocks(pem)) {
      switch (block.label()) {
        case PRIVATE_KEY:
        case RSA_PRIVATE_KEY:
          keys.add(block);
          break;
        case ENCRYPTED_PRIVATE_KEY:
          throw bad("encrypted private keys are not supported");
        default:
          break;
      }
    }
    if (keys.isEmpty()) {
      throw bad("no PRIVATE KEY or RSA PRIVATE KEY block found");
    }
    if (keys.size() > 1) {
      throw bad("expected one private key block, found " + keys.size());
    }
    PemBlocks.Block block = keys.get(0);
    byte[] pkcs8 =
        block.label().equals(PRIVATE_KEY) ? checkPkcs8(block.der()) : pkcs1ToPkcs8(block.der());
    try {
      return KeyFactory.getInstance("RSA", BouncyCastle.provider())
          .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw bad(block.label() + " block is not a valid RSA private key");
    }
  }

  /** Encodes a public key as one {@code PUBLIC KEY} block (DER SubjectPublicKeyInfo). */
  public static String publicKey(PublicKey key) {
    Objects.requireNonNull(key, "key");
    byte[] der = key.getEncoded();
    if (!"X.509".equals(key.getFormat()) || der == null) {
      throw new CryptoException(
          CryptoException.UNSUPPORTED_KEY, "public key has no SubjectPublicKeyInfo encoding");
    }
    return PemBlocks.write(PUBLIC_KEY, der);
  }

  /**
   * Decodes the one {@code PUBLIC KEY} block (SubjectPublicKeyInfo) of {@code pem}.
   *
   * @throws CryptoException {@value CryptoException#BAD_PEM} if there is not exactly one public key
   *     or it is malformed; {@value CryptoException#UNSUPPORTED_KEY} if it is not RSA
   */
  public static PublicKey parsePublicKey(String pem) {
    byte[] der = one(blocks(pem), PUBLIC_KEY);
    SubjectPublicKeyInfo info;
    try {
      info = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
      if (info == null) {
        throw bad("PUBLIC KEY block is not a valid SubjectPublicKeyInfo");
      }
    } catch (IOException | RuntimeException e) {
      throw rethrowOr(e, "PUBLIC KEY block is not a valid SubjectPublicKeyInfo");
    }
    String oid = info.getAlgorithm().getAlgorithm().getId();
    if (!oid.equals(KeyAlgorithms.RSA_ENCRYPTION)) {
      throw RsaKeys.unsupported(KeyAlgorithms.name(oid));
    }
    try {
      return KeyFactory.getInstance("RSA", BouncyCastle.provider())
          .generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw bad("PUBLIC KEY block is not a valid RSA public key");
    }
  }

  /** Encodes a CRL as one {@code X509 CRL} block. */
  public static String crl(X509CRL crl) {
    Objects.requireNonNull(crl, "crl");
    try {
      return PemBlocks.write(CRL, crl.getEncoded());
    } catch (CRLException e) {
      throw new CryptoException(CryptoException.BAD_CERTIFICATE, "CRL cannot be encoded", e);
    }
  }

  /**
   * Decodes the one {@code X509 CRL} block of {@code pem}.
   *
   * @throws CryptoException {@value CryptoException#BAD_PEM} if there is not exactly one CRL or it
   *     is malformed
   */
  public static X509CRL parseCrl(String pem) {
    byte[] der = one(blocks(pem), CRL);
    try {
      X509CRL crl =
          (X509CRL)
              CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
      if (crl == null || !Arrays.equals(crl.getEncoded(), der)) {
        throw bad("X509 CRL block is not a valid X.509 CRL");
      }
      return crl;
    } catch (CRLException | CertificateException | RuntimeException e) {
      throw rethrowOr(e, "X509 CRL block is not a valid X.509 CRL");
    }
  }

  static List<PemBlocks.Block> blocks(String pem) {
    Objects.requireNonNull(pem, "pem");
    if (pem.length() > MAX_CHARS) {
      throw bad("PEM input larger than " + MAX_CHARS + " characters");
    }
    try {
      return PemBlocks.read(pem, false);
    } catch (PemSyntaxException e) {
      throw bad(e.getMessage());
    }
  }

  private static byte[] one(List<PemBlocks.Block> blocks, String label) {
    List<PemBlocks.Block> matching = new ArrayList<>();
    for (PemBlocks.Block block : blocks) {
      if (block.label().equals(label)) {
        matching.add(block);
      }
    }
    if (matching.isEmpty()) {
      throw bad("no " + label + " block found");
    }
    if (matching.size() > 1) {
      throw bad("expected one " + label + " block, found " + matching.size());
    }
    return matching.get(0).der();
  }

  private static X509Certificate toCertificate(byte[] der) {
    try {
      X509Certificate certificate =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der));
      if (certificate == null || !Arrays.equals(certificate.getEncoded(), der)) {
        throw bad("CERTIFICATE block is not a valid X.509 certificate");
      }
      return certificate;
    } catch (CertificateException | RuntimeException e) {
      throw rethrowOr(e, "CERTIFICATE block is not a valid X.509 certificate");
    }
  }

  private static byte[] checkPkcs8(byte[] der) {
    PrivateKeyInfo info;
    try {
      info = PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
      if (info == null) {
        throw bad("PRIVATE KEY block is not a valid PKCS#8 private key");
      }
    } catch (IOException | RuntimeException e) {
      throw rethrowOr(e, "PRIVATE KEY block is not a valid PKCS#8 private key");
    }
    String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
    if (!oid.equals(KeyAlgorithms.RSA_ENCRYPTION)) {
      throw RsaKeys.unsupported(KeyAlgorithms.name(oid));
    }
    return der;
  }

  private static byte[] pkcs1ToPkcs8(byte[] der) {
    try {
      RSAPrivateKey key = RSAPrivateKey.getInstance(ASN1Primitive.fromByteArray(der));
      if (key == null) {
        throw bad("RSA PRIVATE KEY block is not a valid PKCS#1 private key");
      }
      return new PrivateKeyInfo(
              new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), key)
          .getEncoded();
    } catch (IOException | RuntimeException e) {
      throw rethrowOr(e, "RSA PRIVATE KEY block is not a valid PKCS#1 private key");
    }
  }

  private static CryptoException rethrowOr(Exception e, String message) {
    if (e instanceof CryptoException) {
      return (CryptoException) e;
    }
    return bad(message);
  }

  private static CryptoException bad(String message) {
    return new CryptoException(CryptoException.BAD_PEM, message);
  }
}
