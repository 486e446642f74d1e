package io.doorpair.portal.access;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /api/gateway/requests/ID/approve}; every field is required.
 *
 * @param sipUsername 1-64 characters of {@code [A-Za-z0-9._-]}
 * @param encryptedPassword standard base64 of exactly the modulus length of the app's key
 * @param gruu the GRUU bound to the requesting certificate
 */
public record ApprovalBody(
    @JsonProperty(value = "sip_username", required = true) String sipUsername,
    @JsonProperty(value = "encrypted_password", required = true) String encryptedPassword,
    @JsonProperty(value = "gruu", required = true) String gruu) {
  @Override
  public String toString() {
    return "ApprovalBody[sipUsername=" + sipUsername + ", encryptedPassword=<redacted>]";
  }
}
