package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /api/gateway/requests/ID/approve}.
 *
 * @param sipUsername the account's username on the gateway
 * @param encryptedPassword the SIP password encrypted to the requesting certificate's key
 *     (RSAES-OAEP SHA-256, MGF1-SHA-256, standard base64)
 * @param gruu the GRUU of the request, as the channel carried it
 */
public record ApproveRequest(
    @JsonProperty(value = "sip_username", required = true) String sipUsername,
    @JsonProperty(value = "encrypted_password", required = true) String encryptedPassword,
    @JsonProperty(value = "gruu", required = true) String gruu) {
  @Override
  public String toString() {
    return "ApproveRequest[sipUsername="
        + sipUsername
        + ", encryptedPassword=<redacted>, gruu="
        + gruu
        + "]";
  }
}
