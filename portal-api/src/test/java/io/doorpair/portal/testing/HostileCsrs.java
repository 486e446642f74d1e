package io.doorpair.portal.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** CSRs an attacker or a buggy client would send, built with Bouncy Castle directly. */
public final class HostileCsrs {
  private HostileCsrs() {}

  /** A CSR with the given subject and extra requested extensions. */
  public static String csr(KeyPair keys, X500Name subject, ExtensionsGenerator extensions) {
    try {
      JcaPKCS10CertificationRequestBuilder builder =
          new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic());
      if (extensions != null && !extensions.isEmpty()) {
        builder.addAttribute(
            PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
      }
      String algorithm =
          keys.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      PKCS10CertificationRequest csr =
          builder.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate()));
      StringWriter out = new StringWriter();
      try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
        pem.writeObject(csr);
      }
      return out.toString();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A subject with one CN. */
  public static X500Name cn(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  /** A subject with two CNs. */
  public static X500Name twoCns(String first, String second) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.CN, first)
        .addRDN(BCStyle.CN, second)
        .build();
  }

  /** Requests CA:true, serverAuth, and DNS, IP and email SANs. */
  public static ExtensionsGenerator greedyExtensions() {
    try {
      ExtensionsGenerator extensions = new ExtensionsGenerator();
      extensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      extensions.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_codeSigning}));
      extensions.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              List.of(
                      new GeneralName(GeneralName.dNSName, "portal.localhost"),
                      new GeneralName(GeneralName.iPAddress, "10.0.0.1"),
                      new GeneralName(GeneralName.rfc822Name, "root@portal.localhost"))
                  .toArray(new GeneralName[0])));
      return extensions;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh EC P-256 key pair. */
  public static KeyPair ecKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh RSA key pair of any size (for refused sizes such as 1024). */
  public static KeyPair rsaKeys(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same PEM with one byte of the signature flipped. */
  public static String withBrokenSignature(String pem) {
    String body =
        pem.replace("-----BEGIN CERTIFICATE REQUEST-----", "")
            .replace("-----END CERTIFICATE REQUEST-----", "")
            .replaceAll("\\s", "");
    byte[] der = java.util.Base64.getDecoder().decode(body);
    der[der.length - 5] ^= 0x01;
    return "-----BEGIN CERTIFICATE REQUEST-----\n"
        + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END CERTIFICATE REQUEST-----\n";
  }
}
