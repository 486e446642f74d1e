package io.doorpair.portal.ops;

import io.javalin.Javalin;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The management listener ({@code --management HOST:PORT}): {@code GET /metrics} in the Prometheus
 * text format and {@code GET /health}, over plain HTTP without authentication. It is meant for a
 * loopback or management-network address that only the monitoring system reaches; nothing on it
 * changes state.
 */
public final class ManagementServer implements AutoCloseable {
  /** The content type of the Prometheus text format. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Javalin app;

  private ManagementServer(Javalin app) {
    this.app = app;
  }

  /**
   * Starts the listener on {@code address} (port 0 for a free one).
   *
   * @param metrics the scrape, in the Prometheus text format
   * @param health the current health report
   */
  public static ManagementServer start(
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
    return new ManagementServer(app);
  }

  /** The port it listens on. */
  public int port() {
    return ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
  }

  @Override
  public void close() {
    app.stop();
  }
}
