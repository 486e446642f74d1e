package io.doorpair.portal;

import io.doorpair.ca.CaSettings;
import io.doorpair.sipedge.redis.RedisSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything {@code portal serve} needs; the defaults run on one machine with no flags.
 *
 * @param dataDir folder for the CA, the server certificate, the SQLite database and {@code
 *     ready.json}; default {@code ./portal-data}
 * @param api address of the HTTPS API; default {@code 127.0.0.1:8443}; port 0 picks a free port
 * @param sip address of the SIP over TLS server; default {@code 127.0.0.1:5061}
 * @param domain the portal SIP domain used in app CNs ({@code user@domain}); default {@code
 *     portal.localhost}
 * @param databaseUrl JDBC URL; default {@code jdbc:sqlite:<dataDir>/portal.db}; a {@code
 *     jdbc:postgresql:} URL switches to PostgreSQL
 * @param hostnames extra DNS names or IP addresses for the generated server certificate (always
 *     with {@code localhost} and {@code 127.0.0.1})
 * @param tlsCertificate a server certificate chain (PEM) to use instead of a generated one
 * @param tlsKey the private key (PEM) of {@code tlsCertificate}
 * @param realm the HTTP digest realm; HA1 values depend on it, so changing it means setting every
 *     password again; default {@code doorpair}
 * @param ca settings of the certificate authority
 * @param redis Redis ({@code --redis URL}, {@code --redis-prefix}): the in-process SIP server then
 *     keeps its bindings there, shared with {@code portal-sip} nodes on the same Redis and prefix,
 *     and every CRL the portal publishes goes to them at once; default none (in memory)
 * @param management the management listener ({@code --management HOST:PORT}): {@code GET /metrics}
 *     (Prometheus) and {@code GET /health} over plain HTTP without authentication, so meant for a
 *     loopback or management-network address; default none (off)
 */
public record PortalConfig(
    Path dataDir,
    InetSocketAddress api,
    InetSocketAddress sip,
    String domain,
    String databaseUrl,
    List<String> hostnames,
    Optional<Path> tlsCertificate,
    Optional<Path> tlsKey,
    String realm,
    CaSettings ca,
    Optional<RedisSettings> redis,
    Optional<InetSocketAddress> management) {

  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

  public static final String DEFAULT_DOMAIN = "portal.localhost";
  public static final String DEFAULT_REALM = "doorpair";

  public PortalConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(sip, "sip");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(databaseUrl, "databaseUrl");
    hostnames = List.copyOf(hostnames);
    Objects.requireNonNull(tlsCertificate, "tlsCertificate");
    Objects.requireNonNull(tlsKey, "tlsKey");
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(ca, "ca");
    Objects.requireNonNull(redis, "redis");
    Objects.requireNonNull(management, "management");
    domain = domain.toLowerCase(Locale.ROOT);
    if (!DOMAIN.matcher(domain).matches()) {
      throw new IllegalArgumentException("--domain must be a DNS name, got: " + domain);
    }
    if (tlsCertificate.isPresent() != tlsKey.isPresent()) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    if (realm.isBlank() || realm.contains("\"") || realm.length() > 128) {
      throw new IllegalArgumentException("--realm must be 1-128 characters without quotes");
    }
  }

  /** A configuration without a management listener. */
  public PortalConfig(
      Path dataDir,
      InetSocketAddress api,
      InetSocketAddress sip,
      String domain,
      String databaseUrl,
      List<String> hostnames,
      Optional<Path> tlsCertificate,
      Optional<Path> tlsKey,
      String realm,
      CaSettings ca,
      Optional<RedisSettings> redis) {
    this(
        dataDir,
        api,
        sip,
        domain,
        databaseUrl,
        hostnames,
        tlsCertificate,
        tlsKey,
        realm,
        ca,
        redis,
        Optional.empty());
  }

  /** A configuration with the SIP bindings in memory. */
  public PortalConfig(
      Path dataDir,
      InetSocketAddress api,
      InetSocketAddress sip,
      String domain,
      String databaseUrl,
      List<String> hostnames,
      Optional<Path> tlsCertificate,
      Optional<Path> tlsKey,
      String realm,
      CaSettings ca) {
    this(
        dataDir,
        api,
        sip,
        domain,
        databaseUrl,
        hostnames,
        tlsCertificate,
        tlsKey,
        realm,
        ca,
        Optional.empty());
  }

  /** The configuration of {@code portal serve} with no flags, in {@code dataDir}. */
  public static PortalConfig defaults(Path dataDir) {
    return new PortalConfig(
        dataDir,
        new InetSocketAddress("127.0.0.1", 8443),
        new InetSocketAddress("127.0.0.1", 5061),
        DEFAULT_DOMAIN,
        sqliteUrl(dataDir),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        DEFAULT_REALM,
        CaSettings.defaults());
  }

  /** This configuration with the SIP bindings in {@code redis}. */
  public PortalConfig withRedis(RedisSettings redis) {
    return new PortalConfig(
        dataDir,
        api,
        sip,
        domain,
        databaseUrl,
        hostnames,
        tlsCertificate,
        tlsKey,
        realm,
        ca,
        Optional.of(redis),
        management);
  }

  /** This configuration with the management listener on {@code address} (port 0: a free one). */
  public PortalConfig withManagement(InetSocketAddress address) {
    return new PortalConfig(
        dataDir,
        api,
        sip,
        domain,
        databaseUrl,
        hostnames,
        tlsCertificate,
        tlsKey,
        realm,
        ca,
        redis,
        Optional.of(address));
  }

  /** The default database of a data folder. */
  public static String sqliteUrl(Path dataDir) {
    return "jdbc:sqlite:" + dataDir.resolve("portal.db").toAbsolutePath();
  }

  public PortalConfig withApi(InetSocketAddress address) {
    return new PortalConfig(
        dataDir,
        address,
        sip,
        domain,
        databaseUrl,
        hostnames,
        tlsCertificate,
        tlsKey,
        realm,
        ca,
        redis,
        management);
  }

  public PortalConfig withDatabaseUrl(String url) {
    return new PortalConfig(
        dataDir,
        api,
        sip,
        domain,
        url,
        hostnames,
        tlsCertificate,
        tlsKey,
        realm,
        ca,
        redis,
        management);
  }
}
