package io.doorpair.ipgw;

import io.doorpair.ipgw.pairing.PairingSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code ipgw serve} runs with.
 *
 * @param root the prefix of every {@code /etc} path (default {@code /})
 * @param dataDir the store, the admin password hash and {@code ready.json} (default {@code
 *     /var/lib/ipgw})
 * @param portalUrl the portal's HTTPS API, e.g. {@code https://portal.example.com}
 * @param portalCa PEM CA certificates trusted for the portal's server certificate at the first
 *     contact; empty: the system's trust store
 * @param admin the admin site's address (default {@code 127.0.0.1:8080}; port 0: any free port)
 * @param adminHosts host names the admin site answers to besides IP literals and {@code localhost}
 *     (a request naming any other host is refused: DNS rebinding)
 * @param adminTls PEM certificate chain and key files to serve the admin site over HTTPS; empty:
 *     plain HTTP
 * @param pairing SIP URIs for {@code b2b.conf}, key size, DOMAIN attempts
 * @param channelWait how long each push-channel long-poll is held (default 25 s)
 * @param initialBackoff first wait after a portal failure (default 1 s, doubling)
 * @param maxBackoff longest wait after portal failures (default 60 s)
 * @param management the management listener ({@code --management HOST:PORT}): {@code GET /metrics}
 *     (Prometheus) and {@code GET /health}, plain HTTP without authentication, so meant for a
 *     loopback or management-network address; default none (off)
 */
public record GatewayConfig(
    Path root,
    Path dataDir,
    String portalUrl,
    Optional<Path> portalCa,
    InetSocketAddress admin,
    List<String> adminHosts,
    Optional<AdminTls> adminTls,
    PairingSettings pairing,
    Duration channelWait,
    Duration initialBackoff,
    Duration maxBackoff,
    Optional<InetSocketAddress> management) {
  /**
   * The admin site's HTTPS identity.
   *
   * @param certificate PEM certificate chain, the site's certificate first
   * @param key its PEM private key
   */
  public record AdminTls(Path certificate, Path key) {
    public AdminTls {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(key, "key");
    }
  }

  /** Default admin address. */
  public static final String DEFAULT_ADMIN = "127.0.0.1:8080";

  /** Default internal SIP server of {@code b2b.conf}. */
  public static final String DEFAULT_INTERNAL_SIP = "sip:127.0.0.1:5070;transport=tcp";

  public GatewayConfig {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(portalUrl, "portalUrl");
    Objects.requireNonNull(portalCa, "portalCa");
    Objects.requireNonNull(admin, "admin");
    adminHosts = List.copyOf(adminHosts);
    Objects.requireNonNull(adminTls, "adminTls");
    Objects.requireNonNull(pairing, "pairing");
    Objects.requireNonNull(channelWait, "channelWait");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(management, "management");
    URI uri = URI.create(portalUrl);
    if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("--portal must be an https URL, got: " + portalUrl);
    }
  }

  /**
   * A configuration without a management listener.
   *
   * @param root the prefix of every {@code /etc} path
   * @param dataDir the store, the admin password hash and {@code ready.json}
   * @param portalUrl the portal's HTTPS API
   * @param portalCa PEM CA certificates trusted for the portal's server certificate
   * @param admin the admin site's address
   * @param adminHosts host names the admin site answers to
   * @param adminTls the admin site's HTTPS identity, if any
   * @param pairing SIP URIs for {@code b2b.conf}, key size, DOMAIN attempts
   * @param channelWait how long each push-channel long-poll is held
   * @param initialBackoff first wait after a portal failure
   * @param maxBackoff longest wait after portal failures
   */
  public GatewayConfig(
      Path root,
      Path dataDir,
      String portalUrl,
      Optional<Path> portalCa,
      InetSocketAddress admin,
      List<String> adminHosts,
      Optional<AdminTls> adminTls,
      PairingSettings pairing,
      Duration channelWait,
      Duration initialBackoff,
      Duration maxBackoff) {
    this(
        root,
        dataDir,
        portalUrl,
        portalCa,
        admin,
        adminHosts,
        adminTls,
        pairing,
        channelWait,
        initialBackoff,
        maxBackoff,
        Optional.empty());
  }

  /**
   * This configuration with the management listener on {@code address}.
   *
   * @param address where to listen (port 0: a free one)
   * @return the new configuration
   */
  public GatewayConfig withManagement(InetSocketAddress address) {
    return new GatewayConfig(
        root,
        dataDir,
        portalUrl,
        portalCa,
        admin,
        adminHosts,
        adminTls,
        pairing,
        channelWait,
        initialBackoff,
        maxBackoff,
        Optional.of(address));
  }

  /**
   * The default portal SIP URI for a portal URL: {@code sips:HOST:5061}.
   *
   * @param portalUrl the portal's HTTPS API
   * @return the SIP URI
   */
  public static String defaultPortalSip(String portalUrl) {
    String host = URI.create(portalUrl).getHost();
    if (host == null) {
      throw new IllegalArgumentException("--portal must be an https URL, got: " + portalUrl);
    }
    return "sips:" + host + ":5061";
  }
}
