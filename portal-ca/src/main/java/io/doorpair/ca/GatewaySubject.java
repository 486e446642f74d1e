package io.doorpair.ca;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A gateway pairing: CN {@code ipgw@DOMAIN}.
 *
 * @param domain the gateway DOMAIN, 12 characters from {@code [a-z0-9]}
 */
public record GatewaySubject(String domain) implements PairingSubject {
  static final Pattern DOMAIN = Pattern.compile("[a-z0-9]{12}");

  /**
   * Checks the domain.
   *
   * @throws IllegalArgumentException if it is not 12 characters from {@code [a-z0-9]}
   */
  public GatewaySubject {
    Objects.requireNonNull(domain, "domain");
    if (!DOMAIN.matcher(domain).matches()) {
      throw new IllegalArgumentException("gateway domain must be 12 characters from [a-z0-9]");
    }
  }

  /** Returns {@code ipgw@DOMAIN}. */
  @Override
  public String commonName(String portalDomain) {
    return "ipgw@" + domain;
  }
}
