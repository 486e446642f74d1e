package io.doorpair.ipgw;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.doorpair.ipgw.admin.AdminPassword;
import io.doorpair.ipgw.testing.AdminClient;
import io.doorpair.ipgw.testing.TestIpgw;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.sipedge.testing.Scrape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ipgw serve} as its own process (the class path of this test, the same main class as {@code
 * bin/ipgw}): the generated admin password in a 0600 file (its path printed, never the password),
 * deleted at the first login or by a password from stdin; the ready file, a clean SIGTERM.
 */
class IpgwProcessTest {
  private static final Pattern PRINTED =
      Pattern.compile("ipgw: admin password generated: read it in (\\S+) \\(mode 0600");

  @RegisterExtension static PortalExtension portal = new PortalExtension();

  @TempDir Path dir;

  @Test
  void first_start_writes_the_password_to_a_private_file_writes_ready_json_and_stops_on_sigterm()
      throws Exception {
    GatewayConfig config = TestIpgw.config(portal, dir);
    Path data = config.dataDir();

    Run first = start(config, null);
    String stdout = first.stdout();
    Matcher m = PRINTED.matcher(stdout);
    assertThat(m.find()).as(stdout).isTrue();
    Path initial = Path.of(m.group(1));
    assertThat(initial).isEqualTo(AdminPassword.initialFile(data).toAbsolutePath());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(initial)))
        .isEqualTo("rw-------");
    String password = Files.readString(initial).strip();
    assertThat(password).matches("[A-Za-z2-9]{20}");
    assertThat(stdout).doesNotContain(password);
    JsonNode ready = first.ready();
    assertThat(ready.get("pid").asLong()).isEqualTo(first.process().pid());
    String url = ready.get("admin").asText();
    assertThat(url).startsWith("http://127.0.0.1:");
    assertThat(new AdminClient(url).login("not " + password).statusCode()).isEqualTo(401);
    assertThat(initial).as("kept after a wrong password").exists();
    assertThat(new AdminClient(url).login(password).statusCode()).isEqualTo(303);
    assertThat(initial).as("deleted at the first login").doesNotExist();
    assertThat(new AdminClient(url).login(password).statusCode()).isEqualTo(303);

    Path hashFile = AdminPassword.file(data);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hashFile)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(hashFile))
        .startsWith("pbkdf2-sha256:600000:")
        .doesNotContain(password);

    first.process().destroy(); // SIGTERM
    assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(first.process().exitValue()).isEqualTo(143);
    assertThat(data.resolve(Gateway.READY_FILE)).doesNotExist();
    assertThat(first.stderr()).contains("gateway stopped").doesNotContain(password);

    // A restart generates nothing; without a hash it generates a new first password, whose file
    // a password of the owner's own (stdin) then deletes.
    Files.delete(hashFile);
    Run again = start(config, null);
    again.ready();
    assertThat(initial).exists();
    again.process().destroy();
    assertThat(again.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

    Run second = start(config, "a password from stdin\n");
    second.ready();
    assertThat(second.stdout()).doesNotContain("admin password");
    assertThat(initial).as("deleted by a password of the owner's own").doesNotExist();
    String url2 = second.ready().get("admin").asText();
    assertThat(new AdminClient(url2).login(password).statusCode()).isEqualTo(401);
    assertThat(new AdminClient(url2).login("a password from stdin").statusCode()).isEqualTo(303);
    // --management: /health and /metrics of the real process, over plain HTTP
    String management = second.ready().get("management").asText();
    assertThat(management).startsWith("127.0.0.1:");
    Scrape.Answer health = Scrape.get(management, "/health");
    assertThat(health.status()).as(health.body()).isEqualTo(200);
    assertThat(Scrape.value(management, "doorpair_gateway_outbox_depth")).isEqualTo(0);
    assertThat(Scrape.get(management, "/metrics").body()).doesNotContain("a password from stdin");
    second.process().destroy();
    assertThat(second.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(second.stderr()).doesNotContain("a password from stdin");
  }

  @Test
  void bad_flags_exit_with_a_clear_message() throws Exception {
    GatewayConfig config = TestIpgw.config(portal, dir);
    ProcessBuilder pb =
        new ProcessBuilder(command(config, "nowhere", List.of("--admin-password-stdin")));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    p.getOutputStream().write("short\n".getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(out).contains("ipgw: --admin must be host:port, got: nowhere");
  }

  private record Run(Process process, Path out, Path err, Path readyFile) {
    String stdout() throws IOException {
      return Files.readString(out);
    }

    String stderr() throws IOException {
      return Files.readString(err);
    }

    JsonNode ready() throws Exception {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!Files.exists(readyFile)) {
        assertThat(process.isAlive()).as("ipgw alive; stderr: %s", stderr()).isTrue();
        assertThat(System.nanoTime()).as("ready before the deadline").isLessThan(deadline);
        Thread.sleep(50);
      }
      return new ObjectMapper().readTree(Files.readString(readyFile));
    }
  }

  private Run start(GatewayConfig config, String stdin) throws Exception {
    List<String> extra = new ArrayList<>();
    if (stdin != null) {
      extra.add("--admin-password-stdin");
      extra.add("--management=127.0.0.1:0");
    }
    ProcessBuilder pb = new ProcessBuilder(command(config, "127.0.0.1:0", extra));
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = pb.start();
    if (stdin != null) {
      process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    Run run = new Run(process, out, err, config.dataDir().resolve(Gateway.READY_FILE));
    run.ready();
    return run;
  }

  private static List<String> command(GatewayConfig config, String admin, List<String> extra) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx96m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.add("serve");
    command.addAll(
        List.of(
            "--root", config.root().toString(),
            "--data", config.dataDir().toString(),
            "--portal", config.portalUrl(),
            "--portal-ca", config.portalCa().orElseThrow().toString(),
            "--admin", admin,
            "--key-bits", "2048"));
    command.addAll(extra);
    return command;
  }
}
