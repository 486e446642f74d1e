package io.doorpair.portal.store.sqlite;

import static io.doorpair.portal.testing.StoreRecords.T0;
import static io.doorpair.portal.testing.StoreRecords.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.doorpair.portal.store.PortalStore;
import io.doorpair.portal.store.StoreException;
import io.doorpair.portal.store.jdbc.JdbcStores;
import io.doorpair.portal.testing.PortalStoreContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite files in a temporary folder, plus what only SQLite has. */
class SqliteStoreTest extends PortalStoreContract {

  @TempDir Path folder;

  private int databases;

  @Override
  protected String emptyDatabaseUrl() {
    databases++;
    return "jdbc:sqlite:" + folder.resolve("db" + databases).resolve("portal.db");
  }

  @Test
  void missing_folders_are_created_and_the_files_are_private() throws Exception {
    assumeTrue(
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "POSIX permissions only");
    Path file = folder.resolve("a").resolve("b").resolve("portal.db");

    try (PortalStore store = JdbcStores.open("jdbc:sqlite:" + file)) {
      store.createUser(user("alice", T0));

      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
          .isEqualTo("rwx------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      Path wal = file.resolveSibling("portal.db-wal");
      assertThat(wal).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wal)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void the_database_is_in_wal_mode() throws Exception {
    store().createUser(user("alice", T0));

    try (Connection c = rawConnection();
        Statement s = c.createStatement();
        ResultSet mode = s.executeQuery("PRAGMA journal_mode")) {
      mode.next();
      assertThat(mode.getString(1)).isEqualTo("wal");
    }
  }

  @Test
  void every_connection_enforces_foreign_keys_syncs_fully_and_waits_when_busy() throws Exception {
    try (SqliteBackend backend = SqliteBackend.open(folder.resolve("pragmas.db"))) {
      assertThat(backend.<Object>read(c -> pragma(c, "foreign_keys"))).isEqualTo("1");
      assertThat(backend.<Object>read(c -> pragma(c, "synchronous"))).isEqualTo("2"); // FULL
      assertThat(backend.<Object>read(c -> pragma(c, "journal_mode"))).isEqualTo("wal");
      assertThat(backend.<Object>read(c -> pragma(c, "busy_timeout")))
          .isEqualTo(String.valueOf(SqliteBackend.BUSY_TIMEOUT_MILLIS));
    }
  }

  @Test
  void a_failed_write_rolls_back_and_releases_the_write_lock() throws Exception {
    Path file = folder.resolve("rollback.db");
    try (SqliteBackend backend = SqliteBackend.open(file);
        SqliteBackend other = SqliteBackend.open(file)) {
      backend.write(c -> update(c, "CREATE TABLE t (x INTEGER PRIMARY KEY)"));

      assertThatThrownBy(
              () ->
                  backend.write(
                      c -> {
                        update(c, "INSERT INTO t VALUES (1)");
                        throw new IllegalStateException("boom");
                      }))
          .hasMessage("boom");

      assertThat(other.<Object>write(c -> update(c, "INSERT INTO t VALUES (2)"))).isEqualTo(1);
      assertThat(backend.<Object>read(c -> query(c, "SELECT group_concat(x) FROM t")))
          .isEqualTo("2");
    }
  }

  private static int update(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    }
  }

  private static String query(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet value = s.executeQuery(sql)) {
      value.next();
      return value.getString(1);
    }
  }

  private static String pragma(Connection c, String name) throws SQLException {
    return query(c, "PRAGMA " + name);
  }

  @Test
  void a_file_that_is_not_a_database_is_refused() throws Exception {
    Path file = folder.resolve("garbage.db");
    Files.write(
        file,
        "this is not an SQLite database, not at all"
            .repeat(100)
            .getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> JdbcStores.open("jdbc:sqlite:" + file))
        .isExactlyInstanceOf(StoreException.class);
  }
}
