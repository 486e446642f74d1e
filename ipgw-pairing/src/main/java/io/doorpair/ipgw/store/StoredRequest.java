package io.doorpair.ipgw.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An access request as the gateway keeps it.
 *
 * @param requestId the portal's id
 * @param username the requesting portal user
 * @param friendlyName the device's friendly name (hostile text: escape before showing)
 * @param instance the device instance, {@code urn:uuid:...}
 * @param gruu the device's GRUU
 * @param certificatePem the requesting certificate
 * @param keyHash the public key hash the gateway computed from that certificate (never shown)
 * @param createdAt when the app asked
 * @param state where it stands here
 * @param wrongCodes wrong security codes typed so far
 * @param receivedAt when the gateway received it
 */
public record StoredRequest(
    long requestId,
    String username,
    String friendlyName,
    String instance,
    String gruu,
    String certificatePem,
    String keyHash,
    Instant createdAt,
    RequestState state,
    int wrongCodes,
    Instant receivedAt) {
  public StoredRequest {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(friendlyName, "friendlyName");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(gruu, "gruu");
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }

  /** Leaves out the certificate and the hash. */
  @Override
  public String toString() {
    return "StoredRequest[id=" + requestId + ", username=" + username + ", state=" + state + "]";
  }
}
