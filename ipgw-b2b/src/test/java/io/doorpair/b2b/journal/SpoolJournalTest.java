package io.doorpair.b2b.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The durable spool the b2b writes its call records to, and the format of its files. */
class SpoolJournalTest {
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00.123Z");

  @TempDir Path root;

  static CallRecord answered(Instant at) {
    return new CallRecord(
        UUID.randomUUID().toString(),
        CallRecord.Kind.ANSWERED,
        "door",
        Optional.of("alice"),
        Optional.of("sip:alice@portal.example.com;gr=urn:uuid:" + UUID.randomUUID()),
        at);
  }

  static CallRecord missed(Instant at) {
    return new CallRecord(
        UUID.randomUUID().toString(),
        CallRecord.Kind.MISSED,
        "door-2",
        Optional.empty(),
        Optional.empty(),
        at);
  }

  @Test
  void a_record_is_one_private_file_that_reads_back_the_same() throws Exception {
    SpoolJournal journal = SpoolJournal.open(root, 100);
    CallRecord r = answered(T0);

    journal.record(r);

    Path dir = SpoolJournal.directoryUnder(root);
    assertThat(dir).isEqualTo(root.resolve("var/spool/b2b/journal"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    List<Path> files = SpoolJournal.recordFiles(dir);
    assertThat(files).hasSize(1);
    assertThat(files.get(0).getFileName().toString())
        .isEqualTo(String.format("%016d-%s.rec", T0.toEpochMilli(), r.id()));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(0))))
        .isEqualTo("rw-------");
    assertThat(SpoolFormat.parse(Files.readAllBytes(files.get(0)))).isEqualTo(r);
    try (var all = Files.list(dir)) {
      assertThat(all).hasSize(1);
    }
  }

  @Test
  void files_list_oldest_first_and_a_missed_call_has_no_user_or_device() throws Exception {
    SpoolJournal journal = SpoolJournal.open(root, 100);
    CallRecord late = missed(T0.plusSeconds(5));
    CallRecord early = answered(T0);
    journal.record(late);
    journal.record(early);

    List<Path> files = SpoolJournal.recordFiles(journal.directory());

    assertThat(files).hasSize(2);
    assertThat(SpoolFormat.parse(Files.readAllBytes(files.get(0)))).isEqualTo(early);
    CallRecord read = SpoolFormat.parse(Files.readAllBytes(files.get(1)));
    assertThat(read).isEqualTo(late);
    assertThat(Files.readString(files.get(1))).doesNotContain("user=").doesNotContain("device=");
  }

  @Test
  void a_temporary_file_left_by_a_crash_is_never_listed_and_goes_at_the_next_open()
      throws Exception {
    SpoolJournal.open(root, 100).record(answered(T0));
    Path dir = SpoolJournal.directoryUnder(root);
    Path half = dir.resolve(".tmp-" + UUID.randomUUID());
    Files.writeString(half, SpoolFormat.MAGIC + "\nid=");

    assertThat(SpoolJournal.recordFiles(dir)).hasSize(1).doesNotContain(half);
    SpoolJournal.open(root, 100);
    assertThat(half).doesNotExist();
    assertThat(SpoolJournal.recordFiles(dir)).hasSize(1);
  }

  @Test
  void a_full_spool_drops_its_oldest_records() throws Exception {
    SpoolJournal journal = SpoolJournal.open(root, 5);
    List<CallRecord> records =
        java.util.stream.IntStream.range(0, 8).mapToObj(i -> answered(T0.plusSeconds(i))).toList();
    for (CallRecord r : records) {
      journal.record(r);
    }

    List<Path> files = SpoolJournal.recordFiles(journal.directory());
    assertThat(files).hasSize(5);
    List<CallRecord> kept = new java.util.ArrayList<>();
    for (Path f : files) {
      kept.add(SpoolFormat.parse(Files.readAllBytes(f)));
    }
    assertThat(kept).isEqualTo(records.subList(3, 8));

    // the intake takes two: the bound counts what is really there
    Files.delete(files.get(0));
    Files.delete(files.get(1));
    journal.record(answered(T0.plusSeconds(20)));
    assertThat(SpoolJournal.recordFiles(journal.directory())).hasSize(4);
  }

  @Test
  void fields_that_would_break_the_file_are_refused_before_anything_is_written() {
    SpoolJournal journal = SpoolJournal.open(root, 100);
    CallRecord spaced =
        new CallRecord(
            "id-1",
            CallRecord.Kind.DOOR_OPENED,
            "door",
            Optional.of("al ice"),
            Optional.empty(),
            T0);
    CallRecord newline =
        new CallRecord(
            "id-2",
            CallRecord.Kind.MISSED,
            "door\nkind=answered",
            Optional.empty(),
            Optional.empty(),
            T0);
    CallRecord slash =
        new CallRecord(
            "../x", CallRecord.Kind.MISSED, "door", Optional.empty(), Optional.empty(), T0);

    for (CallRecord r : List.of(spaced, newline, slash)) {
      assertThatThrownBy(() -> journal.record(r)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(SpoolJournal.directoryUnder(root).toFile().list()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "doorpair-journal 1\n",
        "doorpair-journal 2\nid=a\nkind=missed\ndoor=d\nat=2026-12-04T10:00:00Z\n",
        "doorpair-journal 1\nid=a\nkind=missed\ndoor=d\nat=2026-12-04T10:00:00Z",
        "doorpair-journal 1\nid=a\nkind=rang\ndoor=d\nat=2026-12-04T10:00:00Z\n",
        "doorpair-journal 1\nid=a\nkind=missed\ndoor=d\nat=yesterday\n",
        "doorpair-journal 1\nid=a\nid=b\nkind=missed\ndoor=d\nat=2026-12-04T10:00:00Z\n",
        "doorpair-journal 1\nkind=missed\nid=a\ndoor=d\nat=2026-12-04T10:00:00Z\n",
        "doorpair-journal 1\nid=a\nkind=missed\ndoor=d\nat=2026-12-04T10:00:00Z\nx=1\n",
        "doorpair-journal 1\nid=a\nkind=missed\ndoor=\nat=2026-12-04T10:00:00Z\n",
        "doorpair-journal 1\nid=a\nkind=missed\ndoor=d\r\nat=2026-12-04T10:00:00Z\n",
        "doorpair-journal 1\nid=a/b\nkind=missed\ndoor=d\nat=2026-12-04T10:00:00Z\n",
        "doorpair-journal 1\nid=a\nkind=missed\ndoor=d\nuser=b\u00e9\nat=2026-12-04T10:00:00Z\n"
      })
  void a_bad_file_is_refused_with_a_format_exception(String text) {
    assertThatThrownBy(() -> SpoolFormat.parse(text.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SpoolFormatException.class);
  }

  @Test
  void bytes_that_are_not_utf8_or_too_many_are_refused() {
    assertThatThrownBy(() -> SpoolFormat.parse(new byte[] {(byte) 0xc3, (byte) 0x28, '\n'}))
        .isInstanceOf(SpoolFormatException.class)
        .hasMessage("not UTF-8");
    assertThatThrownBy(() -> SpoolFormat.parse(new byte[SpoolFormat.MAX_BYTES + 1]))
        .isInstanceOf(SpoolFormatException.class);
  }
}
