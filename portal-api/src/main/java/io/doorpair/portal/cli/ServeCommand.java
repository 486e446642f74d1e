package io.doorpair.portal.cli;

import io.doorpair.ca.CaSettings;
import io.doorpair.portal.Portal;
import io.doorpair.portal.PortalConfig;
import io.doorpair.portal.RunningPortal;
import io.doorpair.sipedge.redis.RedisSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code portal serve}: runs the portal until SIGTERM or SIGINT. */
@Command(name = "serve", description = "Run the portal (HTTPS API; SIP server to come).")
final class ServeCommand implements Runnable {
  @Mixin StoreOptions store;

  @Option(
      names = "--api",
      defaultValue = "${env:PORTAL_API:-127.0.0.1:8443}",
      description = "HTTPS API address host:port (port 0: any free port); env PORTAL_API")
  String api;

  @Option(
      names = "--sip",
      defaultValue = "${env:PORTAL_SIP:-127.0.0.1:5061}",
      description = "SIP over TLS address host:port; env PORTAL_SIP")
  String sip;

  @Option(
      names = "--domain",
      defaultValue = "${env:PORTAL_DOMAIN:-" + PortalConfig.DEFAULT_DOMAIN + "}",
      description = "portal SIP domain of app CNs (user@domain); env PORTAL_DOMAIN")
  String domain;

  @Option(
      names = "--hostname",
      description = "extra DNS name or IP address for the generated server certificate; repeatable")
  List<String> hostnames = new ArrayList<>();

  @Option(
      names = "--redis",
      paramLabel = "URL",
      defaultValue = "${env:PORTAL_REDIS}",
      description =
          "keep the SIP server's bindings in this Redis (redis://host:port), shared with"
              + " portal-sip nodes; default: in memory; env PORTAL_REDIS")
  String redis;

  @Option(
      names = "--redis-prefix",
      paramLabel = "PREFIX",
      defaultValue = RedisSettings.DEFAULT_PREFIX,
      description = "start of every Redis key; the same on every node (default ${DEFAULT-VALUE})")
  String redisPrefix;

  @Option(
      names = "--management",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:PORTAL_MANAGEMENT}",
      description =
          "serve GET /metrics (Prometheus) and GET /health on this address, plain HTTP without"
              + " authentication: keep it on 127.0.0.1 or a management network (default: off);"
              + " env PORTAL_MANAGEMENT")
  String management;

  @Option(names = "--tls-cert", description = "server certificate chain (PEM) to use instead")
  Path tlsCert;

  @Option(names = "--tls-key", description = "private key (PEM) of --tls-cert")
  Path tlsKey;

  @Override
  public void run() {
    PortalConfig config =
        new PortalConfig(
            store.data,
            Addresses.parse("--api", api),
            Addresses.parse("--sip", sip),
            domain,
            store.databaseUrl(),
            hostnames,
            Optional.ofNullable(tlsCert),
            Optional.ofNullable(tlsKey),
            store.realm,
            CaSettings.defaults(),
            Optional.ofNullable(redis)
                .filter(r -> !r.isBlank())
                .map(r -> RedisSettings.of(r).withKeyPrefix(redisPrefix)));
    if (management != null && !management.isBlank()) {
      config = config.withManagement(Addresses.parse("--management", management));
    }
    RunningPortal running = Portal.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  running.close();
                  stopped.countDown();
                },
                "portal-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Parses {@code host:port}. */
  static final class Addresses {
    private Addresses() {}

    static InetSocketAddress parse(String option, String text) {
      int colon = text.lastIndexOf(':');
      if (colon <= 0 || colon == text.length() - 1) {
        throw new IllegalArgumentException(option + " must be host:port, got: " + text);
      }
      String host = text.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(text.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " has a bad port: " + text, e);
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(option + " has a bad port: " + text);
      }
      return new InetSocketAddress(host, port);
    }
  }
}
