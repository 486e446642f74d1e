package io.doorpair.ipgw.pairing;

import io.doorpair.crypto.Pem;
import io.doorpair.ipgw.store.Pairing;
import io.doorpair.welcome.http.PortalClient;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The paired gateway's TLS identity, read from its {@link Pairing}: all further connections to the
 * portal present this certificate and pin the portal CA.
 *
 * @param domain the gateway DOMAIN
 * @param key the private key
 * @param certificate the {@code ipgw@DOMAIN} certificate
 * @param ca the portal CA certificate
 */
public record GatewayIdentity(
    String domain, PrivateKey key, X509Certificate certificate, X509Certificate ca) {
  public GatewayIdentity {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(ca, "ca");
  }

  /**
   * Reads the identity of a pairing.
   *
   * @param pairing the stored pairing
   * @return the identity
   * @throws io.doorpair.crypto.CryptoException when the stored PEM is damaged
   */
  public static GatewayIdentity of(Pairing pairing) {
    return new GatewayIdentity(
        pairing.domain(),
        Pem.parsePrivateKey(pairing.agentPem()),
        Pem.parseCertificate(certificateBlock(pairing.agentPem())),
        Pem.parseCertificate(pairing.caPem()));
  }

  /**
   * A client presenting this identity, sharing {@code portal}'s connection pool.
   *
   * @param portal any client of the same portal
   * @return the mutual-TLS client
   */
  public PortalClient client(PortalClient portal) {
    return portal.withIdentity(key, List.of(certificate), ca);
  }

  private static String certificateBlock(String agentPem) {
    int start = agentPem.indexOf("-----BEGIN CERTIFICATE-----");
    return start < 0 ? "" : agentPem.substring(start);
  }

  /** Redacts the key. */
  @Override
  public String toString() {
    return "GatewayIdentity[domain=" + domain + ", key=<redacted>]";
  }
}
