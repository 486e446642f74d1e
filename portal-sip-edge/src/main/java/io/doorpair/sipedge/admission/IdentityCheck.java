package io.doorpair.sipedge.admission;

import io.doorpair.crypto.CertificateIdentity;
import java.util.Locale;
import java.util.Objects;

/**
 * The From-versus-certificate rule of DESIGN §7: the From address {@code user@host} of every
 * request must equal the CN of the client certificate of the connection it arrived on, compared
 * case-insensitively; scheme ({@code sip} or {@code sips}), port, URI parameters and display name
 * are ignored.
 *
 * <p>The comparison is deliberately strict: escapes are not decoded (a {@code %40} in the user part
 * never stands for {@code @}), and any character outside printable ASCII fails the check (so that
 * Unicode case folding, e.g. the Kelvin sign folding to {@code k}, can never make two names equal).
 * A URI scheme other than {@code sip}/{@code sips} fails.
 *
 * <p>One widening, for gateways only ({@link #fromMatchesOutsideRegister}): a gateway certificate
 * ({@code ipgw@DOMAIN}) speaks for its whole DOMAIN, so outside REGISTER its requests may come
 * {@code From} any user at exactly that DOMAIN. The b2b must: in a call an app placed to {@code
 * door@DOMAIN}, the b2b's own BYE carries {@code From: door@DOMAIN} (RFC 3261 §12.2.1.1), and a
 * door station's call is bridged {@code From} the door station's address. The portal routes every
 * request for a DOMAIN to that gateway's connection anyway; a gateway can never appear as a portal
 * user or as another DOMAIN.
 */
public final class IdentityCheck {
  /** The reason phrase of the {@code 403} a mismatch gets (Flexisip's wording). */
  public static final String REASON = "Bad tls client certificate";

  private IdentityCheck() {}

  /**
   * Whether {@code from} names the holder of {@code certificate}.
   *
   * @param certificate the identity read from the peer certificate
   * @param from the From address of the request
   * @return true when the request may go on
   */
  public static boolean fromMatches(CertificateIdentity certificate, SipAddress from) {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(from, "from");
    if (!printableAscii(from.scheme())) {
      return false;
    }
    String scheme = asciiLower(from.scheme());
    if (!scheme.equals("sip") && !scheme.equals("sips")) {
      return false;
    }
    if (from.user().isEmpty() || from.host().isEmpty()) {
      return false;
    }
    if (!printableAscii(from.user()) || !printableAscii(from.host())) {
      return false;
    }
    if (!printableAscii(certificate.commonName())) {
      return false;
    }
    return asciiLower(from.userAtHost()).equals(asciiLower(certificate.commonName()));
  }

  /**
   * {@link #fromMatches} for a request other than REGISTER: also true when {@code certificate} is a
   * gateway's ({@code ipgw@DOMAIN}) and {@code from} is any user at exactly that DOMAIN, under the
   * same strict comparison.
   *
   * @param certificate the identity read from the peer certificate
   * @param from the From address of the request
   * @return true when the request may go on
   */
  public static boolean fromMatchesOutsideRegister(
      CertificateIdentity certificate, SipAddress from) {
    if (fromMatches(certificate, from)) {
      return true;
    }
    if (!certificate.isGateway()) {
      return false;
    }
    return fromMatches(certificate, new SipAddress(from.scheme(), certificate.user(), from.host()))
        && !from.user().isEmpty()
        && printableAscii(from.user());
  }

  /**
   * Whether two addresses name the same {@code user@host} under the same rule (used for REGISTER's
   * To versus From).
   */
  public static boolean sameUserAtHost(SipAddress a, SipAddress b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    if (!printableAscii(a.userAtHost()) || !printableAscii(b.userAtHost())) {
      return false;
    }
    if (a.user().isEmpty() || b.user().isEmpty()) {
      return false;
    }
    return asciiLower(a.userAtHost()).equals(asciiLower(b.userAtHost()));
  }

  private static boolean printableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private static String asciiLower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
