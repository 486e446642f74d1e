package io.doorpair.sipedge;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.testing.LinphoneConfig;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import io.doorpair.sipedge.testing.Peers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
  @TempDir Path run;

  @Test
  void gateway_call_rings_both_devices_and_the_unanswered_one_is_cancelled() throws Exception {
    String shared = System.getenv("DOORPAIR_SHARED_DIR");
    Path scripts = Path.of(shared == null ? "../../shared" : shared, "peers", "kamailio");
    // the configuration lives beside the project, not in it: without it, skip (also in CI)
    assumeTrue(
        Files.isRegularFile(scripts.resolve("kam-start.sh")),
        () -> "Kamailio's configuration " + scripts + " is not beside the project: test skipped");
    Peers.require("linphone-daemon", "linphone-cli");
    Peers.require("kamailio", "kamailio kamailio-tls-modules libssl-dev gcc");

    Path certs = Files.createDirectories(run.resolve("certs"));
    Leaf server = PKI.issueServer("localhost", "127.0.0.1");
    Files.writeString(certs.resolve("ca.crt"), PKI.caPem(), StandardCharsets.UTF_8);
    Files.writeString(certs.resolve("server.crt"), server.certificatePem(), StandardCharsets.UTF_8);
    Files.writeString(certs.resolve("server.key"), server.privateKeyPem(), StandardCharsets.UTF_8);
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    script(scripts, "kam-start.sh", certs, port, "2");
    try {
      Leaf alice = PKI.issueClient("alice@" + DOMAIN, Optional.of(UUID.randomUUID()));
      Leaf gateway = PKI.issueClient("ipgw@" + GATEWAY_DOMAIN, Optional.empty());
      Optional<UUID> phoneId = Optional.of(UUID.randomUUID());
      Optional<UUID> tabletId = Optional.of(UUID.randomUUID());
      try (LinphoneDaemon phone =
              LinphoneDaemon.start(device("alice", DOMAIN, phoneId, alice, port));
          LinphoneDaemon tablet =
              LinphoneDaemon.start(device("alice", DOMAIN, tabletId, alice, port));
          LinphoneDaemon caller =
              LinphoneDaemon.start(
                  device("ipgw", GATEWAY_DOMAIN, Optional.empty(), gateway, port))) {
        caller.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
        ForkedCall.play(caller, "sip:alice@" + DOMAIN, tablet, phone);
      }
    } finally {
      script(scripts, "kam-stop.sh", certs, port);
    }
  }

  private void script(Path scripts, String name, Path certs, int port, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", scripts.resolve(name).toString()));
    command.addAll(List.of(args));
    Path log = run.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("KAM_RUN", run.resolve("kam").toString());
    builder.environment().put("KAM_CERTS", certs.toString());
    builder.environment().put("KAM_LISTEN", "tls:127.0.0.1:" + port);
    builder.environment().put("KAM_DOMAINS", DOMAIN + " " + GATEWAY_DOMAIN);
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException(name + " failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
  }

  private static LinphoneConfig device(
      String user, String domain, Optional<UUID> uuid, Leaf leaf, int port) {
    // Kamailio keys bindings by +sip.instance but does not tie it to the certificate: two
    // devices of alice may share one certificate here
    return new LinphoneConfig(
        user,
        domain,
        uuid,
        leaf.keys().getPrivate(),
        List.of(leaf.certificate()),
        PKI.caCertificate(),
        new InetSocketAddress("localhost", port),
        true);
  }
}
