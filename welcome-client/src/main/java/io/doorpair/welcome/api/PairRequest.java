package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /api/pair}.
 *
 * @param csr PKCS#10 certificate signing request in PEM
 * @param friendlyName 1-64 printable characters, e.g. "Location: Loft" or "John's iphone"
 */
public record PairRequest(
    @JsonProperty(value = "csr", required = true) String csr,
    @JsonProperty(value = "friendly_name", required = true) String friendlyName) {}
