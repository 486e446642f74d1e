package io.doorpair.ca;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.CertificateRequest;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Objects;

/**
 * Which CN a pairing or renewal CSR may carry (DESIGN §2, §3). The CSR itself was already parsed
 * and checked by {@link CertificateRequest#parse} (signature, key, one CN, instance); this class
 * decides only whether its CN is allowed for the authenticated user.
 */
public final class CsrPolicy {
  private static final String GATEWAY_USER = "ipgw";

  private CsrPolicy() {}

  /**
   * Decides what a pairing CSR is.
   *
   * <ul>
   *   <li>{@code ipgw@DOMAIN} with DOMAIN exactly 12 characters from {@code [a-z0-9]}: a gateway
   *       owned by the authenticated user (any instance SAN is ignored);
   *   <li>{@code ipgw@} anything else, in any case: {@value CaPolicyException#BAD_DOMAIN} (400);
   *   <li>{@code user@host} where {@code user} is the authenticated user and {@code host} the
   *       portal domain, both compared case-insensitively: an app of that user;
   *   <li>anything else (another user, another domain, no {@code @}, {@code %40}): {@value
   *       CaPolicyException#CN_FORBIDDEN} (403).
   * </ul>
   *
   * @param authenticatedUser the portal username that authenticated the request
   * @param portalDomain the portal SIP domain, e.g. {@code portal.example.com}
   * @throws CaPolicyException when the CN is refused
   * @throws IllegalArgumentException if {@code authenticatedUser} is not a valid username or {@code
   *     portalDomain} is empty
   */
  public static PairingSubject evaluate(
      CertificateRequest csr, String authenticatedUser, String portalDomain) {
    Objects.requireNonNull(csr, "csr");
    Objects.requireNonNull(authenticatedUser, "authenticatedUser");
    Objects.requireNonNull(portalDomain, "portalDomain");
    String user = authenticatedUser.toLowerCase(Locale.ROOT);
    if (!AppSubject.USERNAME.matcher(user).matches()) {
      throw new IllegalArgumentException("authenticated user is not a valid portal username");
    }
    String domain = portalDomain.toLowerCase(Locale.ROOT);
    if (domain.isEmpty()) {
      throw new IllegalArgumentException("portal domain is empty");
    }
    String cn = csr.commonName();
    int at = cn.indexOf('@');
    String cnUser = at < 0 ? cn : cn.substring(0, at);
    String cnHost = at < 0 ? "" : cn.substring(at + 1);
    if (at >= 0 && cnUser.toLowerCase(Locale.ROOT).equals(GATEWAY_USER)) {
      if (cnUser.equals(GATEWAY_USER) && GatewaySubject.DOMAIN.matcher(cnHost).matches()) {
        return new GatewaySubject(cnHost);
      }
      throw new CaPolicyException(
          CaPolicyException.BAD_DOMAIN,
          400,
          "gateway CN must be ipgw@ followed by 12 characters from [a-z0-9]");
    }
    if (at > 0
        && cnUser.toLowerCase(Locale.ROOT).equals(user)
        && cnHost.toLowerCase(Locale.ROOT).equals(domain)) {
      return new AppSubject(user, csr.instance());
    }
    throw new CaPolicyException(
        CaPolicyException.CN_FORBIDDEN,
        403,
        "CN must be " + user + "@" + domain + ", or ipgw@DOMAIN for a gateway");
  }

  /**
   * Checks that a renewal CSR keeps the CN of the certificate it renews, exactly.
   *
   * @param current the valid certificate the client authenticated with
   * @throws CaPolicyException {@value CaPolicyException#CN_FORBIDDEN} (403) if the CN differs
   */
  public static void evaluateRenewal(CertificateRequest csr, X509Certificate current) {
    Objects.requireNonNull(csr, "csr");
    Objects.requireNonNull(current, "current");
    String currentCn = CertificateIdentity.of(current).commonName();
    if (!csr.commonName().equals(currentCn)) {
      throw new CaPolicyException(
          CaPolicyException.CN_FORBIDDEN, 403, "renewal CN must be " + currentCn);
    }
  }
}
