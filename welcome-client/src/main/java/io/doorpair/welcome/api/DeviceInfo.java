package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One certificate of the user's devices or gateways, as {@code GET /api/devices} lists it.
 *
 * @param serial the certificate serial, lowercase hex
 * @param kind {@code app} or {@code gateway}
 * @param commonName the certificate CN
 * @param friendlyName as given at pairing
 * @param instance for an app, {@code urn:uuid:...}
 * @param domain for a gateway, its DOMAIN
 * @param notBefore ISO-8601 instant
 * @param notAfter ISO-8601 instant
 * @param revokedAt ISO-8601 instant, absent while live
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceInfo(
    @JsonProperty("serial") String serial,
    @JsonProperty("kind") String kind,
    @JsonProperty("common_name") String commonName,
    @JsonProperty("friendly_name") String friendlyName,
    @JsonProperty("instance") String instance,
    @JsonProperty("domain") String domain,
    @JsonProperty("not_before") String notBefore,
    @JsonProperty("not_after") String notAfter,
    @JsonProperty("revoked_at") String revokedAt) {}
