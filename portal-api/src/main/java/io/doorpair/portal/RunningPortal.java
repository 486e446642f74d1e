package io.doorpair.portal;

import io.doorpair.portal.crl.CrlRefresher;
import io.doorpair.portal.http.ApiServer;
import io.doorpair.portal.notify.LongPolls;
import io.doorpair.portal.notify.Notifier;
import io.doorpair.portal.ops.PortalMetrics;
import io.doorpair.portal.store.PortalStore;
import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.ops.HealthChecks;
import io.doorpair.sipedge.ops.ManagementServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/** A started portal: where it listens, and {@link #close()} to stop it in reverse order. */
public final class RunningPortal implements AutoCloseable {
  /**
   * The operations side of a running portal.
   *
   * @param metrics its metrics
   * @param health its health checks
   * @param management the management listener, when {@code --management} was given
   */
  record Operations(
      PortalMetrics metrics, HealthChecks health, Optional<ManagementServer> management) {
    Operations {
      Objects.requireNonNull(metrics, "metrics");
      Objects.requireNonNull(health, "health");
      Objects.requireNonNull(management, "management");
    }
  }

  private final PortalConfig config;
  private final ApiServer api;
  private final RunningSipEdge sip;
  private final CrlRefresher crlRefresher;
  private final PortalStore store;
  private final X509Certificate caCertificate;
  private final Notifier notifier;
  private final LongPolls longPolls;
  private final Operations operations;

  RunningPortal(
      PortalConfig config,
      ApiServer api,
      RunningSipEdge sip,
      CrlRefresher crlRefresher,
      PortalStore store,
      X509Certificate caCertificate,
      Notifier notifier,
      LongPolls longPolls,
      Operations operations) {
    this.operations = operations;
    this.config = config;
    this.api = api;
    this.sip = sip;
    this.crlRefresher = crlRefresher;
    this.store = store;
    this.caCertificate = caCertificate;
    this.notifier = notifier;
    this.longPolls = longPolls;
  }

  /** The port of the HTTPS API. */
  public int apiPort() {
    return api.port();
  }

  /** The base URL of the API, e.g. {@code https://127.0.0.1:8443}. */
  public String apiUrl() {
    String host = config.api().getHostString();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "https://" + host + ":" + api.port();
  }

  /** The address the SIP over TLS server is bound to (the real port when 0 was asked). */
  public InetSocketAddress sipAddress() {
    return sip.sipAddress();
  }

  /** The SIP address as {@code host:port} ({@code [ipv6]:port}), as in {@code ready.json}. */
  public String sipHostPort() {
    InetSocketAddress address = sipAddress();
    String host = address.getHostString();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return host + ":" + address.getPort();
  }

  /** The portal CA certificate. */
  public X509Certificate caCertificate() {
    return caCertificate;
  }

  /** The configuration it runs with. */
  public PortalConfig config() {
    return config;
  }

  /** The store, for tests and the operator commands of the same process. */
  public PortalStore store() {
    return store;
  }

  /** The notifier of this process, for tests. */
  public Notifier notifier() {
    return notifier;
  }

  /** The long-polls of this process, for tests. */
  public LongPolls longPolls() {
    return longPolls;
  }

  /** The metrics of this process. */
  public PortalMetrics metrics() {
    return operations.metrics();
  }

  /** Runs the health checks now. */
  public HealthChecks.Report health() {
    return operations.health().check();
  }

  /** The management listener's {@code host:port}, when {@code --management} was given. */
  public Optional<String> managementHostPort() {
    return operations
        .management()
        .map(
            m -> {
              String host = config.management().orElseThrow().getHostString();
              return (host.contains(":") ? "[" + host + "]" : host) + ":" + m.port();
            });
  }

  /** The API server, for the route check. */
  public ApiServer api() {
    return api;
  }

  @Override
  public void close() {
    try {
      operations.management().ifPresent(ManagementServer::close);
      operations.health().close();
      crlRefresher.close();
      longPolls.close(); // answers the waiting clients while the server and store are up
      try {
        api.close();
      } finally {
        sip.close();
      }
    } finally {
      notifier.close();
      store.close();
      try {
        Files.deleteIfExists(config.dataDir().resolve("ready.json"));
      } catch (IOException e) {
        // A stale ready file names a pid that is gone; the harness checks the pid too.
      }
    }
  }
}
