package io.doorpair.ca;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * A revoked certificate, as a CRL lists it.
 *
 * @param serial the certificate serial, positive
 * @param revokedAt when it was revoked
 */
public record RevokedSerial(BigInteger serial, Instant revokedAt) {
  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException if the serial is not positive
   */
  public RevokedSerial {
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(revokedAt, "revokedAt");
    if (serial.signum() <= 0) {
      throw new IllegalArgumentException("serial must be positive");
    }
  }
}
