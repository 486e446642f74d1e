package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /api/renew}, sent over mutual TLS with the certificate to renew.
 *
 * @param csr PKCS#10 request in PEM for the same CN (a new key is allowed)
 */
public record RenewRequest(@JsonProperty(value = "csr", required = true) String csr) {}
