package io.doorpair.ca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Bouncy Castle plumbing of the CA: SHA256withRSA signers (on the JDK's RSA), and conversion of
 * what Bouncy Castle builds into the platform's own certificate and CRL objects.
 */
final class Signing {
  private static final Provider JDK_RSA = requireProvider("SunRsaSign");

  private Signing() {}

  private static Provider requireProvider(String name) {
    Provider provider = Security.getProvider(name);
    if (provider == null) {
      throw new IllegalStateException("the JDK's " + name + " provider is missing");
    }
    return provider;
  }

  /**
   * A SHA256withRSA signer on the JDK's own RSA implementation (SunRsaSign), which signed 1.06 to
   * 1.3 times as fast as Bouncy Castle's on two threads in the bench runs (bench/RESULTS.md). Keep
   * the key from {@link #platformKey} so that it is not translated at each signature.
   */
  static ContentSigner signer(PrivateKey key) {
    try {
      return new JcaContentSignerBuilder("SHA256withRSA").setProvider(JDK_RSA).build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalArgumentException("the CA key cannot sign with SHA256withRSA", e);
    }
  }

  /** The key as the JDK's RSA provider's own key class (a Bouncy Castle key is translated once). */
  static PrivateKey platformKey(PrivateKey key) {
    try {
      return (PrivateKey) KeyFactory.getInstance("RSA", JDK_RSA).translateKey(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the CA key is not an RSA key the JDK can use", e);
    }
  }

  static X509Certificate certificate(X509CertificateHolder holder) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("the CA built an unreadable certificate", e);
    }
  }

  static X509CRL crl(X509CRLHolder holder) {
    try {
      return (X509CRL)
          CertificateFactory.getInstance("X.509")
              .generateCRL(new ByteArrayInputStream(holder.getEncoded()));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("the CA built an unreadable CRL", e);
    }
  }

  static X500Name subject(X509Certificate certificate) {
    return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
  }

  /** The SHA-1 key identifier of RFC 5280 §4.2.1.2 method 1. */
  static SubjectKeyIdentifier keyIdentifier(PublicKey key) {
    try {
      return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-1 is not available", e);
    }
  }

  /** The CA certificate's own subjectKeyIdentifier, or one computed from its key. */
  static byte[] keyIdentifierOf(X509Certificate certificate) {
    byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (extension != null) {
      return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets())
          .getKeyIdentifier();
    }
    return keyIdentifier(certificate.getPublicKey()).getKeyIdentifier();
  }

  /** Whether an RSA private key and an RSA certificate key share their modulus. */
  static boolean matches(PrivateKey key, PublicKey certificateKey) {
    if (!(key instanceof RSAKey) || !(certificateKey instanceof RSAPublicKey)) {
      return false;
    }
    BigInteger modulus = ((RSAKey) key).getModulus();
    return modulus != null && modulus.equals(((RSAPublicKey) certificateKey).getModulus());
  }
}
