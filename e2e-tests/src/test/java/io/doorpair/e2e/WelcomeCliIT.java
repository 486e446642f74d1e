package io.doorpair.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.PublicKeyHash;
import io.doorpair.crypto.SecurityCode;
import io.doorpair.e2e.harness.ActorProcess;
import io.doorpair.e2e.harness.GatewayAgent;
import io.doorpair.e2e.harness.ReadyFile;
import io.doorpair.e2e.harness.Repo;
import io.doorpair.e2e.harness.Tmux;
import io.doorpair.ipgw.requests.CodeOutcome;
import io.doorpair.ipgw.store.Rights;
import io.doorpair.ipgw.store.StoredRequest;
import io.doorpair.sipedge.testing.LinphoneConfig;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * {@code bin/welcome} driven in a terminal (tmux) as a user would, against {@code bin/portal} as
 * its own process: pair (password typed at the prompt), gateways, request, wait (spinner, then the
 * code in large type) while the owner approves on the gateway (ipgw's real decisions), then the
 * owner types the code the terminal shows and the gateway enables the account; the linphonerc it
 * writes makes a real linphone-daemon register at the portal SIP server.
 */
class WelcomeCliIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration STEP = Duration.ofSeconds(90);
  private static final String PASSWORD = "alice's long password";

  @Test
  void a_user_pairs_requests_waits_and_reads_the_code_that_the_gateway_accepts(TestInfo info)
      throws Exception {
    boolean tmuxPresent = Files.isExecutable(Path.of("/usr/bin/tmux"));
    if (!tmuxPresent && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("tmux is missing (Debian package tmux)");
    }
    assumeTrue(tmuxPresent, "tmux is missing (Debian package tmux): skipped");
    Path work =
        Repo.workDir(getClass().getSimpleName(), info.getTestMethod().orElseThrow().getName());
    Path data = work.resolve("portal/data");
    try (ActorProcess portal = ActorProcess.portal(work.resolve("portal"), data)) {
      ReadyFile ready = portal.awaitReady(data.resolve("ready.json"), START);
      try {
        ActorProcess.addPortalUser(work, data, "alice", PASSWORD);
        X509Certificate ca = Pem.parseCertificate(Files.readString(data.resolve("ca.pem")));
        Path profile = work.resolve("profile");
        String welcome = Repo.bin("welcome") + " --profile " + profile;
        try (GatewayAgent gateway = GatewayAgent.start(work.resolve("gateway"), ready.api(), ca);
            Tmux terminal =
                Tmux.start(
                    work,
                    Map.of("HOME", Files.createDirectories(work.resolve("home")).toString()))) {
          String domain = gateway.pair("alice", PASSWORD);

          terminal.type(
              welcome
                  + " pair --portal "
                  + ready.api()
                  + " --ca "
                  + data.resolve("ca.pem")
                  + " --sip-domain portal.localhost --user alice --name 'Alice phone'");
          terminal.await(Pattern.compile("Portal password for alice: "), STEP);
          terminal.type(PASSWORD);
          terminal.await(Pattern.compile("Paired as alice@portal.localhost"), STEP);
          assertThat(Files.getPosixFilePermissions(profile.resolve("key.pem")))
              .isEqualTo(PosixFilePermissions.fromString("rw-------"));
          assertThat(terminal.screen()).doesNotContain(PASSWORD);

          terminal.type(welcome + " gateways");
          terminal.await(Pattern.compile(domain + "  owner  Location: Loft"), STEP);

          terminal.type(welcome + " request " + domain);
          terminal.await(Pattern.compile("Request \\d+ to " + domain + ": pending"), STEP);

          terminal.type(welcome + " wait " + domain);
          terminal.await(
              Pattern.compile("Waiting for the owner of " + domain + " to approve \\d+:\\d\\d"),
              STEP);
          StoredRequest request = gateway.awaitPending(r -> r.username().equals("alice"), STEP);
          gateway.decisions().approve(request.requestId(), Rights.ALL);

          Matcher shown =
              terminal.await(Pattern.compile("security code: ([0-9]{4}) ([0-9a-f]{4})"), STEP);
          String code = shown.group(1) + shown.group(2);
          assertThat(terminal.screen())
              .contains("Read this code to the gateway's owner")
              .containsPattern("(?m)^  [# ]*#[# ]*#[# ]{40,}$"); // the code in large type
          X509Certificate appCertificate =
              Pem.parseCertificate(Files.readString(profile.resolve("certificate.pem")));
          assertThat(SecurityCode.matches(code, PublicKeyHash.of(appCertificate))).isTrue();

          // The owner types what the terminal showed.
          CodeOutcome outcome = gateway.decisions().enterCode(request.requestId(), code);
          assertThat(outcome.result()).isEqualTo(CodeOutcome.Result.ENABLED);

          // The code again, for scripts.
          terminal.type(welcome + " --json code " + domain);
          terminal.await(Pattern.compile("\"security_code\":\"" + code + "\""), STEP);

          terminal.type(welcome + " devices");
          terminal.await(Pattern.compile("app  alice@portal.localhost  Alice phone"), STEP);

          // A linphonerc for this identity and account: 0600, as it holds the password.
          // The portal SIP server's certificate always carries the name localhost.
          int sipPort = Integer.parseInt(ready.json().get("sip").asText().replaceAll(".*:", ""));
          terminal.type(welcome + " linphonerc " + domain + " --proxy localhost:" + sipPort);
          terminal.await(Pattern.compile("Wrote .*linphonerc-" + domain), STEP);
          Path rc = profile.resolve("linphonerc-" + domain);
          assertThat(Files.getPosixFilePermissions(rc))
              .isEqualTo(PosixFilePermissions.fromString("rw-------"));
          assertThat(Files.readString(rc))
              .contains("client_cert_key=" + profile.resolve("key.pem"))
              .contains("root_ca=" + profile.resolve("ca.pem"))
              .contains("verify_server_certs=1")
              .contains("realm=" + domain)
              .contains("reg_proxy=<sip:localhost:" + sipPort + ";transport=tls>");

          // The real peer: linphone-daemon on that very file registers at the portal SIP server
          // with the device certificate, key and instance.
          LinphoneConfig described =
              new LinphoneConfig(
                  "alice",
                  "portal.localhost",
                  CertificateIdentity.of(appCertificate).instance(),
                  Pem.parsePrivateKey(Files.readString(profile.resolve("key.pem"))),
                  List.of(appCertificate),
                  ca,
                  new InetSocketAddress("localhost", sipPort),
                  true);
          try (LinphoneDaemon phone = LinphoneDaemon.startWith(described, rc)) {
            phone.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
          }
        }
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\n" + portal.tail(), e);
      }
    }
  }
}
