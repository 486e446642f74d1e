package io.doorpair.ipgw.cli;

import io.doorpair.ipgw.Gateway;
import io.doorpair.ipgw.GatewayConfig;
import io.doorpair.ipgw.RunningGateway;
import io.doorpair.ipgw.admin.AdminPassword;
import io.doorpair.ipgw.pairing.PairingSettings;
import io.doorpair.ipgw.supervisor.B2bSupervision;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ipgw serve}: runs the gateway agent until SIGTERM or SIGINT. On the first start (no {@code
 * admin-password} in the data folder) it draws the administrator password and prints it once on
 * standard output, unless {@code --admin-password-stdin} gives one.
 */
@Command(name = "serve", description = "Run the gateway agent and its admin site.")
final class ServeCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  InputStream stdin = System.in;

  @Option(
      names = "--root",
      defaultValue = "${env:IPGW_ROOT:-/}",
      description = "prefix of every /etc path (default /); env IPGW_ROOT")
  Path root;

  @Option(
      names = "--data",
      defaultValue = "${env:IPGW_DATA:-/var/lib/ipgw}",
      description =
          "data folder: ipgw.db, admin-password, ready.json (default /var/lib/ipgw); env IPGW_DATA")
  Path data;

  @Option(
      names = "--portal",
      defaultValue = "${env:IPGW_PORTAL:-https://127.0.0.1:8443}",
      description = "the portal's HTTPS API URL; env IPGW_PORTAL")
  String portal;

  @Option(
      names = "--portal-ca",
      description =
          "PEM CA certificate(s) trusted for the portal's HTTPS certificate before pairing"
              + " (default: the system's trust store)")
  Path portalCa;

  @Option(
      names = "--portal-sip",
      description = "portal SIP URI written to b2b.conf (default sips:<portal host>:5061)")
  String portalSip;

  @Option(
      names = "--internal-sip",
      defaultValue = GatewayConfig.DEFAULT_INTERNAL_SIP,
      description = "internal SIP server URI written to b2b.conf (default ${DEFAULT-VALUE})")
  String internalSip;

  @Option(
      names = "--admin",
      defaultValue = "${env:IPGW_ADMIN:-" + GatewayConfig.DEFAULT_ADMIN + "}",
      description = "admin site address host:port (port 0: any free port); env IPGW_ADMIN")
  String admin;

  @Option(
      names = "--management",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:IPGW_MANAGEMENT}",
      description =
          "serve GET /metrics (Prometheus) and GET /health on this address, plain HTTP without"
              + " authentication: keep it on 127.0.0.1 or a management network (default: off);"
              + " env IPGW_MANAGEMENT")
  String management;

  @Option(
      names = "--admin-host",
      description =
          "a host name the admin site answers to besides IP addresses and localhost (repeatable);"
              + " requests naming any other host are refused (DNS rebinding)")
  List<String> adminHosts = new ArrayList<>();

  @Option(
      names = "--admin-tls-cert",
      description = "PEM certificate chain: serve the admin site over HTTPS (with --admin-tls-key)")
  Path adminTlsCert;

  @Option(names = "--admin-tls-key", description = "PEM private key of --admin-tls-cert")
  Path adminTlsKey;

  @Option(
      names = "--admin-password-stdin",
      description =
          "set (or replace) the admin password with the first line of standard input, at least "
              + AdminPassword.MIN_LENGTH
              + " characters")
  boolean passwordFromStdin;

  @Option(
      names = "--key-bits",
      defaultValue = "" + PairingSettings.DEFAULT_KEY_BITS,
      description = "RSA key size of the gateway certificate, 2048-4096 (default ${DEFAULT-VALUE})")
  int keyBits;

  @Option(
      names = "--b2b-command",
      description =
          "run the b2b as a supervised child with this program (given `serve --root ROOT`), e.g."
              + " bin/b2b; default: the b2b of ipgw's own class path")
  String b2bCommand;

  @Option(
      names = "--b2b-systemd-unit",
      description =
          "the b2b is this systemd unit (systemctl start/stop/is-active), not a child process")
  String b2bUnit;

  @Option(names = "--no-b2b", description = "do not run or manage a b2b")
  boolean noB2b;

  @Override
  public void run() {
    GatewayConfig config =
        new GatewayConfig(
            root,
            data,
            portal,
            Optional.ofNullable(portalCa),
            parseAddress(admin),
            adminHosts,
            adminTls(),
            new PairingSettings(
                portalSip != null ? portalSip : GatewayConfig.defaultPortalSip(portal),
                internalSip,
                keyBits,
                PairingSettings.DEFAULT_ATTEMPTS),
            Duration.ofSeconds(25),
            Duration.ofSeconds(1),
            Duration.ofSeconds(60));
    if (management != null && !management.isBlank()) {
      config = config.withManagement(parseAddress(management));
    }
    setPassword();
    RunningGateway running = Gateway.start(config, supervision());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  running.close();
                  stopped.countDown();
                },
                "ipgw-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private B2bSupervision supervision() {
    int chosen = (noB2b ? 1 : 0) + (b2bCommand != null ? 1 : 0) + (b2bUnit != null ? 1 : 0);
    if (chosen > 1) {
      throw new IllegalArgumentException(
          "--no-b2b, --b2b-command and --b2b-systemd-unit exclude each other");
    }
    if (noB2b) {
      return B2bSupervision.none();
    }
    if (b2bUnit != null) {
      return B2bSupervision.systemd(b2bUnit);
    }
    return B2bSupervision.child(Optional.ofNullable(b2bCommand));
  }

  private Optional<GatewayConfig.AdminTls> adminTls() {
    if ((adminTlsCert == null) != (adminTlsKey == null)) {
      throw new IllegalArgumentException("--admin-tls-cert and --admin-tls-key go together");
    }
    return adminTlsCert == null
        ? Optional.empty()
        : Optional.of(new GatewayConfig.AdminTls(adminTlsCert, adminTlsKey));
  }

  private void setPassword() {
    SecureRandom random = new SecureRandom();
    if (passwordFromStdin) {
      char[] password = readLine();
      try {
        AdminPassword.set(data, password, random);
      } finally {
        Arrays.fill(password, '\0');
      }
      return;
    }
    if (!AdminPassword.isSet(data)) {
      char[] password = AdminPassword.generate(random);
      try {
        AdminPassword.set(data, password, random);
        PrintWriter out = spec.commandLine().getOut();
        out.println("ipgw: admin password (shown once, keep it): " + new String(password));
        out.flush();
      } finally {
        Arrays.fill(password, '\0');
      }
    }
  }

  private char[] readLine() {
    try {
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
      String line = reader.readLine();
      if (line == null) {
        throw new IllegalArgumentException("--admin-password-stdin: standard input is empty");
      }
      return line.toCharArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the admin password from standard input", e);
    }
  }

  static InetSocketAddress parseAddress(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("--admin must be host:port, got: " + text);
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--admin has a bad port: " + text, e);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--admin has a bad port: " + text);
    }
    return new InetSocketAddress(host, port);
  }
}
