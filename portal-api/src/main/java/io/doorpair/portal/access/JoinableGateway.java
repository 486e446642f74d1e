package io.doorpair.portal.access;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of {@code GET /api/joinable_gateways}.
 *
 * @param domain the gateway DOMAIN
 * @param friendlyName as the owner named it at pairing
 * @param role {@code owner} or {@code guest}
 */
public record JoinableGateway(
    @JsonProperty("domain") String domain,
    @JsonProperty("friendly_name") String friendlyName,
    @JsonProperty("role") String role) {}
