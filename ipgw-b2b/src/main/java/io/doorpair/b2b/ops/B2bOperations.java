package io.doorpair.b2b.ops;

import io.doorpair.b2b.RunningB2b;
import io.doorpair.b2b.localsip.InternalTarget;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The b2b's management listener ({@code management=HOST:PORT} in {@code b2b.conf}): its meters
 * ({@link B2bMetrics} and the JVM's) on {@code /metrics}, and on {@code /health} the checks {@code
 * internal_sip} (the embedded internal SIP server still holds its port; only when it runs) and
 * {@code spool} (the call journal's spool folder is there and writable). The portal registration is
 * a gauge, not a health check: a b2b cut from the Internet still rings LAN phones and keeps its
 * records.
 */
public final class B2bOperations implements AutoCloseable {
  /** How long one health check may take before it counts as down. */
  static final Duration HEALTH_DEADLINE = Duration.ofSeconds(5);

  private final HealthChecks health;
  private final ManagementServer server;

  private B2bOperations(HealthChecks health, ManagementServer server) {
    this.health = health;
    this.server = server;
  }

  /**
   * Parses {@code management}: {@code host:port} or {@code [ipv6]:port} (already checked by {@code
   * B2bConf}).
   *
   * @param text the value
   * @return the address, unresolved
   */
  static InetSocketAddress parse(String text) {
    int colon = text.lastIndexOf(':');
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return InetSocketAddress.createUnresolved(host, Integer.parseInt(text.substring(colon + 1)));
  }

  /**
   * Starts the listener of {@code b2b} on {@code management}.
   *
   * @param b2b the running b2b
   * @param management {@code host:port} from {@code b2b.conf}
   * @param spool the call journal's spool folder
   * @return the running listener
   * @throws java.io.UncheckedIOException when the address cannot be bound
   */
  public static B2bOperations start(RunningB2b b2b, String management, Path spool) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    B2bMetrics.observe(b2b, registry, spool);
    JvmMeters.bindTo(registry);
    HealthChecks health = new HealthChecks(checks(b2b, spool), HEALTH_DEADLINE);
    try {
      return new B2bOperations(
          health, ManagementServer.start(parse(management), registry::scrape, health::check));
    } catch (RuntimeException e) {
      health.close();
      throw e;
    }
  }

  private static Map<String, HealthChecks.Check> checks(RunningB2b b2b, Path spool) {
    Map<String, HealthChecks.Check> checks = new LinkedHashMap<>();
    if (b2b.internalServer().isPresent()) {
      InternalTarget target = InternalTarget.parse(b2b.files().conf().internalSipUri());
      checks.put("internal_sip", () -> held(target));
    }
    checks.put(
        "spool",
        () -> {
          if (!Files.isDirectory(spool) || !Files.isWritable(spool)) {
            throw new IOException("the spool folder is gone or not writable");
          }
        });
    return checks;
  }

  /**
   * Passes while something holds the internal server's port: binding it here must fail (sending it
   * a request would count as a LAN request and pass its flood guard).
   */
  private static void held(InternalTarget target) throws IOException {
    InetSocketAddress address = new InetSocketAddress(target.host(), target.port());
    try {
      if (target.transport().toLowerCase(Locale.ROOT).equals("udp")) {
        new DatagramSocket(address).close();
      } else {
        try (ServerSocket probe = new ServerSocket()) {
          probe.setReuseAddress(false);
          probe.bind(address);
        }
      }
    } catch (BindException held) {
      return;
    }
    throw new IOException("nothing listens on the internal SIP port any more");
  }

  /**
   * The listener's {@code host:port}.
   *
   * @return e.g. {@code 127.0.0.1:9467}
   */
  public String hostPort() {
    return server.hostPort();
  }

  @Override
  public void close() {
    server.close();
    health.close();
  }
}
