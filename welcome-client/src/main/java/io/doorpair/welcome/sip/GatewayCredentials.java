package io.doorpair.welcome.sip;

import io.doorpair.crypto.SipPassword;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A device's SIP account at one gateway, as the gateway approved it: the b2b challenges requests to
 * {@code sip:...@DOMAIN} with digest in realm {@code DOMAIN} and checks them against this account.
 * {@link #toString()} never shows the password.
 *
 * @param domain the gateway DOMAIN, 1-63 characters of {@code [a-z0-9]} (DESIGN §2 draws 12)
 * @param username the SIP username the gateway gave (as in its password file)
 * @param password the decrypted SIP password
 */
public record GatewayCredentials(String domain, String username, SipPassword password) {
  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]{1,63}");
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** Checks the DOMAIN and username shapes. */
  public GatewayCredentials {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (!DOMAIN.matcher(domain).matches()) {
      throw new IllegalArgumentException("a gateway DOMAIN is 1-63 characters of [a-z0-9]");
    }
    if (!USER.matcher(username).matches()) {
      throw new IllegalArgumentException("a SIP username is 1-64 characters of [A-Za-z0-9._-]");
    }
  }

  /** The account without its password. */
  @Override
  public String toString() {
    return "GatewayCredentials[" + username + "@" + domain + "]";
  }
}
