package io.doorpair.portal.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A certificate the portal CA issued to an app or a gateway.
 *
 * @param serial the certificate serial (positive)
 * @param kind app or gateway
 * @param owner the username it was issued to (the gateway's owner for a gateway)
 * @param commonName the CN: {@code user@portal-domain} or {@code ipgw@DOMAIN}
 * @param gatewayDomain the DOMAIN, for a gateway certificate
 * @param instance the device instance bound in an app certificate
 * @param friendlyName as given at pairing
 * @param pem the certificate in PEM
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param issuedAt when it was issued
 * @param revokedAt when it was revoked, if it was
 * @param renewedFrom the serial this certificate renewed, if any
 */
public record CertificateRecord(
    BigInteger serial,
    Kind kind,
    String owner,
    String commonName,
    Optional<String> gatewayDomain,
    Optional<UUID> instance,
    String friendlyName,
    String pem,
    Instant notBefore,
    Instant notAfter,
    Instant issuedAt,
    Optional<Instant> revokedAt,
    Optional<BigInteger> renewedFrom) {

  /** What holds the certificate. */
  public enum Kind {
    APP,
    GATEWAY
  }

  public CertificateRecord {
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(commonName, "commonName");
    Objects.requireNonNull(gatewayDomain, "gatewayDomain");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(friendlyName, "friendlyName");
    Objects.requireNonNull(pem, "pem");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(renewedFrom, "renewedFrom");
    if (serial.signum() <= 0) {
      throw new IllegalArgumentException("serial must be positive");
    }
  }

  public boolean revoked() {
    return revokedAt.isPresent();
  }
}
