package io.doorpair.portal.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An app's view of its access request: the status object of docs/access-flow.md.
 *
 * @param requestId the request's id
 * @param domain the gateway DOMAIN
 * @param status {@code pending}, {@code approved}, {@code denied} or {@code void}
 * @param sipUsername approved only: the SIP username the gateway chose
 * @param encryptedPassword approved only: standard base64 of the OAEP ciphertext of the password
 * @param gruu approved only: the GRUU bound to the requesting certificate
 * @param gatewayUri {@code sip:ipgw@DOMAIN}, reached through the portal SIP server
 * @param sipDomain the portal SIP domain
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RequestStatus(
    @JsonProperty("request_id") long requestId,
    @JsonProperty("domain") String domain,
    @JsonProperty("status") String status,
    @JsonProperty("sip_username") String sipUsername,
    @JsonProperty("encrypted_password") String encryptedPassword,
    @JsonProperty("gruu") String gruu,
    @JsonProperty("gateway_uri") String gatewayUri,
    @JsonProperty("sip_domain") String sipDomain) {

  /** True while the gateway has not decided (and the portal has not voided it). */
  public boolean pending() {
    return "pending".equals(status);
  }
}
