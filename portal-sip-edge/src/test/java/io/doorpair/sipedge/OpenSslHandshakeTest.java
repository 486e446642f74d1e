package io.doorpair.sipedge;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.registrar.InMemoryBindings;
import io.doorpair.sipedge.registrar.RegistrationPolicy;
import io.doorpair.sipedge.stack.StackSettings;
import io.doorpair.sipedge.testing.SipTlsClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handshakes driven by a real {@code openssl s_client} process: every certificate the portal SIP
 * server must refuse fails (the connection ends, no SIP response), a good certificate is served
 * over TLS 1.2 and 1.3, and TLS 1.1 is refused. Skipped with a reason when openssl is missing,
 * except under {@code CI=true}, where that is a failure.
 */
class OpenSslHandshakeTest {
  private static final String DOMAIN = "portal.test";
  private static final TestPki PKI = TestPki.shared();
  private static final long GUARD_SECONDS = 60; // failure guard only
  @TempDir static Path dir;
  private static RunningSipEdge edge;
  private static Path caFile;
  private static Leaf alice;
  private static Leaf revoked;

  @BeforeAll
  static void start() throws IOException {
    requireOpenSsl();
    alice = PKI.issueClient("alice@" + DOMAIN, Optional.of(UUID.randomUUID()));
    revoked = PKI.issueClient("rita@" + DOMAIN, Optional.of(UUID.randomUUID()));
    Leaf server = PKI.issueServer("127.0.0.1");
    caFile = dir.resolve("ca.pem");
    Files.writeString(caFile, PKI.caPem());
    edge =
        SipEdge.start(
            new SipEdgeConfig(
                SipEdgeConfig.parseListen("127.0.0.1:0"),
                DOMAIN,
                List.of(PKI.caCertificate()),
                server.keys().getPrivate(),
                List.of(server.certificate()),
                RegistrationPolicy.DEFAULT,
                new StackSettings("openssl-edge", 65536, 4, 600_000, 10_000),
                Optional.of(PKI.crl(revoked.serial())),
                SipEdgeConfig.DEFAULT_TIMER_C),
            new InMemoryBindings(),
            Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (edge != null) {
      edge.close();
    }
  }

  private static void requireOpenSsl() {
    boolean found;
    try {
      Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      found = p.waitFor(GUARD_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      found = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      found = false;
    }
    if (!found) {
      String reason = "openssl is not installed (Debian package openssl): s_client tests skipped";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(reason + ", and CI=true makes that a failure");
      }
      org.junit.jupiter.api.Assumptions.abort(reason);
    }
  }

  /** What one s_client run saw. */
  private record Outcome(boolean sipAnswered, String output) {}

  /**
   * Runs {@code openssl s_client} against the edge presenting {@code identity} (none when empty),
   * sends an OPTIONS from alice and reads until a SIP status line or the end of the connection.
   */
  private static Outcome sClient(Optional<Leaf> identity, String... extra) throws Exception {
    // SIGPIPE ignored (inherited across exec): a write to a connection the server closed then
    // fails with EPIPE, and s_client reports it and flushes its output instead of dying silently
    List<String> command =
        new ArrayList<>(
            List.of("sh", "-c", "trap '' PIPE; exec \"$@\"", "s_client", "openssl", "s_client"));
    command.addAll(
        List.of(
            "-connect",
            "127.0.0.1:" + edge.sipAddress().getPort(),
            "-CAfile",
            caFile.toString(),
            "-verify_return_error",
            "-ign_eof"));
    if (identity.isPresent()) {
      String name = UUID.randomUUID().toString();
      Path cert = dir.resolve(name + ".pem");
      Path key = dir.resolve(name + "-key.pem");
      Files.writeString(cert, identity.get().certificatePem());
      Files.writeString(key, identity.get().privateKeyPem());
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      command.addAll(List.of("-cert", cert.toString(), "-key", key.toString()));
    }
    command.addAll(List.of(extra));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    Thread reader =
        new Thread(
            () -> {
              try (InputStream in = process.getInputStream()) {
                byte[] buffer = new byte[4096];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  synchronized (seen) {
                    seen.write(buffer, 0, n);
                  }
                }
              } catch (IOException e) {
                // the process was stopped
              }
            },
            "s_client-reader");
    reader.start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(
          SipTlsClient.request(
                  "OPTIONS", "sip:" + DOMAIN, "<sip:alice@" + DOMAIN + ">", "<sip:" + DOMAIN + ">")
              .getBytes(StandardCharsets.UTF_8));
    } catch (IOException closedEarly) {
      // s_client already gave up: the handshake failed
    }
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS);
    while (System.nanoTime() < guard && process.isAlive() && !text(seen).contains("SIP/2.0 ")) {
      Thread.sleep(20);
    }
    boolean ended = !process.isAlive();
    process.destroy();
    process.waitFor(GUARD_SECONDS, TimeUnit.SECONDS);
    reader.join(TimeUnit.SECONDS.toMillis(GUARD_SECONDS));
    String output = text(seen);
    boolean answered = output.contains("SIP/2.0 200");
    if (!answered) {
      assertThat(ended).as("s_client ended (connection closed); output:\n" + output).isTrue();
    }
    return new Outcome(answered, output);
  }

  private static String text(ByteArrayOutputStream seen) {
    synchronized (seen) {
      return seen.toString(StandardCharsets.UTF_8);
    }
  }

  private static void assertRefused(Outcome outcome) {
    assertThat(outcome.sipAnswered()).as("no SIP answer; output:\n" + outcome.output()).isFalse();
    // Not asserted on s_client's text: now and then (about 1 run in 10 under load) it ends with
    // no output at all on a refused handshake, cause not found. The good-certificate tests run
    // the same command line and are served, so a refusal here is the server's.
  }

  @Test
  void good_certificate_over_tls_1_3_is_served() throws Exception {
    Outcome outcome = sClient(Optional.of(alice), "-tls1_3");
    assertThat(outcome.sipAnswered()).as(outcome.output()).isTrue();
    assertThat(outcome.output()).contains("TLSv1.3");
  }

  @Test
  void good_certificate_over_tls_1_2_is_served() throws Exception {
    Outcome outcome = sClient(Optional.of(alice), "-tls1_2");
    assertThat(outcome.sipAnswered()).as(outcome.output()).isTrue();
    assertThat(outcome.output()).contains("TLSv1.2");
  }

  @Test
  void no_certificate_is_refused() throws Exception {
    assertRefused(sClient(Optional.empty(), "-tls1_3"));
    assertRefused(sClient(Optional.empty(), "-tls1_2"));
  }

  @Test
  void certificate_of_another_ca_is_refused() throws Exception {
    assertRefused(
        sClient(Optional.of(PKI.issueRogueClient("alice@" + DOMAIN, Optional.empty())), "-tls1_3"));
  }

  @Test
  void self_signed_certificate_is_refused() throws Exception {
    assertRefused(
        sClient(Optional.of(PKI.selfSignedClient("alice@" + DOMAIN, Optional.empty())), "-tls1_2"));
  }

  @Test
  void expired_certificate_is_refused() throws Exception {
    assertRefused(
        sClient(Optional.of(PKI.expiredClient("alice@" + DOMAIN, Optional.empty())), "-tls1_3"));
  }

  @Test
  void revoked_certificate_is_refused() throws Exception {
    assertRefused(sClient(Optional.of(revoked), "-tls1_3"));
    assertRefused(sClient(Optional.of(revoked), "-tls1_2"));
  }

  @Test
  void tls_1_1_is_refused_by_the_server() throws Exception {
    // SECLEVEL=0 lets this openssl offer TLS 1.1 at all, so the refusal is the server's
    Outcome outcome = sClient(Optional.of(alice), "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0");
    assertRefused(outcome);
    assertThat(outcome.output()).doesNotContain("no protocols available");
  }
}
