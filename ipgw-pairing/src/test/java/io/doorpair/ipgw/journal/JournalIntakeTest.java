package io.doorpair.ipgw.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.doorpair.b2b.journal.CallRecord;
import io.doorpair.b2b.journal.SpoolJournal;
import io.doorpair.crypto.SipPassword;
import io.doorpair.ipgw.outbox.Outbox;
import io.doorpair.ipgw.outbox.OutboxSender;
import io.doorpair.ipgw.store.DoorTable;
import io.doorpair.ipgw.store.OutboxTable;
import io.doorpair.ipgw.store.QueuedEvent;
import io.doorpair.ipgw.testing.TestGateway;
import io.doorpair.portal.store.StoredEvent;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.PortalExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The b2b's spool (written by the real {@link SpoolJournal}) moved into the outbox once each:
 * normal intake, a crash before the commit, a crash between the commit and the deletion (also after
 * the outbox sent and forgot the events), hostile files, the polling thread, and the events
 * reaching a real portal.
 */
class JournalIntakeTest {
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static PortalExtension portal = new PortalExtension();

  @TempDir Path dir;

  private TestGateway gateway;
  private SpoolJournal journal;

  @BeforeEach
  void open() {
    gateway = new TestGateway(dir);
    journal = SpoolJournal.open(gateway.root(), SpoolJournal.DEFAULT_MAX_FILES);
  }

  @AfterEach
  void close() {
    gateway.close();
  }

  private JournalIntake intake(Runnable afterCommit) {
    return new JournalIntake(
        gateway.store(),
        new Outbox(new SecureRandom(), OutboxSender.Wakeup.NONE),
        gateway.root(),
        Clock.systemUTC(),
        Duration.ofMillis(100),
        afterCommit);
  }

  private JournalIntake intake() {
    return intake(() -> {});
  }

  private List<CallRecord> write(int n) {
    List<CallRecord> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      CallRecord r =
          switch (i % 3) {
            case 0 ->
                new CallRecord(
                    UUID.randomUUID().toString(),
                    CallRecord.Kind.ANSWERED,
                    "door",
                    Optional.of("alice"),
                    Optional.of("sip:alice@portal.localhost;gr=urn:uuid:" + UUID.randomUUID()),
                    T0.plusSeconds(i));
            case 1 ->
                new CallRecord(
                    UUID.randomUUID().toString(),
                    CallRecord.Kind.MISSED,
                    "door",
                    Optional.empty(),
                    Optional.empty(),
                    T0.plusSeconds(i));
            default ->
                new CallRecord(
                    UUID.randomUUID().toString(),
                    CallRecord.Kind.DOOR_OPENED,
                    "gate",
                    Optional.of("bob"),
                    Optional.empty(),
                    T0.plusSeconds(i));
          };
      journal.record(r);
      records.add(r);
    }
    return records;
  }

  private List<QueuedEvent> outbox() {
    return gateway.store().transaction(c -> OutboxTable.head(c, 10_000));
  }

  private List<Path> spool() throws Exception {
    return SpoolJournal.recordFiles(journal.directory());
  }

  private static List<String> ids(List<CallRecord> records) {
    return records.stream().map(CallRecord::id).toList();
  }

  private CallRecord presence(String door, boolean registered, int second) {
    CallRecord r =
        new CallRecord(
            UUID.randomUUID().toString(),
            registered ? CallRecord.Kind.DOOR_REGISTERED : CallRecord.Kind.DOOR_UNREGISTERED,
            door,
            Optional.empty(),
            Optional.empty(),
            T0.plusSeconds(second));
    journal.record(r);
    return r;
  }

  @Test
  void door_presence_records_become_topology_events_for_known_doors_on_a_change_only()
      throws Exception {
    gateway
        .store()
        .transaction(
            c ->
                DoorTable.add(
                    c,
                    new DoorTable.Door("front-door", SipPassword.of("DoorPassw0rdDoorPassw0rd")),
                    Optional.of("Front door"),
                    T0));
    CallRecord up = presence("front-door", true, 1);
    presence("grace-0a1b2c", true, 2); // a phone with an offline account: no door
    presence("front-door", true, 3); // a restarted b2b after a kill -9: the same state
    CallRecord down = presence("front-door", false, 4);

    assertThat(intake().takeAll()).isEqualTo(2);

    List<QueuedEvent> events = outbox();
    assertThat(events).extracting(QueuedEvent::id).containsExactly(up.id(), down.id());
    assertThat(events).allSatisfy(e -> assertThat(e.kind()).isEqualTo("topology"));
    JsonNode first = JSON.readTree(events.get(0).payload());
    assertThat(first.get("type").asText()).isEqualTo("door_registered");
    assertThat(first.get("door").asText()).isEqualTo("front-door");
    assertThat(first.get("name").asText()).isEqualTo("Front door");
    assertThat(JSON.readTree(events.get(1).payload()).get("type").asText())
        .isEqualTo("door_unregistered");
    DoorTable.Listed door =
        gateway.store().transaction(c -> DoorTable.find(c, "front-door")).orElseThrow();
    assertThat(door.registered()).contains(false);
    assertThat(door.since()).contains(down.at());
    assertThat(spool()).isEmpty();
  }

  @Test
  void records_become_journal_events_under_their_own_ids_in_order_and_the_files_go()
      throws Exception {
    List<CallRecord> records = write(250);

    assertThat(intake().takeAll()).isEqualTo(250);

    List<QueuedEvent> events = outbox();
    assertThat(events.stream().map(QueuedEvent::id).toList()).isEqualTo(ids(records));
    assertThat(events).allSatisfy(e -> assertThat(e.kind()).isEqualTo("journal"));
    assertThat(events.get(0).at()).isEqualTo(T0);
    JsonNode answered = JSON.readTree(events.get(0).payload());
    assertThat(answered.get("type").asText()).isEqualTo("answered");
    assertThat(answered.get("door").asText()).isEqualTo("door");
    assertThat(answered.get("user").asText()).isEqualTo("alice");
    assertThat(answered.get("device").asText()).isEqualTo(records.get(0).device().orElseThrow());
    JsonNode missed = JSON.readTree(events.get(1).payload());
    assertThat(missed.get("type").asText()).isEqualTo("missed");
    assertThat(missed.has("user")).isFalse();
    assertThat(missed.has("device")).isFalse();
    assertThat(JSON.readTree(events.get(2).payload()).get("type").asText())
        .isEqualTo("door_opened");
    assertThat(spool()).isEmpty();
    assertThat(intake().takeAll()).isZero();
  }

  @Test
  void a_crash_between_the_commit_and_the_deletion_never_duplicates() throws Exception {
    List<CallRecord> records = write(30);
    JournalIntake crashing =
        intake(
            () -> {
              throw new IllegalStateException("killed between commit and delete");
            });

    assertThatThrownBy(crashing::takeAll).isInstanceOf(IllegalStateException.class);
    assertThat(spool()).hasSize(30);
    assertThat(outbox()).hasSize(30);

    // restart; meanwhile the outbox even sent and forgot the events
    gateway.reopen();
    gateway
        .store()
        .transaction(
            c -> {
              OutboxTable.removeThrough(c, Long.MAX_VALUE);
              return null;
            });
    write(2);
    assertThat(intake().takeAll()).isEqualTo(2);
    assertThat(spool()).isEmpty();
    assertThat(outbox()).hasSize(2);
    assertThat(outbox().stream().map(QueuedEvent::id)).doesNotContainAnyElementsOf(ids(records));
  }

  @Test
  void a_crash_before_the_commit_leaves_the_files_to_be_taken_again() throws Exception {
    List<CallRecord> records = write(5);
    Outbox failing =
        new Outbox(
            new SecureRandom(),
            () -> {
              throw new IllegalStateException("killed inside the transaction");
            });
    JournalIntake crashing =
        new JournalIntake(
            gateway.store(), failing, gateway.root(), Clock.systemUTC(), Duration.ofSeconds(1));

    assertThatThrownBy(crashing::takeAll).isInstanceOf(RuntimeException.class);
    assertThat(outbox()).isEmpty();
    assertThat(spool()).hasSize(5);

    gateway.reopen();
    assertThat(intake().takeAll()).isEqualTo(5);
    assertThat(outbox().stream().map(QueuedEvent::id).toList()).isEqualTo(ids(records));
    assertThat(spool()).isEmpty();
  }

  @Test
  void hostile_spool_files_are_moved_aside_and_the_good_ones_still_taken() throws Exception {
    List<CallRecord> good = write(2);
    Path d = journal.directory();
    Files.writeString(d.resolve("0000000000000001-garbage.rec"), "rm -rf /\n");
    Files.write(d.resolve("0000000000000002-big.rec"), new byte[100_000]);
    Path outside = dir.resolve("secret.txt");
    Files.writeString(outside, "doorpair-journal 1\n");
    Files.createSymbolicLink(d.resolve("0000000000000003-link.rec"), outside);
    Files.createDirectory(d.resolve("0000000000000004-dir.rec"));

    assertThat(intake().takeAll()).isEqualTo(2);

    assertThat(outbox().stream().map(QueuedEvent::id).toList()).isEqualTo(ids(good));
    assertThat(spool()).isEmpty();
    try (var rejected = Files.list(d.resolve("rejected"))) {
      assertThat(rejected.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "0000000000000001-garbage.rec",
              "0000000000000002-big.rec",
              "0000000000000003-link.rec",
              "0000000000000004-dir.rec");
    }
    assertThat(Files.readString(outside)).isEqualTo("doorpair-journal 1\n");
  }

  @Test
  void the_thread_takes_what_waits_at_start_and_what_comes_later() throws Exception {
    List<CallRecord> first = write(3);
    JournalIntake running = intake();
    running.start();
    try {
      awaitOutbox(3);
      List<CallRecord> later = write(4);
      awaitOutbox(7);
      List<String> all = new ArrayList<>(ids(first));
      all.addAll(ids(later));
      assertThat(outbox().stream().map(QueuedEvent::id).toList()).isEqualTo(all);
      // a file goes only after its event is committed, so the last deletion may trail the outbox
      awaitSpoolEmpty();
    } finally {
      running.close();
    }
  }

  @Test
  void the_events_reach_the_portal_once() {
    String owner = Actors.newUser(portal, "owner", "password1");
    String domain = gateway.pair(portal, owner, "password1").domain();
    List<CallRecord> records = write(120);
    intake().takeAll();
    OutboxSender sender =
        new OutboxSender(
            gateway.store(),
            gateway.client(portal),
            Duration.ofMillis(50),
            Duration.ofMillis(500),
            new SecureRandom());
    while (sender.sendOnce() > 0) {
      // until empty
    }
    List<StoredEvent> stored = portal.portal().store().eventsAfter(domain, 0, 500);
    assertThat(stored.stream().map(e -> e.event().eventId()).toList()).isEqualTo(ids(records));
    assertThat(stored).allSatisfy(e -> assertThat(e.event().kind()).isEqualTo("journal"));
  }

  private void awaitSpoolEmpty() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!spool().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(spool()).isEmpty();
  }

  private void awaitOutbox(int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (outbox().size() < n && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(outbox()).hasSize(n);
  }
}
