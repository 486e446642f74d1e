package io.doorpair.crypto.testing;

import java.io.IOException;
import java.security.KeyPair;
import java.security.Provider;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Builds PKCS#10 requests of any shape, good or bad, for tests of CSR parsing and CA policy: extra
 * subject attributes, several CNs, arbitrary SANs, CA:true, EKU serverAuth, weak signature
 * algorithms, a broken signature.
 */
public final class TestCsrs {
  private static final Provider BC = new BouncyCastleProvider();

  private final KeyPair keys;
  private final X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
  private final List<GeneralName> sans = new ArrayList<>();
  private final ExtensionsGenerator extensions = new ExtensionsGenerator();
  private String signatureAlgorithm = "SHA256withRSA";
  private boolean tamper;

  private TestCsrs(KeyPair keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  /** Starts a request signed by {@code keys} with an empty subject and no extension. */
  public static TestCsrs builder(KeyPair keys) {
    return new TestCsrs(keys);
  }

  /** Adds a CN (UTF8String). */
  public TestCsrs commonName(String cn) {
    subject.addRDN(BCStyle.CN, new DERUTF8String(cn));
    return this;
  }

  /** Adds a subject attribute, e.g. {@code BCStyle.O}. */
  public TestCsrs attribute(ASN1ObjectIdentifier type, String value) {
    subject.addRDN(type, new DERPrintableString(value));
    return this;
  }

  /** Adds a SAN URI, e.g. {@code urn:uuid:...}. */
  public TestCsrs uri(String uri) {
    sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
    return this;
  }

  /** Adds a SAN DNS name. */
  public TestCsrs dns(String name) {
    sans.add(new GeneralName(GeneralName.dNSName, name));
    return this;
  }

  /** Adds a SAN IP address. */
  public TestCsrs ip(String address) {
    sans.add(new GeneralName(GeneralName.iPAddress, address));
    return this;
  }

  /** Adds a SAN email address. */
  public TestCsrs email(String address) {
    sans.add(new GeneralName(GeneralName.rfc822Name, address));
    return this;
  }

  /** Requests basicConstraints CA:true (critical). */
  public TestCsrs caTrue() {
    return extension(Extension.basicConstraints, true, new BasicConstraints(true));
  }

  /** Requests EKU serverAuth and clientAuth. */
  public TestCsrs serverAuth() {
    return extension(
        Extension.extendedKeyUsage,
        false,
        new ExtendedKeyUsage(
            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
  }

  /** Requests key usage keyCertSign + cRLSign (critical). */
  public TestCsrs certSign() {
    return extension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
  }

  private TestCsrs extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
    try {
      extensions.addExtension(oid, critical, value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  /** Signs with another algorithm, e.g. {@code SHA1withRSA} or {@code MD5withRSA}. */
  public TestCsrs signatureAlgorithm(String algorithm) {
    this.signatureAlgorithm = algorithm;
    return this;
  }

  /** Flips a bit of the signature. */
  public TestCsrs tamperSignature() {
    this.tamper = true;
    return this;
  }

  /** The DER encoding. */
  public byte[] der() {
    try {
      PKCS10CertificationRequestBuilder builder =
          new JcaPKCS10CertificationRequestBuilder(subject.build(), keys.getPublic());
      ExtensionsGenerator all = new ExtensionsGenerator();
      if (!sans.isEmpty()) {
        all.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(sans.toArray(new GeneralName[0])));
      }
      if (!extensions.isEmpty()) {
        for (ASN1ObjectIdentifier oid : extensions.generate().getExtensionOIDs()) {
          all.addExtension(extensions.generate().getExtension(oid));
        }
      }
      if (!all.isEmpty()) {
        builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, all.generate());
      }
      byte[] der =
          builder
              .build(
                  new JcaContentSignerBuilder(signatureAlgorithm)
                      .setProvider(BC)
                      .build(keys.getPrivate()))
              .getEncoded();
      if (tamper) {
        der[der.length - 1] ^= 0x01;
      }
      return der;
    } catch (IOException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The PEM encoding, label {@code CERTIFICATE REQUEST}. */
  public String pem() {
    return pem("CERTIFICATE REQUEST", der());
  }

  /** Any bytes as one PEM block with 64-character lines. */
  public static String pem(String label, byte[] der) {
    String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
  }
}
