package io.doorpair.portal.store.sqlite;

import io.doorpair.portal.store.jdbc.Backend;
import io.doorpair.portal.store.jdbc.SqlWork;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * One SQLite file reached through one connection that a lock serializes: in this process nothing
 * ever waits on SQLite's own locks. Every write transaction starts with {@code BEGIN IMMEDIATE}, so
 * it takes the file's write lock before it reads anything; with the busy timeout, a writer in
 * another process makes it wait (up to {@link #BUSY_TIMEOUT_MILLIS}) instead of failing with {@code
 * SQLITE_BUSY}, and no transaction ever has to upgrade a stale read snapshot, the one case where
 * SQLite returns {@code SQLITE_BUSY} without waiting.
 *
 * <p>Settings of every connection: WAL journal (readers and the writer do not block each other),
 * {@code synchronous=FULL} (each commit is on disk before it returns: the store holds what the CA
 * issued and revoked, and a revocation or a taken domain lost to a power cut would come back to
 * life; {@code NORMAL} would survive a crash of the process but not of the machine), foreign keys
 * enforced, and the busy timeout. A new file is created readable by its owner only (it holds HA1
 * values), and SQLite gives its {@code -wal} and {@code -shm} files the same mode.
 */
public final class SqliteBackend implements Backend {

  /** How long a write waits for another process's write transaction. */
  public static final int BUSY_TIMEOUT_MILLIS = 15_000;

  private static final Logger LOG = LoggerFactory.getLogger(SqliteBackend.class);

  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();
  private boolean closed;

  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;

  private SqliteBackend(Connection connection) {
    this.connection = connection;
  }

  /** Opens (and creates if missing, with its folders) the SQLite database file. */
  public static SqliteBackend open(Path file) throws IOException, SQLException {
    Objects.requireNonNull(file, "file");
    Path absolute = file.toAbsolutePath();
    createPrivately(absolute);
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    return new SqliteBackend(connect(config, "jdbc:sqlite:" + absolute));
  }

  /**
   * Opens a connection, trying again while another connection holds the lock that switching an
   * empty file to WAL needs: SQLite answers that switch {@code SQLITE_BUSY} at once, without the
   * busy handler, when two processes or stores open a new file together.
   */
  private static Connection connect(SQLiteConfig config, String url) throws SQLException {
    long deadline = System.nanoTime() + BUSY_TIMEOUT_MILLIS * 1_000_000L;
    while (true) {
      try {
        return config.createConnection(url);
      } catch (SQLException e) {
        boolean busy =
            e.getErrorCode() == SQLITE_BUSY
                || e.getErrorCode() == SQLITE_LOCKED
                || String.valueOf(e.getMessage()).contains("SQLITE_BUSY");
        if (!busy || System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(10 + java.util.concurrent.ThreadLocalRandom.current().nextInt(40));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static void createPrivately(Path file) throws IOException {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Path folder = file.getParent();
    if (folder != null && !Files.isDirectory(folder)) {
      if (posix) {
        Files.createDirectories(
            folder,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(folder);
      }
    }
    if (Files.exists(file)) {
      if (posix) {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.contains(PosixFilePermission.GROUP_READ)
            || permissions.contains(PosixFilePermission.OTHERS_READ)) {
          LOG.warn(
              "store file {} is readable by other users and holds digest HA1 values:"
                  + " chmod 600 it",
              file);
        }
      }
      return;
    }
    try {
      if (posix) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException e) {
      // Another process created it meanwhile: SQLite takes it from here.
    }
  }

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public <T> T write(SqlWork<T> work) throws SQLException {
    lock.lock();
    try {
      checkOpen();
      execute("BEGIN IMMEDIATE");
      T result;
      try {
        result = work.run(connection);
      } catch (SQLException | RuntimeException | Error e) {
        rollback(e);
        throw e;
      }
      try {
        execute("COMMIT");
      } catch (SQLException e) {
        rollback(e);
        throw e;
      }
      return result;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public <T> T read(SqlWork<T> work) throws SQLException {
    lock.lock();
    try {
      checkOpen();
      return work.run(connection);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public <T> T migrate(SqlWork<T> work) throws SQLException {
    // BEGIN IMMEDIATE already excludes every other writer of the file.
    return write(work);
  }

  @Override
  public boolean isUniqueViolation(SQLException e) {
    if (!(e instanceof SQLiteException)) {
      return false;
    }
    SQLiteErrorCode code = ((SQLiteException) e).getResultCode();
    return code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY
        || code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE;
  }

  @Override
  public String forUpdate() {
    return "";
  }

  @Override
  public String forShare() {
    return "";
  }

  @Override
  public String forNoKeyUpdate() {
    return "";
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        connection.close();
      }
    } catch (SQLException e) {
      LOG.warn("closing the SQLite store failed", e);
    } finally {
      lock.unlock();
    }
  }

  private void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("the SQLite store is closed");
    }
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /**
   * Rolls the transaction back. SQLite may have rolled it back itself already (after an I/O error,
   * for instance); the failing ROLLBACK is then kept as a suppressed exception.
   */
  private void rollback(Throwable failure) {
    try {
      execute("ROLLBACK");
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }
}
