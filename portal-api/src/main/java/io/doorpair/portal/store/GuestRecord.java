package io.doorpair.portal.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A user the owner of a gateway invited as a guest: the gateway is joinable for them.
 *
 * @param domain the gateway DOMAIN
 * @param username the guest's username (never the owner)
 * @param invitedAt when the owner invited them
 */
public record GuestRecord(String domain, String username, Instant invitedAt) {
  public GuestRecord {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(invitedAt, "invitedAt");
  }
}
