package io.doorpair.sipedge;

import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.testing.LinphoneConfig;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import io.doorpair.sipedge.testing.Peers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's call mechanics proved against the reference proxy: Kamailio started from {@code
 * ../shared/peers/kamailio} (kam-start.sh, which needs {@code kamailio kamailio-tls-modules
 * libssl-dev gcc}) with this test's CA and server certificate, and the forked call of {@link
 * ForkedCall} through it. Skipped when that folder is not beside the project; when it is, a missing
 * Kamailio skips locally and fails in CI.
 */
class LinphoneForkedCallKamailioTest {
  private static final String DOMAIN = "portal.test";
  private static final String GATEWAY_DOMAIN = "gw7k2p9x4abc";
  private static final TestPki PKI = TestPki.shared();
  @TempDir static Path run;
  private static Path scripts;
  private static int port;

  @BeforeAll
  static void start() throws IOException, InterruptedException {
    String shared = System.getenv("DOORPAIR_SHARED_DIR");
    Path found = Path.of(shared == null ? "../../shared" : shared, "peers", "kamailio");
    // the configuration lives beside the project, not in it: without it, skip (also in CI)
    Assumptions.assumeTrue(
        Files.isRegularFile(found.resolve("kam-start.sh")),
        () -> "Kamailio's configuration " + found + " is not beside the project: test skipped");
    Peers.require("linphone-daemon", "linphone-cli");
    Peers.require("kamailio", "kamailio kamailio-tls-modules libssl-dev gcc");
    scripts = found;
    Path certs = Files.createDirectories(run.resolve("certs"));
    Leaf server = PKI.issueServer("localhost", "127.0.0.1");
    Files.writeString(certs.resolve("ca.crt"), PKI.caPem(), StandardCharsets.UTF_8);
    Files.writeString(certs.resolve("server.crt"), server.certificatePem(), StandardCharsets.UTF_8);
    Files.writeString(certs.resolve("server.key"), server.privateKeyPem(), StandardCharsets.UTF_8);
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    script("kam-start.sh", certs, "2");
  }

  @AfterAll
  static void stop() throws IOException, InterruptedException {
    if (scripts != null && port != 0) {
      script("kam-stop.sh", run.resolve("certs"));
    }
  }

  private static void script(String name, Path certs, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new java.util.ArrayList<>(List.of("bash", scripts.resolve(name).toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(run.resolve(name + ".log").toFile());
    builder.environment().put("KAM_RUN", run.resolve("kam").toString());
    builder.environment().put("KAM_CERTS", certs.toString());
    builder.environment().put("KAM_LISTEN", "tls:127.0.0.1:" + port);
    builder.environment().put("KAM_DOMAINS", DOMAIN + " " + GATEWAY_DOMAIN);
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException(
          name
              + " failed:\n"
              + Files.readString(run.resolve(name + ".log"), StandardCharsets.UTF_8));
    }
  }

  @Test
  void gateway_call_rings_both_devices_and_the_unanswered_one_is_cancelled() throws IOException {
    Leaf alice = PKI.issueClient("alice@" + DOMAIN, Optional.of(UUID.randomUUID()));
    Leaf gateway = PKI.issueClient("ipgw@" + GATEWAY_DOMAIN, Optional.empty());
    try (LinphoneDaemon phone = LinphoneDaemon.start(device("alice", DOMAIN, alice, true));
        LinphoneDaemon tablet = LinphoneDaemon.start(device("alice", DOMAIN, alice, true));
        LinphoneDaemon caller =
            LinphoneDaemon.start(device("ipgw", GATEWAY_DOMAIN, gateway, false))) {
      ForkedCall.play(caller, "sip:alice@" + DOMAIN, tablet, phone);
    }
  }

  private static LinphoneConfig device(String user, String domain, Leaf leaf, boolean register) {
    return new LinphoneConfig(
        user,
        domain,
        UUID.randomUUID(),
        leaf.keys().getPrivate(),
        List.of(leaf.certificate()),
        PKI.caCertificate(),
        new InetSocketAddress("localhost", port),
        register);
  }
}
