package io.doorpair.welcome.http;

import io.doorpair.welcome.api.CertificateResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;

/**
 * What {@link PortalClient} checks in the certificates, CA and CRL the portal returns: they parse,
 * the CA equals the pinned one, the certificate and the CRL are signed by it.
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
