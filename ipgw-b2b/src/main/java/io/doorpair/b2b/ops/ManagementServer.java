package io.doorpair.b2b.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management listener of {@code ipgw serve} ({@code --management HOST:PORT}) and {@code b2b
 * serve} ({@code management} in {@code b2b.conf}): {@code GET /metrics} in the Prometheus text
 * format and {@code GET /health}, over plain HTTP without authentication, and nothing else ({@code
 * 404}, other methods {@code 405}; a request body is never read). Meant for a loopback or
 * management-network address that only the monitoring system reaches; nothing on it changes state.
 * On the JDK's own HTTP server ({@code jdk.httpserver}), so that the b2b needs no web framework.
 * The one copy on the gateway side (the portal side has its own in portal-sip-edge: gateway modules
 * never depend on portal modules).
 */
public final class ManagementServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

  /** The content type of the Prometheus text format. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ThreadPoolExecutor pool;
  private final String host;

  private ManagementServer(HttpServer server, ThreadPoolExecutor pool, String host) {
    this.server = server;
    this.pool = pool;
    this.host = host;
  }

  /**
   * Starts the listener on {@code address} (port 0 for a free one).
   *
   * @param address where to listen
   * @param metrics the scrape, in the Prometheus text format
   * @param health the current health report
   * @return the running listener
   * @throws UncheckedIOException {@code cannot listen on HOST:PORT: why} when the address cannot be
   *     bound
   */
  public static ManagementServer start(
      InetSocketAddress address, Supplier<String> metrics, Supplier<HealthChecks.Report> health) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(health, "health");
    InetSocketAddress bind =
        address.isUnresolved()
            ? new InetSocketAddress(address.getHostString(), address.getPort())
            : address;
    HttpServer server;
    try {
      server = HttpServer.create(bind, 16);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + hostPort(address.getHostString(), address.getPort()) + ": " + e, e);
    }
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            2,
            2,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(32),
            r -> {
              Thread t = new Thread(r, "management-http");
              t.setDaemon(true);
              return t;
            },
            // a full queue makes the accepting thread answer: slower, never a request left hanging
            new ThreadPoolExecutor.CallerRunsPolicy());
    pool.allowCoreThreadTimeOut(true);
    server.setExecutor(pool);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            serve(exchange, metrics, health);
          } catch (IOException | RuntimeException e) {
            LOG.debug("management request not answered: {}", e.toString());
          }
        });
    server.start();
    return new ManagementServer(server, pool, address.getHostString());
  }

  private static void serve(
      HttpExchange exchange, Supplier<String> metrics, Supplier<HealthChecks.Report> health)
      throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    boolean known = "/metrics".equals(path) || "/health".equals(path);
    if (!known) {
      send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
      return;
    }
    String method = exchange.getRequestMethod();
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
      return;
    }
    if ("/metrics".equals(path)) {
      send(exchange, 200, PROMETHEUS_TEXT, metrics.get());
    } else {
      HealthChecks.Report report = health.get();
      send(exchange, report.httpStatus(), "application/json", report.json());
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The address it listens on as {@code host:port} ({@code [v6]:port}), with the host given. */
  public String hostPort() {
    return hostPort(host, port());
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
