package io.doorpair.ca;

import io.doorpair.crypto.Pem;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A certificate the CA just issued, with the facts the portal stores about it.
 *
 * @param certificate the certificate
 * @param serial its serial number
 * @param commonName its subject CN
 * @param instance the device instance it binds (apps only)
 * @param notBefore start of validity, as encoded (whole seconds)
 * @param notAfter end of validity, as encoded (whole seconds)
 */
public record IssuedCertificate(
    X509Certificate certificate,
    BigInteger serial,
    String commonName,
    Optional<UUID> instance,
    Instant notBefore,
    Instant notAfter) {

  /** Checks that no component is null. */
  public IssuedCertificate {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(commonName, "commonName");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
  }

  /** The certificate as one PEM {@code CERTIFICATE} block. */
  public String pem() {
    return Pem.certificate(certificate);
  }
}
