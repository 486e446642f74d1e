package io.doorpair.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.doorpair.e2e.harness.ActorProcess;
import io.doorpair.e2e.harness.AdminSession;
import io.doorpair.e2e.harness.Repo;
import io.doorpair.e2e.harness.Tmux;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The README's "Your first door call" as a newcomer follows it: command 1 ({@code bin/demo}, the
 * build being this very one) typed in one terminal, the section's {@code sh} blocks typed line by
 * line in a second one, in order; the admin site's steps done over HTTP as its words say (log in,
 * Pairing, Pending requests, Approve, Security code); then Enter in the demo's terminal rings the
 * phone, which answers and opens the door, and the simulated door prints it. Only the ports differ
 * from the README's: the demo runs on free ones ({@code DEMO_PORT_BASE}) and the commands' default
 * addresses are replaced accordingly, as {@link ReadmeCurlIT} does.
 */
class NewcomerWalkthroughIT {
  static final String SECTION = "## Your first door call";
  private static final Duration START = Duration.ofSeconds(180);
  private static final Duration STEP = Duration.ofSeconds(120);
  private static final Pattern SH = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

  /** The {@code sh} blocks of the section, in order. */
  static List<String> sectionBlocks() throws IOException {
    String readme = Files.readString(Repo.root().resolve("README.md"));
    int start = readme.indexOf(SECTION);
    assertThat(start).as("README section " + SECTION).isNotNegative();
    int end = readme.indexOf("\n## ", start + SECTION.length());
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    List<String> blocks = new ArrayList<>();
    Matcher m = SH.matcher(section);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  /** Command 1 of the README, without its build. */
  static String commandOne() throws IOException {
    String readme = Files.readString(Repo.root().resolve("README.md"));
    Matcher first = SH.matcher(readme);
    assertThat(first.find()).isTrue();
    Matcher one =
        Pattern.compile("(?m)^mvn -B -q -DskipTests package && (.+)$").matcher(first.group(1));
    assertThat(one.find()).as("command 1 builds, then runs the demo").isTrue();
    return one.group(1).strip();
  }

  @Test
  void a_newcomer_follows_the_readme_from_the_demo_to_an_opened_door(TestInfo info)
      throws Exception {
    boolean tmuxPresent = Files.isExecutable(Path.of("/usr/bin/tmux"));
    if (!tmuxPresent && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("tmux is missing (Debian package tmux)");
    }
    assumeTrue(tmuxPresent, "tmux is missing (Debian package tmux): skipped");
    Path work =
        Repo.workDir(getClass().getSimpleName(), info.getTestMethod().orElseThrow().getName());
    Files.createSymbolicLink(work.resolve("bin"), Repo.root().resolve("bin"));
    int base = freePortBase();
    Map<String, String> env =
        Map.of(
            "HOME",
            Files.createDirectories(work.resolve("home")).toString(),
            "DEMO_PORT_BASE",
            Integer.toString(base));
    List<String> blocks = sectionBlocks();
    assertThat(blocks).as("the phone's block and the register block").hasSize(2);

    boolean stopped;
    try (Tmux demo = Tmux.start(work, env)) {
      try (Tmux phone = Tmux.start(work, env)) {
        demo.type(commandOne());
        Matcher admin =
            demo.await(
                Pattern.compile(
                    "Open the gateway's admin site\\s+(http://\\S+)\\s+admin password\\s+(\\S+)"),
                START);
        Matcher user = demo.await(Pattern.compile("user\\s+(\\S+)\\s+password\\s+(\\S+)"), STEP);
        String site = admin.group(1);
        assertThat(site).isEqualTo("http://127.0.0.1:" + (base + 2));
        String username = user.group(1);
        String password = user.group(2);

        // The demo refuses a second run on the same folder.
        ActorProcess.Result second =
            ActorProcess.runCommand(work, "", Duration.ofSeconds(60), env, List.of("bin/demo"));
        assertThat(second.exit()).as(second.output()).isEqualTo(1);
        assertThat(second.output()).contains("a demo already runs on");

        // 1. Log in to the admin site; Pairing with the portal user.
        AdminSession owner = new AdminSession(site);
        owner.get("/login");
        assertThat(owner.post("/login", Map.of("password", admin.group(2))).statusCode())
            .isEqualTo(303);
        owner.get("/pairing");
        HttpResponse<String> paired =
            owner.post(
                "/pairing",
                Map.of("username", username, "password", password, "friendly_name", "Home"));
        assertThat(paired.statusCode()).as(paired.body()).isEqualTo(303);
        String domain =
            demo.await(Pattern.compile("the gateway is ipgw@([a-z0-9]{12})"), STEP).group(1);
        demo.await(Pattern.compile("door-sim: registered door1@" + domain), STEP);

        // 2. and 3. The phone's block, line by line; the owner approves and types the code.
        int marker = 0;
        for (String line : blocks.get(0).split("\n")) {
          if (line.isBlank() || line.startsWith("#")) {
            continue;
          }
          phone.type(withPorts(line, base));
          if (line.contains(" pair ")) {
            phone.await(Pattern.compile("Portal password for " + username + ": "), STEP);
            phone.type(password);
            phone.await(Pattern.compile("Paired as " + username + "@portal.localhost"), STEP);
          } else if (line.contains(" wait ")) {
            phone.await(Pattern.compile("Waiting for the owner of " + domain), STEP);
            String id = awaitRequest(owner);
            // "keep the rights ticked": a browser sends the boxes the page ticked
            Map<String, String> ticked = new LinkedHashMap<>();
            Matcher box =
                Pattern.compile("name=\"([a-z_]+)\" value=\"on\" checked")
                    .matcher(owner.get("/requests/" + id).body());
            while (box.find()) {
              ticked.put(box.group(1), "on");
            }
            assertThat(ticked).containsKeys("door_calls", "open_door");
            assertThat(owner.post("/requests/" + id + "/approve", ticked).statusCode())
                .isEqualTo(303);
            Matcher shown =
                phone.await(Pattern.compile("security code: ([0-9]{4}) ([0-9a-f]{4})"), STEP);
            owner.get("/requests/" + id);
            assertThat(
                    owner
                        .post(
                            "/requests/" + id + "/code",
                            Map.of("code", shown.group(1) + shown.group(2)))
                        .statusCode())
                .isEqualTo(303);
          }
          marker++;
          phone.type("echo \"step $((" + marker + "))\" done");
          phone.await(Pattern.compile("(?m)^step " + marker + " done"), STEP);
        }
        assertThat(phone.screen()).contains("Request ").doesNotContain(password);

        // 4. The phone registers.
        phone.type(withPorts(blocks.get(1).strip(), base));
        phone.await(Pattern.compile("Registered\\."), STEP);

        // 5. Enter in the demo's terminal rings; the phone answers and opens the door.
        demo.type("");
        phone.await(Pattern.compile("Incoming call from"), STEP);
        phone.type("");
        phone.await(Pattern.compile("Answered\\."), STEP);
        demo.await(Pattern.compile("door-sim: answered"), STEP);
        phone.type("o");
        demo.await(Pattern.compile("door-sim: door opened \\(DTMF #\\)"), STEP);
        phone.await(Pattern.compile("Door opened\\."), STEP);
        phone.type("h");
        demo.await(Pattern.compile("door-sim: call ended by the other side"), STEP);
        phone.type("q");
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\n" + logs(work), e);
      } finally {
        // Ctrl-C stops everything the demo started.
        demo.press("C-c");
        stopped = awaitGone(work.resolve("demo-data/demo.pid"));
      }
      assertThat(stopped).as("the demo stopped on Ctrl-C").isTrue();
      demo.await(Pattern.compile("demo: stopping"), STEP);
    }
  }

  private static String withPorts(String line, int base) {
    return line.replace("127.0.0.1:8443", "127.0.0.1:" + base)
        .replace("localhost:5061", "localhost:" + (base + 1));
  }

  private static String awaitRequest(AdminSession owner) throws InterruptedException {
    Pattern open = Pattern.compile("href=\"/requests/([0-9]+)\"");
    long end = System.nanoTime() + STEP.toNanos();
    while (true) {
      Matcher m = open.matcher(owner.get("/requests").body());
      if (m.find()) {
        return m.group(1);
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("no request on the admin site within " + STEP);
      }
      Thread.sleep(500);
    }
  }

  private static boolean awaitGone(Path file) throws InterruptedException {
    long end = System.nanoTime() + STEP.toNanos();
    while (Files.exists(file)) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(200);
    }
    return true;
  }

  /** The end of every log of the demo. */
  private static String logs(Path work) {
    StringBuilder b = new StringBuilder();
    try (var files = Files.list(work.resolve("demo-data/logs"))) {
      for (Path log : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(log);
        b.append("--- ").append(log.getFileName()).append('\n');
        lines
            .subList(Math.max(0, lines.size() - 30), lines.size())
            .forEach(l -> b.append(l).append('\n'));
      }
    } catch (IOException e) {
      b.append("(no logs: ").append(e.getMessage()).append(")");
    }
    return b.toString();
  }

  /** Four consecutive ports free for TCP and UDP on loopback. */
  private static int freePortBase() throws IOException {
    SecureRandom random = new SecureRandom();
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20000 + random.nextInt(30000);
      if (free(base) && free(base + 1) && free(base + 2) && free(base + 3)) {
        return base;
      }
    }
    throw new IOException("no four consecutive free ports");
  }

  private static boolean free(int port) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket tcp = new ServerSocket(port, 1, loopback);
        DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port))) {
      return tcp.getLocalPort() == port && udp.getLocalPort() == port;
    } catch (IOException e) {
      return false;
    }
  }
}
