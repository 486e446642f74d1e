package io.doorpair.ca;

/**
 * Who a pairing CSR may be issued to, as {@link CsrPolicy#evaluate} decides: a gateway or an app.
 */
public sealed interface PairingSubject permits GatewaySubject, AppSubject {
  /**
   * The CN the CA issues: {@code ipgw@DOMAIN} for a gateway, {@code username@portal domain} in
   * lowercase for an app.
   *
   * @param portalDomain the portal SIP domain (ignored for a gateway)
   */
  String commonName(String portalDomain);
}
