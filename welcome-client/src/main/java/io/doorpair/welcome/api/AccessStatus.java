package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import java.util.Optional;

/**
 * The status object of an access request: the answer of {@code GET /api/create_sip_account/DOMAIN},
 * {@code GET /api/get_approved_account/DOMAIN} and of the gateway's approve and deny. {@code
 * sip_username}, {@code encrypted_password} and {@code gruu} are present exactly when the status is
 * {@link RequestStatus#APPROVED}; read them with {@link #account()}.
 *
 * @param requestId the request, positive
 * @param domain the gateway DOMAIN it is addressed to
 * @param status where it stands
 * @param sipUsername when approved: the account's username on the gateway; else {@code null}
 * @param encryptedPassword when approved: the SIP password encrypted to the requesting
 *     certificate's key (RSAES-OAEP SHA-256, standard base64); else {@code null}
 * @param gruu when approved: the GRUU of the requesting device; else {@code null}
 * @param gatewayUri the SIP URI that reaches the gateway through the portal SIP server, e.g. {@code
 *     sip:ipgw@k3x9abcd1234}
 * @param sipDomain the portal SIP domain, e.g. {@code portal.example}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccessStatus(
    @JsonProperty(value = "request_id", required = true) long requestId,
    @JsonProperty(value = "domain", required = true) String domain,
    @JsonProperty(value = "status", required = true) RequestStatus status,
    @JsonProperty("sip_username") String sipUsername,
    @JsonProperty("encrypted_password") String encryptedPassword,
    @JsonProperty("gruu") String gruu,
    @JsonProperty(value = "gateway_uri", required = true) String gatewayUri,
    @JsonProperty(value = "sip_domain", required = true) String sipDomain) {

  /**
   * What an approved request carries.
   *
   * @param sipUsername the account's username on the gateway
   * @param encryptedPassword the SIP password, encrypted to the requesting certificate's key
   *     (decrypt with {@code io.doorpair.crypto.SipPasswordCipher})
   * @param gruu the GRUU of the requesting device
   */
  public record Account(String sipUsername, String encryptedPassword, String gruu) {
    public Account {
      Objects.requireNonNull(sipUsername, "sip_username");
      Objects.requireNonNull(encryptedPassword, "encrypted_password");
      Objects.requireNonNull(gruu, "gruu");
    }
  }

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException when approved without the account fields, or pending, denied
   *     or void with one of them
   */
  public AccessStatus {
    if (requestId <= 0) {
      throw new IllegalArgumentException("request_id must be positive");
    }
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(gatewayUri, "gateway_uri");
    Objects.requireNonNull(sipDomain, "sip_domain");
    if (status == RequestStatus.APPROVED
        && (sipUsername == null || encryptedPassword == null || gruu == null)) {
      throw new IllegalArgumentException(
          "an approved status carries sip_username, encrypted_password and gruu");
    }
    if (status != RequestStatus.APPROVED
        && status != RequestStatus.UNKNOWN
        && (sipUsername != null || encryptedPassword != null || gruu != null)) {
      throw new IllegalArgumentException(
          "only an approved status carries sip_username, encrypted_password and gruu");
    }
  }

  /**
   * A status without account fields.
   *
   * @param requestId the request
   * @param domain the gateway DOMAIN
   * @param status not {@link RequestStatus#APPROVED}
   * @param gatewayUri the gateway's SIP URI through the portal
   * @param sipDomain the portal SIP domain
   * @return the status object
   */
  public static AccessStatus undecided(
      long requestId, String domain, RequestStatus status, String gatewayUri, String sipDomain) {
    return new AccessStatus(requestId, domain, status, null, null, null, gatewayUri, sipDomain);
  }

  /**
   * The account, when approved.
   *
   * @return the account fields, present exactly when the status is {@link RequestStatus#APPROVED}
   */
  public Optional<Account> account() {
    if (status != RequestStatus.APPROVED) {
      return Optional.empty();
    }
    return Optional.of(new Account(sipUsername, encryptedPassword, gruu));
  }
}
