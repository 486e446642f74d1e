package io.doorpair.welcome.profile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import java.util.UUID;

/**
 * What a paired profile knows besides its key and certificates ({@code profile.json}).
 *
 * @param portalUrl the portal API, {@code https://host[:port]}
 * @param username the portal user, lowercase
 * @param sipDomain the portal SIP domain (the host part of the certificate's CN)
 * @param instance this device's instance, bound into its certificate
 * @param friendlyName the device's name shown to its owner and to gateways
 * @param gruu {@code sip:user@portal-domain;gr=urn:uuid:...}
 */
public record ProfileSettings(
    @JsonProperty(value = "portal_url", required = true) String portalUrl,
    @JsonProperty(value = "username", required = true) String username,
    @JsonProperty(value = "sip_domain", required = true) String sipDomain,
    @JsonProperty(value = "instance", required = true) UUID instance,
    @JsonProperty(value = "friendly_name", required = true) String friendlyName,
    @JsonProperty(value = "gruu", required = true) String gruu) {
  /** Checks that every field is present. */
  public ProfileSettings {
    Objects.requireNonNull(portalUrl, "portal_url");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(sipDomain, "sip_domain");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(friendlyName, "friendly_name");
    Objects.requireNonNull(gruu, "gruu");
  }

  /**
   * The CN of this device's certificate.
   *
   * @return {@code username@sipDomain}
   */
  public String commonName() {
    return username + "@" + sipDomain;
  }
}
