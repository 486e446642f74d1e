package io.doorpair.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * Certificates and CRLs as text, for golden files: every field and every extension in encoded
 * order. Values that depend on a random key (key identifiers) are shown by what they must equal,
 * and in hex when they do not.
 */
final class CertificateDump {
  private static final Map<ASN1ObjectIdentifier, String> NAMES =
      Map.of(
          Extension.basicConstraints, "basicConstraints",
          Extension.keyUsage, "keyUsage",
          Extension.extendedKeyUsage, "extendedKeyUsage",
          Extension.subjectAlternativeName, "subjectAltName",
          Extension.subjectKeyIdentifier, "subjectKeyIdentifier",
          Extension.authorityKeyIdentifier, "authorityKeyIdentifier",
          Extension.cRLNumber, "cRLNumber");
  private static final String[] KEY_USAGES = {
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly"
  };

  private CertificateDump() {}

  static String of(X509Certificate cert, X509Certificate issuer) {
    try {
      X509CertificateHolder holder = new X509CertificateHolder(cert.getEncoded());
      StringBuilder out = new StringBuilder();
      out.append("version: ").append(cert.getVersion()).append('\n');
      out.append("serial: ").append(cert.getSerialNumber().toString(16)).append('\n');
      out.append("signature: ").append(cert.getSigAlgName()).append('\n');
      out.append("issuer: ").append(name(cert.getIssuerX500Principal())).append('\n');
      out.append("subject: ").append(name(cert.getSubjectX500Principal())).append('\n');
      out.append("notBefore: ").append(cert.getNotBefore().toInstant()).append('\n');
      out.append("notAfter: ").append(cert.getNotAfter().toInstant()).append('\n');
      out.append("publicKey: ").append(key(cert.getPublicKey())).append('\n');
      out.append("extensions:\n");
      extensions(out, holder.getExtensions(), cert.getPublicKey(), issuer);
      return out.toString();
    } catch (CertificateEncodingException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String of(X509CRL crl, X509Certificate issuer) {
    try {
      X509CRLHolder holder = new X509CRLHolder(crl.getEncoded());
      StringBuilder out = new StringBuilder();
      out.append("version: ").append(crl.getVersion()).append('\n');
      out.append("signature: ").append(crl.getSigAlgName()).append('\n');
      out.append("issuer: ").append(name(crl.getIssuerX500Principal())).append('\n');
      out.append("thisUpdate: ").append(crl.getThisUpdate().toInstant()).append('\n');
      out.append("nextUpdate: ").append(crl.getNextUpdate().toInstant()).append('\n');
      out.append("revoked:\n");
      List<X509CRLEntry> entries =
          crl.getRevokedCertificates() == null
              ? List.of()
              : new ArrayList<>(crl.getRevokedCertificates());
      // encoded order, as the CRL carries them
      for (Object o : holder.getRevokedCertificates()) {
        X509CRLEntryHolder entry = (X509CRLEntryHolder) o;
        out.append("  ")
            .append(entry.getSerialNumber().toString(16))
            .append(" at ")
            .append(entry.getRevocationDate().toInstant())
            .append(entry.hasExtensions() ? " with entry extensions" : "")
            .append('\n');
      }
      if (entries.size() != holder.getRevokedCertificates().size()) {
        out.append("  (platform sees ").append(entries.size()).append(" entries)\n");
      }
      out.append("extensions:\n");
      extensions(out, holder.getExtensions(), null, issuer);
      return out.toString();
    } catch (CRLException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void extensions(
      StringBuilder out, Extensions extensions, PublicKey subjectKey, X509Certificate issuer) {
    if (extensions == null) {
      return;
    }
    for (ASN1ObjectIdentifier oid : extensions.getExtensionOIDs()) {
      Extension extension = extensions.getExtension(oid);
      out.append("  ")
          .append(NAMES.getOrDefault(oid, oid.getId()))
          .append(extension.isCritical() ? " (critical)" : "")
          .append(": ")
          .append(value(extension, subjectKey, issuer))
          .append('\n');
    }
  }

  private static String value(Extension extension, PublicKey subjectKey, X509Certificate issuer) {
    ASN1ObjectIdentifier oid = extension.getExtnId();
    if (oid.equals(Extension.basicConstraints)) {
      BasicConstraints bc = BasicConstraints.getInstance(extension.getParsedValue());
      return bc.isCA()
          ? "CA:true"
              + (bc.getPathLenConstraint() == null ? "" : ", pathLen:" + bc.getPathLenConstraint())
          : "CA:false";
    }
    if (oid.equals(Extension.keyUsage)) {
      KeyUsage ku = KeyUsage.getInstance(extension.getParsedValue());
      List<String> names = new ArrayList<>();
      int[] bits = {
        KeyUsage.digitalSignature,
        KeyUsage.nonRepudiation,
        KeyUsage.keyEncipherment,
        KeyUsage.dataEncipherment,
        KeyUsage.keyAgreement,
        KeyUsage.keyCertSign,
        KeyUsage.cRLSign,
        KeyUsage.encipherOnly,
        KeyUsage.decipherOnly
      };
      for (int i = 0; i < bits.length; i++) {
        if (ku.hasUsages(bits[i])) {
          names.add(KEY_USAGES[i]);
        }
      }
      return String.join(", ", names);
    }
    if (oid.equals(Extension.extendedKeyUsage)) {
      List<String> names = new ArrayList<>();
      for (KeyPurposeId id : ExtendedKeyUsage.getInstance(extension.getParsedValue()).getUsages()) {
        names.add(
            id.equals(KeyPurposeId.id_kp_clientAuth)
                ? "clientAuth"
                : id.equals(KeyPurposeId.id_kp_serverAuth) ? "serverAuth" : id.getId());
      }
      return String.join(", ", names);
    }
    if (oid.equals(Extension.subjectAlternativeName)) {
      List<String> names = new ArrayList<>();
      for (GeneralName name : GeneralNames.getInstance(extension.getParsedValue()).getNames()) {
        names.add(generalName(name));
      }
      return String.join(", ", names);
    }
    if (oid.equals(Extension.subjectKeyIdentifier)) {
      byte[] id = SubjectKeyIdentifier.getInstance(extension.getParsedValue()).getKeyIdentifier();
      return subjectKey != null && Arrays.equals(id, sha1KeyId(subjectKey))
          ? "SHA-1 of the subject public key"
          : HexFormat.of().formatHex(id);
    }
    if (oid.equals(Extension.authorityKeyIdentifier)) {
      AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(extension.getParsedValue());
      String keyId =
          Arrays.equals(aki.getKeyIdentifier(), sha1KeyId(issuer.getPublicKey()))
              ? "the issuer's subjectKeyIdentifier"
              : HexFormat.of().formatHex(aki.getKeyIdentifier());
      return "keyid = "
          + keyId
          + (aki.getAuthorityCertIssuer() != null ? ", with issuer name" : "")
          + (aki.getAuthorityCertSerialNumber() != null ? ", with issuer serial" : "");
    }
    if (oid.equals(Extension.cRLNumber)) {
      BigInteger number = ASN1Integer.getInstance(extension.getParsedValue()).getValue();
      return number.toString();
    }
    return HexFormat.of().formatHex(extension.getExtnValue().getOctets());
  }

  private static String generalName(GeneralName name) {
    switch (name.getTagNo()) {
      case GeneralName.uniformResourceIdentifier:
        return "URI:" + name.getName();
      case GeneralName.dNSName:
        return "DNS:" + name.getName();
      case GeneralName.rfc822Name:
        return "email:" + name.getName();
      case GeneralName.iPAddress:
        byte[] octets = ASN1OctetString.getInstance(name.getName()).getOctets();
        try {
          return "IP:" + InetAddress.getByAddress(octets).getHostAddress();
        } catch (UnknownHostException e) {
          return "IP:" + HexFormat.of().formatHex(octets);
        }
      default:
        return "[" + name.getTagNo() + "]";
    }
  }

  private static byte[] sha1KeyId(PublicKey key) {
    try {
      return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key).getKeyIdentifier();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String key(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return "RSA " + rsa.getModulus().bitLength() + " bits, e=" + rsa.getPublicExponent();
    }
    return key.getAlgorithm();
  }

  private static String name(X500Principal principal) {
    return principal.getName(X500Principal.RFC2253);
  }
}
