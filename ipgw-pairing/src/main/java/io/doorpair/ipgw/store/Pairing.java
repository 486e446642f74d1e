package io.doorpair.ipgw.store;

import io.doorpair.crypto.SipPassword;
import java.time.Instant;
import java.util.Objects;

/**
 * The gateway's identity once paired: the source every file of DESIGN §6 is rendered from.
 *
 * @param domain the gateway DOMAIN
 * @param friendlyName the name given at pairing, e.g. {@code Location: Loft}
 * @param agentPem the private key then the certificate {@code ipgw@DOMAIN} (secret)
 * @param caPem the portal CA certificate
 * @param b2bPassword the b2b's password at the internal SIP server
 * @param portalSipUri the portal SIP server for {@code b2b.conf}
 * @param internalSipUri the internal SIP server for {@code b2b.conf}
 * @param pairedAt when
 * @param channelCursor the last push-channel item processed (0 before the first)
 */
public record Pairing(
    String domain,
    String friendlyName,
    String agentPem,
    String caPem,
    SipPassword b2bPassword,
    String portalSipUri,
    String internalSipUri,
    Instant pairedAt,
    long channelCursor) {
  public Pairing {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(friendlyName, "friendlyName");
    Objects.requireNonNull(agentPem, "agentPem");
    Objects.requireNonNull(caPem, "caPem");
    Objects.requireNonNull(b2bPassword, "b2bPassword");
    Objects.requireNonNull(portalSipUri, "portalSipUri");
    Objects.requireNonNull(internalSipUri, "internalSipUri");
    Objects.requireNonNull(pairedAt, "pairedAt");
  }

  /** Redacts the key and password. */
  @Override
  public String toString() {
    return "Pairing[domain="
        + domain
        + ", pairedAt="
        + pairedAt
        + ", cursor="
        + channelCursor
        + "]";
  }
}
