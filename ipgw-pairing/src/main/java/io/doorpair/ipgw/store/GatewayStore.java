package io.doorpair.ipgw.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The gateway's SQLite file ({@code ipgw.db} in the data folder, mode 0600: it holds the gateway
 * key and the SIP passwords) and its transactions.
 *
 * <p>Durability: {@code journal_mode=WAL} with {@code synchronous=FULL}. With WAL, any setting
 * keeps the file consistent after a power cut; {@code FULL} also makes each commit durable before
 * it returns (NORMAL may lose the last commits). The gateway writes rarely (an approval, an enabled
 * account, an event), and what it commits is acted on at once outside the database: an approval
 * sent to the portal, files rewritten, an event handed to the portal. Losing such a commit after
 * its effect escaped would make the store disagree with the world, so FULL it is; its cost is one
 * more fsync per commit.
 *
 * <p>One connection, used by one thread at a time ({@link #transaction}); a gateway has no
 * concurrency worth a pool.
 */
public final class GatewayStore implements AutoCloseable {
  /** The file name in the data folder. */
  public static final String FILE = "ipgw.db";

  private static final int SCHEMA_VERSION = 5;

  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();

  private GatewayStore(Connection connection) {
    this.connection = connection;
  }

  /**
   * Opens (creating if needed) the store in a data folder.
   *
   * @param dataDir the gateway's data folder (created 0700 if missing)
   * @return the open store
   * @throws StoreException when the file cannot be opened or migrated
   */
  public static GatewayStore open(Path dataDir) {
    Objects.requireNonNull(dataDir, "dataDir");
    try {
      if (!Files.isDirectory(dataDir)) {
        Files.createDirectories(
            dataDir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Path file = dataDir.resolve(FILE);
      if (!Files.exists(file)) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA foreign_keys=ON");
        s.execute("PRAGMA busy_timeout=10000");
      }
      GatewayStore store = new GatewayStore(connection);
      store.migrate();
      return store;
    } catch (IOException | SQLException e) {
      throw new StoreException("cannot open the gateway store in " + dataDir, e);
    }
  }

  private void migrate() throws SQLException {
    connection.setAutoCommit(false);
    try (Statement s = connection.createStatement()) {
      int version;
      try (var rs = s.executeQuery("PRAGMA user_version")) {
        version = rs.next() ? rs.getInt(1) : 0;
      }
      if (version > SCHEMA_VERSION) {
        throw new SQLException(
            "store schema " + version + " is newer than this ipgw (" + SCHEMA_VERSION + ")");
      }
      if (version < 1) {
        s.execute(
            "CREATE TABLE pairing (id INTEGER PRIMARY KEY CHECK (id = 1), domain TEXT NOT NULL,"
                + " friendly_name TEXT NOT NULL, agent_pem TEXT NOT NULL, ca_pem TEXT NOT NULL,"
                + " b2b_password TEXT NOT NULL, portal_sip_uri TEXT NOT NULL,"
                + " internal_sip_uri TEXT NOT NULL, paired_at TEXT NOT NULL,"
                + " channel_cursor INTEGER NOT NULL DEFAULT 0)");
        s.execute(
            "CREATE TABLE requests (request_id INTEGER PRIMARY KEY, username TEXT NOT NULL,"
                + " friendly_name TEXT NOT NULL, instance TEXT NOT NULL, gruu TEXT NOT NULL,"
                + " certificate TEXT NOT NULL, key_hash TEXT NOT NULL, created_at TEXT NOT NULL,"
                + " status TEXT NOT NULL, wrong_codes INTEGER NOT NULL DEFAULT 0,"
                + " received_at TEXT NOT NULL)");
        s.execute(
            "CREATE TABLE accounts (sip_username TEXT PRIMARY KEY, request_id INTEGER NOT NULL"
                + " UNIQUE REFERENCES requests(request_id), username TEXT NOT NULL,"
                + " friendly_name TEXT NOT NULL, gruu TEXT NOT NULL, password TEXT NOT NULL,"
                + " gruu_only INTEGER NOT NULL, door_calls INTEGER NOT NULL,"
                + " open_door INTEGER NOT NULL, cameras INTEGER NOT NULL,"
                + " enabled INTEGER NOT NULL, created_at TEXT NOT NULL)");
        s.execute(
            "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL"
                + " UNIQUE, kind TEXT NOT NULL, at TEXT NOT NULL, payload TEXT NOT NULL)");
        s.execute("PRAGMA user_version = 1");
      }
      if (version < 2) {
        s.execute(
            "CREATE TABLE portal_voids (request_id INTEGER PRIMARY KEY, queued_at TEXT NOT NULL)");
        s.execute("CREATE TABLE journal_seen (record_id TEXT PRIMARY KEY, seen_at TEXT NOT NULL)");
        s.execute("PRAGMA user_version = 2");
      }
      if (version < 3) {
        OfflineAccountTable.create(s);
        s.execute("PRAGMA user_version = 3");
      }
      if (version < 4) {
        s.execute(
            "CREATE TABLE doors (name TEXT PRIMARY KEY, password TEXT NOT NULL,"
                + " created_at TEXT NOT NULL)");
        s.execute("PRAGMA user_version = 4");
      }
      if (version < 5) {
        DoorTable.addNamesAndPresence(s);
        s.execute("PRAGMA user_version = 5");
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    }
  }

  /** A unit of work run in one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    /**
     * Runs with the transaction's connection.
     *
     * @param connection the connection, in a transaction
     * @return the result
     * @throws SQLException to roll back
     */
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
   *
   * @param work the work
   * @param <T> its result
   * @return its result
   * @throws StoreException when the database fails (the transaction is rolled back)
   * @throws IllegalStateException when called from inside a transaction
   */
  public <T> T transaction(Work<T> work) {
    if (lock.isHeldByCurrentThread()) {
      throw new IllegalStateException(
          "transactions do not nest: use the connection you were given");
    }
    lock.lock();
    try {
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        if (e instanceof SQLException) {
          throw new StoreException("gateway store: " + e.getMessage(), e);
        }
        throw (RuntimeException) e;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("cannot close the gateway store", e);
    } finally {
      lock.unlock();
    }
  }
}
