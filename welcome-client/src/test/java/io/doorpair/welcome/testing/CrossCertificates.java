package io.doorpair.welcome.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Cross-certificates as the portal presents them during a CA rotation: the new CA's subject and key
 * in a CA certificate issued by the old CA (or, for the refusal tests, by any other key).
 */
public final class CrossCertificates {
  private static final SecureRandom RANDOM = new SecureRandom();

  private CrossCertificates() {}

  /**
   * A CA certificate for {@code subject}'s name and key, issued in {@code issuerName}'s name and
   * signed by {@code signingKey}.
   *
   * @param subject the CA whose name and key are certified
   * @param issuerName the certificate whose subject becomes the issuer name
   * @param signingKey the key that signs (the old CA's, or another one)
   * @return the cross-certificate
   */
  public static X509Certificate of(
      X509Certificate subject, X509Certificate issuerName, PrivateKey signingKey) {
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuerName.getSubjectX500Principal(),
              new BigInteger(64, RANDOM).add(BigInteger.ONE),
              subject.getNotBefore(),
              subject.getNotAfter(),
              subject.getSubjectX500Principal(),
              subject.getPublicKey());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(subject.getPublicKey()));
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signingKey)));
    } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
