package io.doorpair.sipedge.admission;

import java.util.Objects;

/**
 * The parts of a SIP or SIPS URI that identity checks look at: scheme, user and host, as the parser
 * read them (port, URI parameters and display name are deliberately left out).
 *
 * @param scheme the URI scheme as written, e.g. {@code sip}, {@code sips}, {@code tel}
 * @param user the user part as written (escapes not decoded), empty when the URI has none
 * @param host the host part as written
 */
public record SipAddress(String scheme, String user, String host) {
  /** Checks the components are present. */
  public SipAddress {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(host, "host");
  }

  /** {@code user@host} exactly as written. */
  public String userAtHost() {
    return user + "@" + host;
  }

  @Override
  public String toString() {
    return scheme + ":" + userAtHost();
  }
}
