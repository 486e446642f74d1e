package io.doorpair.sipedge.admission;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What makes a peer a SIP node rather than a device (DESIGN §10, {@code docs/sip-nodes.md}). A node
 * certificate is one the portal CA issued with extended key usage serverAuth <em>and</em>
 * clientAuth ({@code CertificateAuthority.issueNode}, {@code portal sip-node-cert}) and a CN
 * without {@code @}; app and gateway certificates carry clientAuth only and a CN {@code user@host},
 * and the portal's HTTPS certificate serverAuth only (it cannot even open a client connection: the
 * JDK's trust manager wants clientAuth on a client certificate that names its purposes). The chain
 * to the CA is checked by the TLS handshake before any of this is asked; this class only reads the
 * leaf's own fields. A node certificate is never a device identity: its CN can never equal a From
 * {@code user@host}, and the edge refuses REGISTER from it.
 */
public final class NodeCertificates {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private NodeCertificates() {}

  /** Whether {@code certificate} has the form of a node certificate (see the class comment). */
  public static boolean isNode(X509Certificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    List<String> purposes;
    try {
      purposes = certificate.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      return false;
    }
    if (purposes == null || !purposes.contains(SERVER_AUTH) || !purposes.contains(CLIENT_AUTH)) {
      return false;
    }
    if (certificate.getBasicConstraints() >= 0) {
      return false; // a CA certificate is never a node
    }
    String subject = certificate.getSubjectX500Principal().getName();
    return subject.startsWith("CN=")
        && subject.length() > 3
        && subject.indexOf('@') < 0
        && subject.indexOf(',') < 0
        && subject.indexOf('+') < 0;
  }

  /** Lowercase hex of SHA-256 over the certificate's DER encoding: how heartbeats name it. */
  public static String fingerprint(X509Certificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint a certificate", e);
    }
  }
}
