package io.doorpair.welcome.http;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.CryptoException;
import io.doorpair.welcome.api.CertificateResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What {@link PortalClient} checks in the certificates, CA and CRL the portal returns: they parse,
 * the CA equals the pinned one, the certificate and the CRL are signed by it. The one exception is
 * a renewal during a portal CA rotation ({@link #renewed}, {@code docs/ca-rotation.md}).
 */
final class CertificateChecks {
  private final Optional<X509Certificate> pinnedCa;

  CertificateChecks(Optional<X509Certificate> pinnedCa) {
    this.pinnedCa = pinnedCa;
  }

  /** A pairing or renewal answer: both certificates present, parsed, chained, CA pinned. */
  CertificateResponse issued(int status, CertificateResponse response) {
    if (response.certificate() == null || response.caCertificate() == null) {
      throw new PortalException(
          status, PortalException.BAD_RESPONSE, "certificate or ca_certificate missing");
    }
    X509Certificate certificate = parseCertificate(status, response.certificate(), "certificate");
    X509Certificate ca = parseCertificate(status, response.caCertificate(), "CA certificate");
    pinned(status, ca);
    try {
      certificate.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new PortalException(
          status, PortalException.BAD_RESPONSE, "the certificate is not signed by the CA", e);
    }
    return response;
  }

  /**
   * A renewal answer. When its CA equals the pinned one (or none is pinned), the checks of {@link
   * #issued}. When it differs, the portal CA was rotated, and the new CA is accepted only by the
   * rule of {@code docs/ca-rotation.md}, with nothing to trust but the pinned CA:
   *
   * <ol>
   *   <li>the new CA certificate is a CA certificate (basic constraints) signed by its own key;
   *   <li>the server chain of the TLS session that carried this very answer holds a CA certificate
   *       with the new CA's subject and public key whose signature verifies with the pinned CA's
   *       key (the cross-certificate the portal presents during the overlap);
   *   <li>the renewed certificate verifies with the new CA's key;
   *   <li>it keeps the CN and the instance (or the absence of one) of {@code current}.
   * </ol>
   *
   * Otherwise {@link PortalException#CA_CHANGED}, naming the failed step.
   *
   * @param status the HTTP status, for errors
   * @param response the answer
   * @param current the certificate being renewed (the client's own)
   * @param peerChain the server chain of the session that carried the answer
   * @return the answer, checked
   */
  CertificateResponse renewed(
      int status,
      CertificateResponse response,
      X509Certificate current,
      List<X509Certificate> peerChain) {
    if (response.certificate() == null || response.caCertificate() == null) {
      throw new PortalException(
          status, PortalException.BAD_RESPONSE, "certificate or ca_certificate missing");
    }
    X509Certificate ca = parseCertificate(status, response.caCertificate(), "CA certificate");
    if (!pinnedCa.isPresent() || sameEncoding(status, pinnedCa.get(), ca)) {
      return issued(status, response);
    }
    X509Certificate certificate = parseCertificate(status, response.certificate(), "certificate");
    X509Certificate pinned = pinnedCa.get();
    if (ca.getBasicConstraints() < 0 || !signedBy(ca, ca.getPublicKey())) {
      throw caChanged(status, "the new portal CA is not a self-signed CA certificate");
    }
    boolean crossCertified = false;
    for (X509Certificate presented : peerChain) {
      if (presented.getBasicConstraints() >= 0
          && presented.getSubjectX500Principal().equals(ca.getSubjectX500Principal())
          && Arrays.equals(presented.getPublicKey().getEncoded(), ca.getPublicKey().getEncoded())
          && signedBy(presented, pinned.getPublicKey())) {
        crossCertified = true;
        break;
      }
    }
    if (!crossCertified) {
      throw caChanged(
          status,
          "the portal CA differs from the pinned one and the connection presented no certificate"
              + " of the new CA signed by the pinned CA (no rotation): refused");
    }
    if (!signedBy(certificate, ca.getPublicKey())) {
      throw caChanged(status, "the renewed certificate is not signed by the new portal CA");
    }
    CertificateIdentity was = identity(status, current);
    CertificateIdentity now = identity(status, certificate);
    if (!now.commonName().equalsIgnoreCase(was.commonName())
        || !now.instance().equals(was.instance())) {
      throw caChanged(
          status, "the certificate renewed under the new portal CA changed its CN or instance");
    }
    return response;
  }

  private static boolean signedBy(X509Certificate certificate, PublicKey key) {
    try {
      certificate.verify(key);
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static CertificateIdentity identity(int status, X509Certificate certificate) {
    try {
      return CertificateIdentity.of(certificate);
    } catch (CryptoException | IllegalArgumentException e) {
      throw new PortalException(
          status, PortalException.BAD_RESPONSE, "the certificate names no device", e);
    }
  }

  private static PortalException caChanged(int status, String message) {
    return new PortalException(status, PortalException.CA_CHANGED, message);
  }

  private static boolean sameEncoding(int status, X509Certificate a, X509Certificate b) {
    try {
      return Arrays.equals(a.getEncoded(), b.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new PortalException(status, PortalException.BAD_RESPONSE, "unreadable CA", e);
    }
  }

  /** {@code GET /api/ca.pem}: a certificate, equal to the pinned one. */
  void caPem(int status, String pem) {
    pinned(status, parseCertificate(status, pem, "CA certificate"));
  }

  /** {@code GET /api/crl.pem}: a CRL, signed by the pinned CA. */
  void crlPem(int status, String pem) {
    X509CRL crl;
    try {
      crl =
          (X509CRL)
              CertificateFactory.getInstance("X.509")
                  .generateCRL(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new PortalException(status, PortalException.BAD_RESPONSE, "the CRL does not parse", e);
    }
    if (pinnedCa.isPresent()) {
      try {
        crl.verify(pinnedCa.get().getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new PortalException(
            status, PortalException.BAD_RESPONSE, "the CRL is not signed by the pinned CA", e);
      }
    }
  }

  private void pinned(int status, X509Certificate ca) {
    if (!pinnedCa.isPresent()) {
      return;
    }
    try {
      if (!Arrays.equals(pinnedCa.get().getEncoded(), ca.getEncoded())) {
        throw new PortalException(
            status, PortalException.CA_CHANGED, "the portal CA differs from the pinned one");
      }
    } catch (CertificateEncodingException e) {
      throw new PortalException(status, PortalException.BAD_RESPONSE, "unreadable CA", e);
    }
  }

  private static X509Certificate parseCertificate(int status, String pem, String what) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException | RuntimeException e) {
      throw new PortalException(
          status, PortalException.BAD_RESPONSE, "the " + what + " does not parse", e);
    }
  }
}
