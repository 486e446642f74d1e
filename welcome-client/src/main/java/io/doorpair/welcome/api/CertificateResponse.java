package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Answer of {@code POST /api/pair} and {@code POST /api/renew}.
 *
 * @param certificate the issued certificate in PEM
 * @param caCertificate the portal CA certificate in PEM (pin it)
 * @param instance for an app: the device instance, {@code urn:uuid:...}
 * @param gruu for an app: {@code sip:user@portal-domain;gr=urn:uuid:...}
 * @param domain for a gateway: its DOMAIN
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CertificateResponse(
    @JsonProperty("certificate") String certificate,
    @JsonProperty("ca_certificate") String caCertificate,
    @JsonProperty("instance") String instance,
    @JsonProperty("gruu") String gruu,
    @JsonProperty("domain") String domain) {}
