package io.doorpair.crypto;

import io.doorpair.crypto.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed certificates with subjects and SANs that the test PKI would never issue. */
final class OddCertificates {
  private OddCertificates() {}

  static X509Certificate selfSigned(String subject, String... sanUris) {
    KeyPair keys = TestPki.pooledKey(6);
    try {
      X500Name name = new X500Name(subject);
      Instant now = Instant.now();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name,
              BigInteger.valueOf(now.toEpochMilli()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(1))),
              name,
              keys.getPublic());
      if (sanUris.length > 0) {
        GeneralName[] names = new GeneralName[sanUris.length];
        for (int i = 0; i < names.length; i++) {
          names[i] = new GeneralName(GeneralName.uniformResourceIdentifier, sanUris[i]);
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      byte[] der =
          builder
              .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()))
              .getEncoded();
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
