package io.doorpair.welcome.profile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The SIP account a gateway approved for this device ({@code accounts/DOMAIN.json}, 0600). The
 * password stays encrypted to the device's key; it is decrypted only when needed.
 *
 * @param domain the gateway DOMAIN (the digest realm)
 * @param requestId the portal's id of the access request
 * @param sipUsername the account's username on the gateway
 * @param encryptedPassword the SIP password, RSA-OAEP to this device's key, base64
 * @param gruu this device's GRUU, as the gateway recorded it
 * @param gatewayUri the gateway's SIP URI, as the portal gave it
 * @param portalSipDomain the portal SIP domain the gateway is reached through
 * @param codeSalt the 4-digit salt of the security code, drawn when the account arrived
 */
public record StoredAccount(
    @JsonProperty(value = "domain", required = true) String domain,
    @JsonProperty(value = "request_id", required = true) long requestId,
    @JsonProperty(value = "sip_username", required = true) String sipUsername,
    @JsonProperty(value = "encrypted_password", required = true) String encryptedPassword,
    @JsonProperty(value = "gruu", required = true) String gruu,
    @JsonProperty(value = "gateway_uri", required = true) String gatewayUri,
    @JsonProperty(value = "portal_sip_domain", required = true) String portalSipDomain,
    @JsonProperty(value = "code_salt", required = true) String codeSalt) {
  /** A gateway DOMAIN: 1 to 63 characters from {@code [a-z0-9]}; DESIGN §2 draws 12. */
  public static final Pattern DOMAIN = Pattern.compile("[a-z0-9]{1,63}");

  private static final Pattern SALT = Pattern.compile("[0-9]{4}");

  /** Checks the fields. */
  public StoredAccount {
    Objects.requireNonNull(domain, "domain");
    if (!DOMAIN.matcher(domain).matches()) {
      throw new IllegalArgumentException("domain must be 1-63 characters from [a-z0-9]");
    }
    Objects.requireNonNull(sipUsername, "sip_username");
    Objects.requireNonNull(encryptedPassword, "encrypted_password");
    Objects.requireNonNull(gruu, "gruu");
    Objects.requireNonNull(gatewayUri, "gateway_uri");
    Objects.requireNonNull(portalSipDomain, "portal_sip_domain");
    Objects.requireNonNull(codeSalt, "code_salt");
    if (!SALT.matcher(codeSalt).matches()) {
      throw new IllegalArgumentException("code_salt must be 4 decimal digits");
    }
  }

  @Override
  public String toString() {
    return "StoredAccount[domain="
        + domain
        + ", sipUsername="
        + sipUsername
        + ", encryptedPassword=<redacted>]";
  }
}
