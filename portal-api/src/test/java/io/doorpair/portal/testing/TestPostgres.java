package io.doorpair.portal.testing;

import io.doorpair.portal.store.jdbc.JdbcStores;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * The PostgreSQL server for tests, at {@code DOORPAIR_TEST_PG_URL} (default: a local server with
 * trust authentication). Each user gets a schema of its own with a random name, so that test
 * classes never see each other's rows.
 */
public final class TestPostgres {
  /** The variable naming the server. */
  public static final String URL_VARIABLE = "DOORPAIR_TEST_PG_URL";

  /** Used when the variable is not set. */
  public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private TestPostgres() {}

  /** The server's JDBC URL. */
  public static String serverUrl() {
    String configured = System.getenv(URL_VARIABLE);
    return configured == null || configured.isBlank() ? DEFAULT_URL : configured;
  }

  /** True when running in CI, where an unreachable server is a failure rather than a skip. */
  public static boolean required() {
    return Boolean.parseBoolean(System.getenv("CI"));
  }

  /**
   * Creates a schema with a random name; empty with the reason if the server is unreachable.
   *
   * @return the schema name, or empty
   */
  public static Schema createSchema() {
    byte[] suffix = new byte[6];
    new SecureRandom().nextBytes(suffix);
    String name = "portal_test_" + HexFormat.of().formatHex(suffix);
    try {
      execute("CREATE SCHEMA " + name);
      return new Schema(Optional.of(name), Optional.empty());
    } catch (SQLException e) {
      return new Schema(
          Optional.empty(),
          Optional.of(
              "PostgreSQL unreachable at "
                  + JdbcStores.redact(serverUrl())
                  + " ("
                  + e.getMessage()
                  + "); set "
                  + URL_VARIABLE));
    }
  }

  /** Drops a schema and everything in it. */
  public static void dropSchema(String name) throws SQLException {
    execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
  }

  /** The JDBC URL of a schema. */
  public static String urlOf(String schema) {
    String server = serverUrl();
    return server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** Runs one statement on the server. */
  public static void execute(String sql) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("connectTimeout", "5");
    try (Connection c = DriverManager.getConnection(serverUrl(), properties);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** A created schema, or why none could be. */
  public record Schema(Optional<String> name, Optional<String> unreachable) {}
}
