package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One element of {@code GET /api/joinable_gateways}.
 *
 * @param domain the gateway DOMAIN, 12 characters of {@code [a-z0-9]}
 * @param friendlyName as the owner named the gateway at pairing, e.g. {@code Location: Loft}
 * @param role whether the user owns the gateway or was invited
 */
public record JoinableGateway(
    @JsonProperty(value = "domain", required = true) String domain,
    @JsonProperty(value = "friendly_name", required = true) String friendlyName,
    @JsonProperty(value = "role", required = true) GatewayRole role) {
  public JoinableGateway {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(friendlyName, "friendly_name");
    Objects.requireNonNull(role, "role");
  }
}
