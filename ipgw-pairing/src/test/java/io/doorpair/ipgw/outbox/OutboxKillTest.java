package io.doorpair.ipgw.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.doorpair.b2b.journal.CallRecord;
import io.doorpair.b2b.journal.SpoolJournal;
import io.doorpair.crypto.Pem;
import io.doorpair.ipgw.Gateway;
import io.doorpair.ipgw.Main;
import io.doorpair.ipgw.testing.AdminClient;
import io.doorpair.ipgw.testing.TcpRelay;
import io.doorpair.portal.store.StoredEvent;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.PortalExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox survives {@code kill -9} of a real {@code ipgw serve} process: paired through its
 * admin site, the portal cut (a relay), 1,000 journal records handed to it through the b2b's spool
 * (the way the b2b hands them), the portal back behind a slow link, SIGKILL once the first events
 * arrived, a restart on the same data: all 1,000 reach the real portal once, in order.
 */
class OutboxKillTest {
  private static final int EVENTS = 1_000;
  private static final String ADMIN = "an admin password for the kill test";
  private static final Duration DEADLINE = Duration.ofSeconds(240);

  @RegisterExtension static PortalExtension portal = new PortalExtension();

  @TempDir Path dir;

  private Process start(TcpRelay relay, boolean setPassword) throws Exception {
    Path ca = dir.resolve("portal-ca.pem");
    Files.writeString(ca, Pem.certificate(portal.portal().caCertificate()));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx96m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(
        List.of(
            "serve",
            "--root",
            dir.resolve("root").toString(),
            "--data",
            dir.resolve("data").toString(),
            "--portal",
            relay.url(),
            "--portal-ca",
            ca.toString(),
            "--admin",
            "127.0.0.1:0",
            "--key-bits",
            "2048",
            "--no-b2b"));
    if (setPassword) {
      command.add("--admin-password-stdin");
    }
    Files.deleteIfExists(dir.resolve("data").resolve(Gateway.READY_FILE));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("ipgw.log").toFile()))
            .start();
    if (setPassword) {
      p.getOutputStream().write((ADMIN + "\n").getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    await(() -> Files.exists(dir.resolve("data").resolve(Gateway.READY_FILE)) || !p.isAlive());
    assertThat(p.isAlive()).as("ipgw started; log: %s", log()).isTrue();
    return p;
  }

  private String adminUrl() throws Exception {
    return new ObjectMapper()
        .readTree(dir.resolve("data").resolve(Gateway.READY_FILE).toFile())
        .get("admin")
        .asText();
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("ipgw.log"));
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(condition.getAsBoolean()).as("condition before the deadline").isTrue();
  }

  private static List<String> delivered(String domain) {
    List<String> ids = new ArrayList<>();
    long after = 0;
    while (true) {
      List<StoredEvent> page = portal.portal().store().eventsAfter(domain, after, 500);
      if (page.isEmpty()) {
        return ids;
      }
      page.forEach(e -> ids.add(e.event().eventId()));
      after = page.get(page.size() - 1).seq();
    }
  }

  @Test
  void a_thousand_events_arrive_once_in_order_across_kill_9_in_the_middle_of_sending()
      throws Exception {
    String owner = Actors.newUser(portal, "owner", "password1");
    try (TcpRelay relay = new TcpRelay(portal.portal().apiPort())) {
      Process ipgw = start(relay, true);
      try {
        AdminClient admin = new AdminClient(adminUrl());
        admin.login(ADMIN);
        admin.get("/pairing");
        assertThat(
                admin
                    .post(
                        "/pairing",
                        Map.of(
                            "username", owner,
                            "password", "password1",
                            "friendly_name", "Location: Loft"))
                    .statusCode())
            .isEqualTo(303);
        Matcher m =
            Pattern.compile("id=\"domain\">([a-z0-9]{12})<").matcher(admin.get("/pairing").body());
        assertThat(m.find()).isTrue();
        String domain = m.group(1);

        relay.setUp(false);
        SpoolJournal spool = SpoolJournal.open(dir.resolve("root"), SpoolJournal.DEFAULT_MAX_FILES);
        Instant t0 = Instant.parse("2026-12-04T10:00:00Z");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
          CallRecord r =
              new CallRecord(
                  UUID.randomUUID().toString(),
                  i % 2 == 0 ? CallRecord.Kind.MISSED : CallRecord.Kind.DOOR_OPENED,
                  "door",
                  i % 2 == 0 ? Optional.empty() : Optional.of(owner),
                  Optional.empty(),
                  t0.plusMillis(i));
          spool.record(r);
          ids.add(r.id());
        }
        // ipgw takes the spool into its outbox while the portal is unreachable
        await(
            () -> {
              try {
                return SpoolJournal.recordFiles(spool.directory()).isEmpty();
              } catch (java.io.IOException e) {
                return false;
              }
            });
        assertThat(delivered(domain)).isEmpty();

        relay.setDelay(Duration.ofMillis(150));
        relay.setUp(true);
        await(() -> portal.portal().store().eventHead(domain) > 0);
        ipgw.destroyForcibly(); // SIGKILL
        ipgw.waitFor();
        long atKill = portal.portal().store().eventHead(domain);
        assertThat(atKill).as("killed in the middle of sending").isLessThan(EVENTS);

        relay.setDelay(Duration.ZERO);
        ipgw = start(relay, false);
        await(() -> portal.portal().store().eventHead(domain) >= EVENTS);
        Thread.sleep(2000); // anything sent twice would show now
        List<String> got = delivered(domain);
        assertThat(got).hasSize(EVENTS).doesNotHaveDuplicates().isEqualTo(ids);
        assertThat(log()).doesNotContain("password1").doesNotContain(ADMIN);
      } finally {
        ipgw.destroy();
        ipgw.waitFor();
      }
    }
  }
}
