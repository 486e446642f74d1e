package io.doorpair.ipgw.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.ipgw.pairing.GatewayPairing;
import io.doorpair.ipgw.pairing.PairingSettings;
import io.doorpair.ipgw.store.PairingTable;
import io.doorpair.ipgw.testing.FreePorts;
import io.doorpair.ipgw.testing.TestGateway;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.PortalExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill switch's supervisor with the real b2b program ({@code io.doorpair.b2b.Main serve}) as
 * its child, on the files of a gateway really paired with a real portal: it waits for the pairing,
 * restarts the b2b after a {@code kill -9}, stops and starts it at the owner's word (the stop
 * surviving a restart of the supervisor), and stops a b2b orphaned by a killed ipgw.
 */
class ChildB2bTest {
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final Duration SHORT = Duration.ofSeconds(15);

  @RegisterExtension static PortalExtension portal = new PortalExtension();

  @TempDir Path dir;

  private TestGateway gateway;
  private ChildB2b b2b;

  @BeforeEach
  void open() {
    gateway = new TestGateway(dir);
  }

  @AfterEach
  void close() {
    if (b2b != null) {
      b2b.close();
    }
    gateway.close();
  }

  private void pair() {
    PairingSettings settings =
        new PairingSettings(
            "sips:127.0.0.1:" + FreePorts.tcp(),
            "sip:127.0.0.1:" + FreePorts.tcp() + ";transport=tcp",
            2048,
            5);
    String owner = Actors.newUser(portal, "owner", "password1");
    new GatewayPairing(
            gateway.store(), gateway.fileSync(), settings, TestGateway.RANDOM, Clock.systemUTC())
        .pair(portal.client(), owner, "password1".toCharArray(), "Location: Loft");
  }

  private ChildB2b supervise() {
    return ChildB2b.start(
        ChildB2b.javaCommand(gateway.root()),
        gateway.paths().all(),
        gateway.data(),
        Clock.systemUTC());
  }

  private B2bState await(Predicate<B2bState> condition) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    B2bState s = b2b.state();
    while (!condition.test(s) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      s = b2b.state();
    }
    assertThat(condition.test(s)).as("state %s", s).isTrue();
    return s;
  }

  private String log() {
    try {
      Path f = gateway.data().resolve(ChildB2b.LOG_FILE);
      return Files.exists(f) ? Files.readString(f) : "(none)";
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private static boolean running(B2bState s) {
    return s.status() == B2bState.Status.RUNNING && s.pid().isPresent();
  }

  private static void awaitDeath(long pid) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void waits_for_pairing_then_runs_the_b2b_and_restarts_it_after_kill_9() throws Exception {
    b2b = supervise();
    B2bState waiting = b2b.state();
    assertThat(waiting.status()).isEqualTo(B2bState.Status.STOPPED);
    assertThat(waiting.detail()).contains("waiting for the gateway to be paired");

    pair();
    B2bState first = await(ChildB2bTest::running);
    long pid = first.pid().orElseThrow();
    ProcessHandle child = ProcessHandle.of(pid).orElseThrow();
    assertThat(child.parent().map(ProcessHandle::pid)).contains(ProcessHandle.current().pid());
    // the spawn helper execs the JVM a moment after the fork
    long deadline = System.nanoTime() + SHORT.toNanos();
    while (!ChildB2b.commandLine(pid).contains("serve") && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(ChildB2b.commandLine(pid))
        .as("b2b log: %s", log())
        .contains("io.doorpair.b2b.Main", "serve");
    assertThat(Files.readString(gateway.data().resolve(ChildB2b.PID_FILE)).strip())
        .isEqualTo(Long.toString(pid));

    new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();

    B2bState again = await(s -> running(s) && s.pid().orElseThrow() != pid);
    assertThat(again.detail()).isEqualTo("supervised child process");
    assertThat(gateway.data().resolve(ChildB2b.LOG_FILE)).isRegularFile();
  }

  @Test
  void pairing_again_restarts_the_b2b_on_the_new_domain_unless_the_owner_stopped_it()
      throws Exception {
    pair();
    b2b = supervise();
    long pid = await(ChildB2bTest::running).pid().orElseThrow();
    String first = gateway.store().transaction(PairingTable::get).orElseThrow().domain();
    assertThat(readyDomain()).isEqualTo(first);

    pair(); // a new owner: new DOMAIN, agent.pem and b2b.conf
    String second = gateway.store().transaction(PairingTable::get).orElseThrow().domain();
    assertThat(second).isNotEqualTo(first);
    b2b.restart();

    B2bState again =
        await(s -> running(s) && s.pid().orElseThrow() != pid && second.equals(readyDomain()));
    awaitDeath(pid);
    assertThat(again.detail()).isEqualTo("supervised child process");
    Thread.sleep(1500);
    assertThat(b2b.state().pid()).as("not counted as a crash").isEqualTo(again.pid());

    // A b2b the owner stopped stays stopped.
    b2b.stop();
    awaitDeath(again.pid().orElseThrow());
    b2b.restart();
    Thread.sleep(1500);
    assertThat(b2b.state().status()).isEqualTo(B2bState.Status.STOPPED);
    assertThat(b2b.state().detail()).isEqualTo("stopped by the owner");
  }

  private String readyDomain() {
    try {
      Path f = gateway.data().resolve(ChildB2b.READY_FILE);
      String text = Files.exists(f) ? Files.readString(f) : "";
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("\"domain\":\"([a-z0-9]+)\"").matcher(text);
      return m.find() ? m.group(1) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  @Test
  void the_owner_stops_and_starts_it_and_the_stop_survives_a_restart() throws Exception {
    pair();
    b2b = supervise();
    long pid = await(ChildB2bTest::running).pid().orElseThrow();

    b2b.stop();

    assertThat(b2b.state().status()).isEqualTo(B2bState.Status.STOPPED);
    assertThat(b2b.state().detail()).isEqualTo("stopped by the owner");
    awaitDeath(pid);
    Thread.sleep(1500); // longer than the first backoff: a stopped b2b is not restarted
    assertThat(b2b.state().status()).isEqualTo(B2bState.Status.STOPPED);
    assertThat(gateway.data().resolve(ChildB2b.STOPPED_FILE)).exists();

    b2b.close();
    b2b = supervise();
    Thread.sleep(1000);
    assertThat(b2b.state().status())
        .as("still stopped after a restart")
        .isEqualTo(B2bState.Status.STOPPED);

    b2b.start();
    long second = await(ChildB2bTest::running).pid().orElseThrow();
    assertThat(second).isNotEqualTo(pid);
    assertThat(gateway.data().resolve(ChildB2b.STOPPED_FILE)).doesNotExist();

    b2b.close();
    awaitDeath(second);
    assertThat(gateway.data().resolve(ChildB2b.PID_FILE)).doesNotExist();
    b2b = null;
  }

  @Test
  void a_b2b_orphaned_by_a_killed_ipgw_is_stopped_so_that_only_one_runs() throws Exception {
    pair();
    Process orphan =
        new ProcessBuilder(ChildB2b.javaCommand(gateway.root()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    Files.writeString(gateway.data().resolve(ChildB2b.PID_FILE), orphan.pid() + "\n");

    b2b = supervise();

    assertThat(orphan.isAlive()).isFalse();
    long pid = await(ChildB2bTest::running).pid().orElseThrow();
    assertThat(pid).isNotEqualTo(orphan.pid());
  }

  @Test
  void a_pid_file_naming_another_program_is_left_alone() throws Exception {
    Process other = new ProcessBuilder("sleep", "60").start();
    try {
      Files.createDirectories(gateway.data());
      Files.writeString(gateway.data().resolve(ChildB2b.PID_FILE), other.pid() + "\n");
      b2b = supervise();
      assertThat(other.isAlive()).isTrue();
      assertThat(b2b.state().pid()).isEqualTo(Optional.empty());
      b2b.reload(); // nothing runs: nothing to signal
    } finally {
      other.destroyForcibly();
    }
  }
}
