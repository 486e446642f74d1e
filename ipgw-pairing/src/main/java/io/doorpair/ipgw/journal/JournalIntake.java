package io.doorpair.ipgw.journal;

import io.doorpair.b2b.journal.CallRecord;
import io.doorpair.b2b.journal.SpoolFormat;
import io.doorpair.b2b.journal.SpoolFormatException;
import io.doorpair.b2b.journal.SpoolJournal;
import io.doorpair.ipgw.ops.GatewayMetrics;
import io.doorpair.ipgw.outbox.Outbox;
import io.doorpair.ipgw.store.GatewayStore;
import io.doorpair.ipgw.store.JournalSeenTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the b2b's journal spool ({@code ROOT/var/spool/b2b/journal/*.rec}) into the outbox as
 * {@code journal} events (payload {@code {"type": "answered"|"missed"|"door_opened", "door": ...,
 * "user": ..., "device": ...}}, user and device only when known), at start and then every second.
 *
 * <p>Once each, across crashes: for a batch of files, one SQLite transaction marks each record id
 * in {@code journal_seen} and queues the event under that same id; only after the commit are the
 * files deleted (and the folder fsynced). A crash before the commit leaves the files, taken again
 * next time; a crash between the commit and the deletion leaves files whose ids are already seen,
 * so they are deleted without a second event, even if the outbox sent and forgot the first one
 * meanwhile. The outbox ids are the record ids (random UUIDs), unique for ever.
 *
 * <p>The spool is input from another process: a file that is not a regular file, is larger than
 * {@link SpoolFormat#MAX_BYTES} or does not parse is moved to {@code rejected/} beside the records,
 * with a warning naming the file and the reason, never its content.
 */
public final class JournalIntake implements AutoCloseable {
  /** Files taken per transaction. */
  public static final int BATCH = 100;

  /** How long record ids are remembered (a spool file cannot outlive its intake by days). */
  public static final Duration REMEMBER = Duration.ofDays(30);

  private static final Logger LOG = LoggerFactory.getLogger(JournalIntake.class);

  private final GatewayStore store;
  private final Outbox outbox;
  private final Path dir;
  private final Clock clock;
  private final Duration period;
  private final Runnable afterCommit;
  private volatile GatewayMetrics metrics = new GatewayMetrics();
  private volatile boolean running;
  private final Object pause = new Object();
  private Thread thread;

  /**
   * An intake.
   *
   * @param store the gateway store
   * @param outbox where the events go
   * @param root the prefix of every path ({@code /} on a gateway)
   * @param clock for the seen-ids' age
   * @param period between two polls (a second in {@code ipgw})
   */
  public JournalIntake(GatewayStore store, Outbox outbox, Path root, Clock clock, Duration period) {
    this(store, outbox, root, clock, period, () -> {});
  }

  /**
   * An intake with a step between the commit and the deletion of the files (tests crash there).
   *
   * @param store the gateway store
   * @param outbox where the events go
   * @param root the prefix of every path
   * @param clock for the seen-ids' age
   * @param period between two polls
   * @param afterCommit run after each commit, before the files are deleted
   */
  public JournalIntake(
      GatewayStore store,
      Outbox outbox,
      Path root,
      Clock clock,
      Duration period,
      Runnable afterCommit) {
    this.store = Objects.requireNonNull(store, "store");
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.dir = SpoolJournal.directoryUnder(Objects.requireNonNull(root, "root"));
    this.clock = Objects.requireNonNull(clock, "clock");
    this.period = Objects.requireNonNull(period, "period");
    this.afterCommit = Objects.requireNonNull(afterCommit, "afterCommit");
  }

  /**
   * Counts the door calls taken from the b2b in {@code metrics} from now on.
   *
   * @param metrics the gateway's metrics
   */
  public void observe(GatewayMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Takes every waiting record into the outbox, in batches of {@value #BATCH}.
   *
   * @return how many new events were queued
   * @throws UncheckedIOException when the spool cannot be read or a file deleted
   */
  public int takeAll() {
    int queued = 0;
    while (true) {
      List<Path> files;
      try {
        files = SpoolJournal.recordFiles(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list the journal spool " + dir, e);
      }
      if (files.isEmpty()) {
        return queued;
      }
      queued += takeBatch(files.subList(0, Math.min(BATCH, files.size())));
      if (files.size() <= BATCH) {
        return queued;
      }
    }
  }

  private record Taken(Path file, CallRecord record) {}

  private int takeBatch(List<Path> files) {
    List<Taken> batch = new ArrayList<>();
    for (Path f : files) {
      read(f).ifPresent(r -> batch.add(new Taken(f, r)));
    }
    if (batch.isEmpty()) {
      return 0;
    }
    Instant now = clock.instant();
    List<CallRecord> fresh =
        store.transaction(
            c -> {
              List<CallRecord> taken = new ArrayList<>();
              for (Taken t : batch) {
                CallRecord r = t.record();
                if (JournalSeenTable.markNew(c, r.id(), now)) {
                  outbox.queueAs(c, r.id(), "journal", r.at(), payload(r));
                  taken.add(r);
                }
              }
              return taken;
            });
    int queued = fresh.size();
    GatewayMetrics counting = metrics;
    fresh.forEach(r -> counting.doorCall(r.kind().name()));
    afterCommit.run();
    try {
      for (Taken t : batch) {
        Files.deleteIfExists(t.file());
      }
      SpoolJournal.syncDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete journal spool files in " + dir, e);
    }
    return queued;
  }

  private java.util.Optional<CallRecord> read(Path f) {
    String why;
    try {
      if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
        why = "not a regular file";
      } else {
        byte[] bytes;
        try (InputStream in =
            Files.newInputStream(f, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
          bytes = in.readNBytes(SpoolFormat.MAX_BYTES + 1);
        }
        return java.util.Optional.of(SpoolFormat.parse(bytes));
      }
    } catch (NoSuchFileException gone) {
      return java.util.Optional.empty(); // the b2b dropped it (spool full)
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read journal spool file " + f, e);
    } catch (SpoolFormatException e) {
      why = e.getMessage();
    }
    reject(f, why);
    return java.util.Optional.empty();
  }

  private void reject(Path f, String why) {
    Path rejected = dir.resolve("rejected");
    try {
      if (!Files.isDirectory(rejected)) {
        Files.createDirectories(
            rejected,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Files.move(f, rejected.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
      SpoolJournal.syncDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move a bad journal spool file aside: " + f, e);
    }
    LOG.warn("journal spool file {} refused ({}): moved to {}", f.getFileName(), why, rejected);
  }

  private static Map<String, Object> payload(CallRecord r) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", SpoolFormat.kindName(r.kind()));
    p.put("door", r.door());
    r.user().ifPresent(u -> p.put("user", u));
    r.device().ifPresent(d -> p.put("device", d));
    return p;
  }

  /** Starts the polling thread: a first intake at once, then one every period. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    running = true;
    thread = new Thread(this::loop, "ipgw-journal-intake");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    long polls = 0;
    while (running) {
      try {
        if (polls++ % 3600 == 0) {
          store.transaction(c -> JournalSeenTable.forgetBefore(c, clock.instant().minus(REMEMBER)));
        }
        int queued = takeAll();
        if (queued > 0) {
          LOG.info("{} journal events queued from the b2b", queued);
        }
      } catch (RuntimeException e) {
        LOG.error("journal intake failed: retrying in {}", period, e);
      }
      synchronized (pause) {
        if (!running) {
          return;
        }
        try {
          pause.wait(period.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Stops the thread (a batch in progress either committed or not: both are safe). */
  @Override
  public synchronized void close() {
    synchronized (pause) {
      running = false;
      pause.notifyAll();
    }
    if (thread == null) {
      return;
    }
    // No interrupt: an interrupt in the middle of a batch would close its file channels
    // (ClosedByInterruptException); the loop sees running=false after the batch it is in.
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread = null;
  }
}
