package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Every error of the portal API: a stable code and a sentence for people.
 *
 * @param error stable code, e.g. {@code bad_csr}, {@code domain_taken}, {@code unauthorized}
 * @param message what went wrong
 */
public record ApiError(
    @JsonProperty("error") String error, @JsonProperty("message") String message) {}
