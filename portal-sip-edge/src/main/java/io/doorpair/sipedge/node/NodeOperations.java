package io.doorpair.sipedge.node;

import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.SipEdgeConfig;
import io.doorpair.sipedge.ops.HealthChecks;
import io.doorpair.sipedge.ops.JvmMeters;
import io.doorpair.sipedge.ops.ManagementServer;
import io.doorpair.sipedge.ops.SipEdgeMetrics;
import io.doorpair.sipedge.registrar.NodeDirectory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A SIP node's management listener ({@code --management HOST:PORT}): its meters ({@link
 * SipEdgeMetrics} and the JVM's) on {@code /metrics}, and on {@code /health} the checks {@code sip}
 * (the TLS listener still holds its port), {@code crl} (a CRL in force, none past its nextUpdate,
 * the CRL file readable) and, with {@code --redis}, {@code redis} (the heartbeats can be read).
 */
final class NodeOperations implements AutoCloseable {
  /** How long one health check may take before it counts as down. */
  static final Duration HEALTH_DEADLINE = Duration.ofSeconds(5);

  private final HealthChecks health;
  private final ManagementServer server;

  private NodeOperations(HealthChecks health, ManagementServer server) {
    this.health = health;
    this.server = server;
  }

  /**
   * Parses {@code --management}: {@code host:port} or {@code [ipv6]:port}, port 0 for a free one.
   *
   * @throws IllegalArgumentException {@code --management needs host:port}, ...
   */
  static InetSocketAddress parse(String text) {
    try {
      return SipEdgeConfig.parseListen(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().replace("--sip", "--management"), e);
    }
  }

  /**
   * Starts the listener for {@code edge} on {@code address}; {@code crlFiles} are the {@code
   * --crl}s.
   */
  static NodeOperations start(RunningSipEdge edge, InetSocketAddress address, List<Path> crlFiles) {
    Clock clock = Clock.systemUTC();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SipEdgeMetrics.observe(edge, registry, clock);
    JvmMeters.bindTo(registry);
    HealthChecks health = new HealthChecks(checks(edge, crlFiles, clock), HEALTH_DEADLINE);
    try {
      return new NodeOperations(
          health, ManagementServer.start(address, registry::scrape, health::check));
    } catch (RuntimeException e) {
      health.close();
      throw new IllegalArgumentException("--management " + e.getMessage(), e);
    }
  }

  private static Map<String, HealthChecks.Check> checks(
      RunningSipEdge edge, List<Path> crlFiles, Clock clock) {
    Map<String, HealthChecks.Check> checks = new LinkedHashMap<>();
    checks.put("sip", () -> listening(edge.sipAddress()));
    checks.put(
        "crl",
        () -> {
          for (Path crlFile : crlFiles) {
            if (!Files.isReadable(crlFile)) {
              throw new IOException("a CRL file cannot be read");
            }
          }
          if (edge.crls().isEmpty()) {
            throw new IllegalStateException("no CRL in force");
          }
          for (X509CRL crl : edge.crls()) {
            if (crl.getNextUpdate() != null
                && crl.getNextUpdate().toInstant().isBefore(clock.instant())) {
              throw new IllegalStateException("the CRL is past its nextUpdate");
            }
          }
        });
    Optional<NodeDirectory> nodes = edge.sharedNodes();
    if (nodes.isPresent()) {
      checks.put("redis", () -> nodes.get().liveNodes());
    }
    return checks;
  }

  /**
   * Passes while something holds the listener's port: binding it here must fail. (Connecting to it
   * would open a TLS connection that never handshakes, and count as a failure.)
   */
  private static void listening(InetSocketAddress sip) throws IOException {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(false);
      probe.bind(sip);
    } catch (BindException held) {
      return;
    }
    throw new IOException("nothing listens on the SIP port any more");
  }

  /** The listener's {@code host:port}. */
  String hostPort() {
    return server.hostPort();
  }

  @Override
  public void close() {
    server.close();
    health.close();
  }
}
