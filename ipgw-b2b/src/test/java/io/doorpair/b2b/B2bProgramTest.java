package io.doorpair.b2b;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.testing.GatewayRoot;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.SipEdge;
import io.doorpair.sipedge.SipEdgeConfig;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code b2b serve} as a real child process (its {@code Main} in a JVM of its own on the test class
 * path): refuses bad files with one line and exit 1, and otherwise writes its ready file, registers
 * at the portal, and stops on SIGTERM.
 */
class B2bProgramTest {
  private static final String DOMAIN = "progtest0001";
  private static final long DEADLINE_MILLIS = 60_000;
  @TempDir Path dir;

  static Process start(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
  }

  @Test
  void a_missing_file_stops_it_with_one_line_naming_the_file() throws Exception {
    GatewayRoot gateway =
        GatewayRoot.write(
            dir, TestPki.shared(), DOMAIN, "sips:127.0.0.1:5061", List.of(), List.of());
    Files.delete(gateway.paths().aclList());
    Path log = dir.resolve("b2b.log");
    Process b2b = start(log, "serve", "--root", dir.toString());
    assertThat(b2b.waitFor(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
    assertThat(b2b.exitValue()).isEqualTo(1);
    assertThat(Files.readString(log, StandardCharsets.UTF_8))
        .contains("b2b: " + gateway.paths().aclList() + ": no such file");
  }

  @Test
  void serves_registers_and_stops_on_sigterm() throws Exception {
    TestPki pki = TestPki.shared();
    TestPki.Leaf server = pki.issueServer("127.0.0.1");
    try (RunningSipEdge edge =
        SipEdge.start(
            SipEdgeConfig.of(
                SipEdgeConfig.parseListen("127.0.0.1:0"),
                "portal.test",
                List.of(pki.caCertificate()),
                server.keys().getPrivate(),
                List.of(server.certificate())))) {
      GatewayRoot.write(
          dir,
          pki,
          DOMAIN,
          "sips:127.0.0.1:" + edge.sipAddress().getPort(),
          List.of("alice"),
          List.of());
      Path ready = dir.resolve("run/b2b.json");
      Path log = dir.resolve("b2b.log");
      Process b2b = start(log, "serve", "--root", dir.toString(), "--ready", ready.toString());
      try {
        long end = System.currentTimeMillis() + DEADLINE_MILLIS;
        while (edge.bindings().of("ipgw@" + DOMAIN, Instant.now()).isEmpty()
            && System.currentTimeMillis() < end
            && b2b.isAlive()) {
          Thread.sleep(100);
        }
        assertThat(edge.bindings().of("ipgw@" + DOMAIN, Instant.now()))
            .as("registered; log: %s", Files.readString(log))
            .hasSize(1);
        assertThat(Files.readString(ready))
            .isEqualTo("{\"pid\":" + b2b.pid() + ",\"domain\":\"" + DOMAIN + "\"}\n");

        // SIGHUP with a malformed acl.list: refused, logged with file and line, still running
        Path acl = dir.resolve("etc/b2b/acl.list");
        GatewayRoot.write(acl, "alice\nNot-Lower\n", "rw-r--r--");
        hangUp(b2b);
        awaitLog(log, acl + ": line 2: name 2: not lowercase");
        assertThat(Files.readString(log)).contains("reload refused, keeping the previous files");
        // SIGHUP with a good one: reloaded
        GatewayRoot.write(acl, "", "rw-r--r--");
        hangUp(b2b);
        awaitLog(log, "reloaded: AccessPolicy[" + DOMAIN + ", acl=0");
        assertThat(b2b.isAlive()).isTrue();
        b2b.destroy();
        assertThat(b2b.waitFor(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(ready).doesNotExist();
        assertThat(Files.readString(log)).doesNotContain(GatewayRoot.B2B_PASSWORD.reveal());
      } finally {
        b2b.destroyForcibly().waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  @Test
  void a_sighup_while_starting_is_kept_and_done_once_started() throws Exception {
    // ipgw signals the pid it spawned (e.g. `ipgw door add` right after a restart): a SIGHUP
    // before the b2b runs must not end the JVM (its default action) but reload once started
    GatewayRoot.write(
        dir, TestPki.shared(), DOMAIN, "sips:127.0.0.1:9", List.of("alice"), List.of());
    Path ready = dir.resolve("run/b2b.json");
    Path log = dir.resolve("b2b.log");
    Process b2b = start(log, "serve", "--root", dir.toString(), "--ready", ready.toString());
    try {
      awaitLog(log, "b2b starting");
      hangUp(b2b);
      long end = System.currentTimeMillis() + DEADLINE_MILLIS;
      while (!Files.exists(ready) && b2b.isAlive() && System.currentTimeMillis() < end) {
        Thread.sleep(50);
      }
      assertThat(b2b.isAlive()).as("alive; log: %s", Files.readString(log)).isTrue();
      awaitLog(log, "reloaded: AccessPolicy[" + DOMAIN);
      assertThat(b2b.isAlive()).isTrue();
    } finally {
      b2b.destroyForcibly().waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  static void hangUp(Process process) throws Exception {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
    assertThat(kill.waitFor(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  static void awaitLog(Path log, String text) throws Exception {
    long end = System.currentTimeMillis() + DEADLINE_MILLIS;
    while (!Files.readString(log).contains(text)) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError("no '" + text + "' in the log:\n" + Files.readString(log));
      }
      Thread.sleep(100);
    }
  }
}
