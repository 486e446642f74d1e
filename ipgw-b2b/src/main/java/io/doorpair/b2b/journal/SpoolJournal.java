package io.doorpair.b2b.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable {@link CallJournal}: one file per record in {@code ROOT/var/spool/b2b/journal/},
 * which the {@code ipgw} agent moves into its outbox and then deletes.
 *
 * <ul>
 *   <li><b>Atomic and durable before {@link #record} returns</b>: the text ({@link SpoolFormat}) is
 *       written to {@code .tmp-ID} (created new, mode 0600), fsynced, renamed to its final name
 *       ({@code MILLIS-ID.rec}, 16 zero-padded digits of the record's time, so that name order is
 *       time order), and the folder is fsynced. A crash leaves either no file or a whole one; a
 *       temporary file left by a crash is ignored by the intake and deleted when the journal opens
 *       next. Two fsyncs cost a few milliseconds on a gateway's flash, once per call event.
 *   <li><b>Private</b>: the folder is created 0700, files 0600 (the b2b and {@code ipgw} run as one
 *       user: the intake must delete the files).
 *   <li><b>Bounded</b>: at most {@code maxFiles} records (default {@value #DEFAULT_MAX_FILES},
 *       about 2 MB) wait. When {@code ipgw} is not taking them (stopped, or its disk full) and the
 *       spool is full, the <b>oldest records are dropped</b> to make room, with a warning in the
 *       log: a door's recent calls matter more than month-old ones, and refusing would lose the
 *       newest instead while never freeing space. The count is kept in memory and recounted from
 *       the folder whenever it reaches the bound.
 * </ul>
 *
 * Thread-safe: records are written one at a time.
 */
public final class SpoolJournal implements CallJournal {
  /** The bound unless told otherwise. */
  public static final int DEFAULT_MAX_FILES = 10_000;

  /** The suffix of a finished record file. */
  public static final String SUFFIX = ".rec";

  private static final String TEMP_PREFIX = ".tmp-";
  private static final Logger LOG = LoggerFactory.getLogger(SpoolJournal.class);
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final FileAttribute<Set<PosixFilePermission>> DIR_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private final Path dir;
  private final int maxFiles;
  private int count;

  private SpoolJournal(Path dir, int maxFiles, int count) {
    this.dir = dir;
    this.maxFiles = maxFiles;
    this.count = count;
  }

  /**
   * The spool folder under a root.
   *
   * @param root the prefix of every path ({@code /} on a gateway)
   * @return {@code root/var/spool/b2b/journal}
   */
  public static Path directoryUnder(Path root) {
    return root.resolve("var").resolve("spool").resolve("b2b").resolve("journal");
  }

  /**
   * Opens the spool under a root (creating its folder 0700), deleting temporary files a crash left.
   *
   * @param root the prefix of every path
   * @param maxFiles the bound (at least 1)
   * @return the journal
   * @throws UncheckedIOException when the folder cannot be created or read
   */
  public static SpoolJournal open(Path root, int maxFiles) {
    if (maxFiles < 1) {
      throw new IllegalArgumentException("maxFiles must be at least 1");
    }
    Path dir = directoryUnder(Objects.requireNonNull(root, "root"));
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, DIR_MODE);
      }
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
        for (Path stale : files) {
          Files.deleteIfExists(stale);
        }
      }
      return new SpoolJournal(dir, maxFiles, recordFiles(dir).size());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the journal spool " + dir, e);
    }
  }

  /**
   * The finished record files in a spool folder, oldest first (name order); temporary files are
   * never listed.
   *
   * @param dir the spool folder
   * @return the files, empty when the folder does not exist
   * @throws IOException when the folder cannot be read
   */
  public static List<Path> recordFiles(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : files) {
        if (!f.getFileName().toString().startsWith(".")) {
          out.add(f);
        }
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * Fsyncs a folder, making renames and deletions in it durable.
   *
   * @param dir the folder
   * @throws IOException when it cannot be synced
   */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** The spool folder. */
  public Path directory() {
    return dir;
  }

  /**
   * Writes the record's file durably before returning.
   *
   * @param record what happened
   * @throws IllegalArgumentException when a field cannot be written ({@link SpoolFormat#render})
   * @throws UncheckedIOException when the file cannot be written (nothing half-written stays)
   */
  @Override
  public synchronized void record(CallRecord record) {
    byte[] bytes = SpoolFormat.render(record).getBytes(StandardCharsets.UTF_8);
    String name =
        String.format("%016d-%s%s", Math.max(0, record.at().toEpochMilli()), record.id(), SUFFIX);
    Path target = dir.resolve(name);
    Path temp = dir.resolve(TEMP_PREFIX + record.id());
    try {
      makeRoom();
      try (FileChannel ch =
          FileChannel.open(
              temp,
              EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW),
              PosixFilePermissions.asFileAttribute(FILE_MODE))) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(dir);
      count++;
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // the next open deletes it
      }
      throw new UncheckedIOException("cannot write journal record " + record.id(), e);
    }
  }

  /** Drops the oldest records while the spool is full (recounting first: ipgw takes files). */
  private void makeRoom() throws IOException {
    if (count < maxFiles) {
      return;
    }
    List<Path> files = recordFiles(dir);
    int excess = files.size() - maxFiles + 1;
    int dropped = 0;
    for (int i = 0; i < excess; i++) {
      try {
        Files.delete(files.get(i));
        dropped++;
      } catch (NoSuchFileException taken) {
        // ipgw took it meanwhile
      }
    }
    count = files.size() - Math.max(0, excess);
    if (dropped > 0) {
      syncDirectory(dir);
      LOG.warn("journal spool {} full ({} records): dropped the {} oldest", dir, maxFiles, dropped);
    }
  }
}
