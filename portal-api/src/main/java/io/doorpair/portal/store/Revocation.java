package io.doorpair.portal.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * A revoked serial, as it goes into the CRL.
 *
 * @param serial the revoked certificate's serial
 * @param revokedAt when it was revoked
 * @param reason a short reason code such as {@code owner_revoked} or {@code user_deleted}
 */
public record Revocation(BigInteger serial, Instant revokedAt, String reason) {
  public Revocation {
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(reason, "reason");
  }
}
