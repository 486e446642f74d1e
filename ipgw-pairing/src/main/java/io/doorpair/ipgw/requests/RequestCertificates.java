package io.doorpair.ipgw.requests;

import io.doorpair.b2b.conf.AccountNames;
import io.doorpair.b2b.conf.FileFormatException;
import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.CryptoException;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.PublicKeyHash;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.welcome.api.ChannelRequest;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Checks an access request from the channel before the owner sees it, and computes the public key
 * hash from the certificate it carries (the specification's step 6: never from anything sent
 * alongside). Refused: a certificate that does not parse, is not signed by the portal CA, is not
 * valid now, whose key is not an acceptable RSA key (2048-4096 bits, e = 65537), that is a gateway
 * certificate, whose CN is not the request's user, whose device instance is not the request's, and
 * a GRUU other than {@code sip:CN;gr=INSTANCE}; a username that would break {@code acl.list}; a
 * friendly name that is not 1-64 printable characters.
 */
public final class RequestCertificates {
  private final X509Certificate portalCa;

  /**
   * A checker.
   *
   * @param portalCa the portal CA certificate stored at pairing
   */
  public RequestCertificates(X509Certificate portalCa) {
    this.portalCa = Objects.requireNonNull(portalCa, "portalCa");
  }

  /**
   * Checks a request.
   *
   * @param request the channel's request
   * @param now the current time
   * @return the public key hash of the certificate (lowercase hex SHA-256 of its SPKI)
   * @throws RequestRefusedException with the reason
   */
  public String check(ChannelRequest request, Instant now) throws RequestRefusedException {
    X509Certificate certificate;
    try {
      certificate = Pem.parseCertificate(request.certificate());
    } catch (CryptoException e) {
      throw new RequestRefusedException("certificate is not one PEM certificate");
    }
    try {
      certificate.verify(portalCa.getPublicKey());
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new RequestRefusedException("certificate is not signed by the portal CA");
    }
    if (!certificate.getIssuerX500Principal().equals(portalCa.getSubjectX500Principal())) {
      throw new RequestRefusedException("certificate is not issued by the portal CA");
    }
    try {
      certificate.checkValidity(Date.from(now));
    } catch (GeneralSecurityException e) {
      throw new RequestRefusedException("certificate is not valid now");
    }
    try {
      RsaKeys.requireAcceptable(certificate.getPublicKey());
    } catch (CryptoException e) {
      throw new RequestRefusedException("certificate key refused: " + e.getMessage());
    }
    CertificateIdentity identity;
    try {
      identity = CertificateIdentity.of(certificate);
    } catch (CryptoException e) {
      throw new RequestRefusedException("certificate has no user@host common name");
    }
    if (identity.isGateway()) {
      throw new RequestRefusedException("a gateway certificate cannot request an account");
    }
    String username;
    try {
      username = AccountNames.portalUsername(request.username());
    } catch (FileFormatException e) {
      throw new RequestRefusedException("username refused: " + e.getMessage());
    }
    if (!identity.user().toLowerCase(Locale.ROOT).equals(username)) {
      throw new RequestRefusedException("certificate is not the requesting user's");
    }
    UUID instance =
        identity
            .instance()
            .orElseThrow(() -> new RequestRefusedException("certificate binds no device"));
    String urn = "urn:uuid:" + instance;
    if (!request.instance().equalsIgnoreCase(urn)) {
      throw new RequestRefusedException("device instance differs from the certificate's");
    }
    String gruu = "sip:" + identity.commonName() + ";gr=" + urn;
    if (!request.gruu().equalsIgnoreCase(gruu)) {
      throw new RequestRefusedException("GRUU differs from the certificate's");
    }
    if (!AccountNames.isFriendlyName(request.friendlyName())) {
      throw new RequestRefusedException("friendly name is not 1-64 printable characters");
    }
    return PublicKeyHash.of(certificate);
  }
}
