package io.doorpair.portal.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A paired IP gateway.
 *
 * @param domain 12 characters of {@code [a-z0-9]}; unique for ever
 * @param owner the username that paired it
 * @param friendlyName 1-64 printable characters, as the owner gave it
 * @param pairedAt when it was paired
 */
public record GatewayRecord(String domain, String owner, String friendlyName, Instant pairedAt) {
  public GatewayRecord {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(friendlyName, "friendlyName");
    Objects.requireNonNull(pairedAt, "pairedAt");
  }
}
