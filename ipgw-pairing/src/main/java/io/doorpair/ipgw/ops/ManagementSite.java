package io.doorpair.ipgw.ops;

import io.javalin.Javalin;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The management listener ({@code --management HOST:PORT}): {@code GET /metrics} (Prometheus text)
 * and {@code GET /health}, plain HTTP without authentication, apart from the owner's admin site.
 * Meant for a loopback address or a management network that only the monitoring system reaches;
 * nothing on it changes state or shows a secret.
 */
public final class ManagementSite implements AutoCloseable {
  /** The content type of the Prometheus text format. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Javalin app;

  private ManagementSite(Javalin app) {
    this.app = app;
  }

  /**
   * Starts the listener on {@code address} (port 0 for a free one).
   *
   * @param address where to listen
   * @param metrics the scrape
   * @param health the current health report
   * @return the running listener
   */
  public static ManagementSite start(
      InetSocketAddress address, Supplier<String> metrics, Supplier<HealthChecks.Report> health) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(health, "health");
    Javalin app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.startupWatcherEnabled = false;
              config.http.maxRequestSize = 1024;
              config.jetty.modifyHttpConfiguration(
                  http -> {
                    http.setSendServerVersion(false);
                    http.setSendXPoweredBy(false);
                  });
            });
    app.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.get()));
    app.get(
        "/health",
        ctx -> {
          HealthChecks.Report report = health.get();
          ctx.status(report.httpStatus()).contentType("application/json").result(report.json());
        });
    app.start(address.getHostString(), address.getPort());
    return new ManagementSite(app);
  }

  /**
   * The address it listens on, as {@code host:port}.
   *
   * @param host the host it was given
   * @return e.g. {@code 127.0.0.1:9465}
   */
  public String hostPort(String host) {
    int port = ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public void close() {
    app.stop();
  }
}
