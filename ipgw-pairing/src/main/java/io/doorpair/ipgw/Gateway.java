package io.doorpair.ipgw;

import io.doorpair.b2b.ops.HealthChecks;
import io.doorpair.b2b.ops.ManagementServer;
import io.doorpair.b2b.ops.Recent;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.tls.TlsMaterial;
import io.doorpair.ipgw.accounts.B2bSignal;
import io.doorpair.ipgw.admin.AdminPassword;
import io.doorpair.ipgw.admin.AdminSite;
import io.doorpair.ipgw.files.AtomicFiles;
import io.doorpair.ipgw.ops.GatewayMetrics;
import io.doorpair.ipgw.supervisor.B2bService;
import io.doorpair.ipgw.supervisor.B2bState;
import io.doorpair.ipgw.supervisor.B2bSupervision;
import io.doorpair.welcome.http.PortalClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the gateway agent from a {@link GatewayConfig} and starts it. */
public final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  /** The ready file's name in the data folder. */
  public static final String READY_FILE = "ready.json";

  /** How long one health check may take before it counts as down. */
  static final Duration HEALTH_DEADLINE = Duration.ofSeconds(5);

  private Gateway() {}

  /**
   * Starts the core (store, files, portal threads), then the admin site, then writes {@code
   * ready.json} ({@code {"pid":N,"admin":"http://HOST:PORT"}}, atomically).
   *
   * @param config the configuration
   * @return the running gateway
   * @throws IllegalStateException when no admin password was set
   */
  public static RunningGateway start(GatewayConfig config) {
    return start(config, B2bSupervision.none());
  }

  /**
   * Starts the core, then the b2b as {@code supervision} says (after the core rewrote the files it
   * reads), then the admin site with its kill switch, then writes {@code ready.json}.
   *
   * @param config the configuration
   * @param supervision how the b2b runs (none, a supervised child, a systemd unit)
   * @return the running gateway
   * @throws IllegalStateException when no admin password was set
   */
  public static RunningGateway start(GatewayConfig config, B2bSupervision supervision) {
    SecureRandom random = new SecureRandom();
    Path ready = config.dataDir().resolve(READY_FILE);
    try {
      Files.createDirectories(config.dataDir());
      Files.deleteIfExists(ready);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the data folder " + config.dataDir(), e);
    }
    AdminPassword password = AdminPassword.load(config.dataDir());
    AtomicReference<B2bService> b2bRef = new AtomicReference<>(B2bService.NONE);
    GatewayCore core =
        GatewayCore.start(
            new GatewayCore.Settings(
                config.root(),
                config.dataDir(),
                portalClient(config),
                config.pairing(),
                new B2bSignal() {
                  @Override
                  public void reload() {
                    b2bRef.get().reload();
                  }

                  @Override
                  public void restart() {
                    b2bRef.get().restart();
                  }
                },
                config.channelWait(),
                config.initialBackoff(),
                config.maxBackoff()));
    AdminSite site = null;
    B2bService b2b = B2bService.NONE;
    HealthChecks health = null;
    ManagementServer management = null;
    try {
      b2b = supervision.open(config.root(), config.dataDir());
      b2bRef.set(b2b);
      health = new HealthChecks(healthChecks(core, b2b), HEALTH_DEADLINE);
      observe(core.metrics().withJvm(), b2b);
      if (config.management().isPresent()) {
        HealthChecks checks = health;
        management =
            ManagementServer.start(
                config.management().get(), core.metrics()::scrape, checks::check);
      }
      site =
          AdminSite.start(
              config.admin(),
              config.adminHosts(),
              config.adminTls().map(Gateway::adminTls),
              password,
              core,
              b2b,
              random,
              Clock.systemUTC());
      String json =
          "{\"pid\":"
              + ProcessHandle.current().pid()
              + ",\"admin\":\""
              + site.url()
              + "\""
              + (management == null ? "" : ",\"management\":\"" + management.hostPort() + "\"")
              + "}\n";
      AtomicFiles.write(ready, json, AtomicFiles.PUBLIC);
    } catch (IOException | RuntimeException e) {
      if (management != null) {
        management.close();
      }
      if (health != null) {
        health.close();
      }
      if (site != null) {
        site.close();
      }
      b2b.close();
      core.close();
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot write " + ready, io);
      }
      throw (RuntimeException) e;
    }
    LOG.info(
        "ipgw ready: admin {} portal {} root {} data {}",
        site.url(),
        config.portalUrl(),
        config.root(),
        config.dataDir().toAbsolutePath());
    return new RunningGateway(
        core,
        site,
        b2b,
        ready,
        new RunningGateway.Operations(
            health,
            Optional.ofNullable(management).map(ManagementServer::hostPort),
            Optional.ofNullable(management)));
  }

  /** Gauges of the b2b service: 1 for its current state, 0 for the others. */
  private static void observe(GatewayMetrics metrics, B2bService b2b) {
    // one reading per scrape for the five gauges (a systemd unit's state costs a systemctl call)
    Recent<B2bState.Status> current =
        new Recent<>(() -> b2b.state().status(), Duration.ofSeconds(1), Clock.systemUTC());
    for (B2bState.Status status : B2bState.Status.values()) {
      metrics.gauge(
          "doorpair.gateway.b2b.state",
          "the b2b child's state: 1 for the current one",
          "state",
          status.name().toLowerCase(Locale.ROOT),
          () -> {
            try {
              return current.get() == status ? 1 : 0;
            } catch (RuntimeException e) {
              return Double.NaN;
            }
          });
    }
  }

  /** What {@code /health} checks: the store answers, and a managed b2b has not crashed. */
  private static Map<String, HealthChecks.Check> healthChecks(GatewayCore core, B2bService b2b) {
    Map<String, HealthChecks.Check> checks = new LinkedHashMap<>();
    checks.put("store", core::checkStore);
    checks.put(
        "b2b",
        () -> {
          if (b2b.state().status() == B2bState.Status.CRASHED) {
            throw new IllegalStateException("the b2b crashed");
          }
        });
    return checks;
  }

  private static SSLContext adminTls(GatewayConfig.AdminTls files) {
    List<X509Certificate> chain;
    PrivateKey key;
    try {
      chain = Pem.parseCertificates(Files.readString(files.certificate()));
      key = Pem.parsePrivateKey(Files.readString(files.key()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the admin TLS certificate or key", e);
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(
          "--admin-tls-cert " + files.certificate() + " holds no certificate");
    }
    return TlsMaterial.context(
        Optional.of(TlsMaterial.keyManager(key, chain)),
        TlsMaterial.trustManager(List.of(chain.get(chain.size() - 1))));
  }

  private static PortalClient portalClient(GatewayConfig config) {
    PortalClient.Builder builder = PortalClient.builder(config.portalUrl());
    if (config.portalCa().isPresent()) {
      Path file = config.portalCa().get();
      List<X509Certificate> anchors;
      try {
        anchors = Pem.parseCertificates(Files.readString(file));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read --portal-ca " + file, e);
      }
      if (anchors.isEmpty()) {
        throw new IllegalArgumentException("--portal-ca " + file + " holds no certificate");
      }
      builder.trustAnchors(anchors);
    }
    return builder.build();
  }
}
