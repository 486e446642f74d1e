package io.doorpair.portal.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An app device's request for a SIP account on a gateway (specification steps 5 to 9).
 *
 * @param id unique across the store, positive, assigned by the store
 * @param domain the gateway DOMAIN it is addressed to
 * @param username the requesting user
 * @param instance the device instance of the requesting certificate; one live request per (domain,
 *     username, instance)
 * @param serial the serial of the certificate the request was made with
 * @param certificatePem that certificate, as the gateway needs it to encrypt the password
 * @param friendlyName the device's friendly name (from its certificate record)
 * @param status where the request stands
 * @param account what the gateway sent, present exactly when the status is {@link Status#APPROVED}
 * @param createdAt when the app asked
 * @param decidedAt when it left {@link Status#PENDING}, if it did
 */
public record AccessRequest(
    long id,
    String domain,
    String username,
    UUID instance,
    BigInteger serial,
    String certificatePem,
    String friendlyName,
    Status status,
    Optional<ApprovedAccount> account,
    Instant createdAt,
    Optional<Instant> decidedAt) {

  /** The life of a request: pending, then exactly one of the others, for ever. */
  public enum Status {
    PENDING,
    APPROVED,
    DENIED,
    /** Voided by the portal: the guest was removed, or the certificate revoked, before approval. */
    VOID
  }

  public AccessRequest {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(friendlyName, "friendlyName");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(decidedAt, "decidedAt");
    if (account.isPresent() != (status == Status.APPROVED)) {
      throw new IllegalArgumentException("an account is present exactly when approved");
    }
  }
}
