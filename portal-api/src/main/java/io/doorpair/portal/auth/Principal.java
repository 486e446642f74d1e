package io.doorpair.portal.auth;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.UUID;

/** Who sent a request, as proven by a client certificate of the portal CA. */
public sealed interface Principal {

  /** The serial of the certificate that proved it. */
  BigInteger serial();

  /** The certificate itself. */
  X509Certificate certificate();

  /** A Welcome app on one device of a portal user. */
  record AppDevice(String username, UUID instance, BigInteger serial, X509Certificate certificate)
      implements Principal {}

  /** An IP gateway, {@code ipgw@domain}, owned by a portal user. */
  record Gateway(String domain, String owner, BigInteger serial, X509Certificate certificate)
      implements Principal {}
}
