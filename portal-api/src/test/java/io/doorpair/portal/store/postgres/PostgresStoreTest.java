package io.doorpair.portal.store.postgres;

import static org.junit.jupiter.api.Assertions.fail;

import io.doorpair.portal.store.jdbc.JdbcStores;
import io.doorpair.portal.testing.PortalStoreContract;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on PostgreSQL at {@code DOORPAIR_TEST_PG_URL} (default: a local server with
 * trust authentication). The class works in a schema of its own with a random name, emptied before
 * each test and dropped at the end. Without a reachable server the class is skipped, with the
 * reason on each test, unless {@code CI=true}, where the class fails.
 */
class PostgresStoreTest extends PortalStoreContract {

  static final String URL_VARIABLE = "DOORPAIR_TEST_PG_URL";
  static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private static String serverUrl;
  private static String schema;
  private static String unreachable;

  @BeforeAll
  static void createSchema() {
    String configured = System.getenv(URL_VARIABLE);
    serverUrl = configured == null || configured.isBlank() ? DEFAULT_URL : configured;
    byte[] suffix = new byte[6];
    new SecureRandom().nextBytes(suffix);
    String name = "portal_test_" + HexFormat.of().formatHex(suffix);
    try {
      execute("CREATE SCHEMA " + name);
      schema = name;
    } catch (SQLException e) {
      unreachable =
          "PostgreSQL unreachable at "
              + JdbcStores.redact(serverUrl)
              + " ("
              + e.getMessage()
              + "); set "
              + URL_VARIABLE;
      if (Boolean.parseBoolean(System.getenv("CI"))) {
        fail(unreachable, e);
      }
    }
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    if (schema != null) {
      execute("DROP SCHEMA " + schema + " CASCADE");
      schema = null;
    }
  }

  @Override
  protected String emptyDatabaseUrl() throws SQLException {
    // Skipping here, not in @BeforeAll, makes surefire count and show every skipped test.
    Assumptions.assumeTrue(unreachable == null, () -> unreachable);
    execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    execute("CREATE SCHEMA " + schema);
    return serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static void execute(String sql) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("connectTimeout", "5");
    try (Connection c = DriverManager.getConnection(serverUrl, properties);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
