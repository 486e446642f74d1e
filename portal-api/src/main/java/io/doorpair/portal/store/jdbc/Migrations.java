package io.doorpair.portal.store.jdbc;

import io.doorpair.portal.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned schema migrations: SQL scripts {@code V<n>__<description>.sql} under {@code
 * io/doorpair/portal/store/<backend>/}, one set per backend with the same versions, recorded in the
 * {@code schema_version} table. Every pending script is applied at open in one transaction that
 * holds the backend's migration lock, so processes starting together migrate once.
 *
 * <p>Scripts hold plain statements, each ending with {@code ;} at the end of a line, and whole-line
 * {@code --} comments; no semicolon may end a line inside a statement.
 */
final class Migrations {

  /** One migration script. */
  record Script(int version, String description) {
    String fileName() {
      return "V" + version + "__" + description + ".sql";
    }
  }

  /** What {@link #apply} did. */
  record Outcome(int fromVersion, int toVersion) {
    boolean migrated() {
      return fromVersion != toVersion;
    }
  }

  /** Every migration, in order; add a line here and a script per backend for each new one. */
  static final List<Script> SCRIPTS = List.of(new Script(1, "init"), new Script(2, "access"));

  static final String RESOURCE_ROOT = "io/doorpair/portal/store/";

  private static final String CREATE_VERSION_TABLE =
      "CREATE TABLE IF NOT EXISTS schema_version ("
          + "version INTEGER NOT NULL PRIMARY KEY, "
          + "description TEXT NOT NULL, "
          + "applied_at BIGINT NOT NULL)";

  private Migrations() {}

  static int latestVersion() {
    return SCRIPTS.get(SCRIPTS.size() - 1).version();
  }

  /**
   * Brings the database to the latest version. Throws {@link StoreException} if the database was
   * migrated by a newer portal than this one.
   */
  static Outcome apply(Backend backend, Instant now) throws SQLException {
    List<List<String>> loaded = new ArrayList<>();
    for (Script script : SCRIPTS) {
      loaded.add(statements(load(backend.name(), script)));
    }
    return backend.migrate(
        connection -> {
          try (Statement statement = connection.createStatement()) {
            statement.execute(CREATE_VERSION_TABLE);
          }
          int current = currentVersion(connection);
          int latest = latestVersion();
          if (current > latest) {
            throw new StoreException(
                "the database schema is at version "
                    + current
                    + " but this portal knows versions up to "
                    + latest
                    + ": a newer portal has used this database; run that version, or restore a"
                    + " backup made with this one");
          }
          for (int i = 0; i < SCRIPTS.size(); i++) {
            Script script = SCRIPTS.get(i);
            if (script.version() > current) {
              run(connection, script, loaded.get(i), now);
            }
          }
          return new Outcome(current, latest);
        });
  }

  static int currentVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static void run(Connection connection, Script script, List<String> sql, Instant now)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String each : sql) {
        statement.execute(each);
      }
    } catch (SQLException e) {
      throw new SQLException(
          "migration " + script.fileName() + " failed: " + e.getMessage(), e.getSQLState(), e);
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
      insert.setInt(1, script.version());
      insert.setString(2, script.description());
      insert.setLong(3, now.toEpochMilli());
      insert.executeUpdate();
    }
  }

  static String load(String backendName, Script script) {
    String resource = RESOURCE_ROOT + backendName + "/" + script.fileName();
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("migration script missing from the build: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read migration script " + resource, e);
    }
  }

  /** Splits a script into statements (see the class comment for the rules). */
  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\r?\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      if (current.length() > 0) {
        current.append('\n');
      }
      current.append(line.stripTrailing());
      if (trimmed.endsWith(";")) {
        current.setLength(current.length() - 1);
        String statement = current.toString().strip();
        if (!statement.isEmpty()) {
          statements.add(statement);
        }
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalArgumentException(
          "migration script ends inside a statement (missing ';'): " + current.toString().strip());
    }
    return List.copyOf(statements);
  }
}
