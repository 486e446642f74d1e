package io.doorpair.portal.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.doorpair.portal.store.jdbc.Backend;
import io.doorpair.portal.store.jdbc.SqlWork;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;

/**
 * A PostgreSQL database reached through a small HikariCP pool. Transactions run at READ COMMITTED;
 * the store's SQL takes the row locks it needs ({@code FOR UPDATE}, {@code FOR SHARE}) and relies
 * on unique constraints, so several portal processes can share the database. Migrations hold a
 * transaction-scoped advisory lock, so processes starting together migrate one after the other.
 *
 * <p>The driver is told not to copy server error details into exception messages ({@code
 * logServerErrorDetail=false}): a failing row could hold HA1 values.
 */
public final class PostgresBackend implements Backend {

  /** Most connections the pool holds. */
  public static final int MAX_POOL_SIZE = 8;

  /** Key of the advisory lock held while migrating ("doorpair" in ASCII). */
  static final long MIGRATION_LOCK_KEY = 0x646f6f7270616972L;

  private static final String UNIQUE_VIOLATION = "23505";

  private final HikariDataSource pool;

  private PostgresBackend(HikariDataSource pool) {
    this.pool = pool;
  }

  /**
   * Opens the pool; fails at once if the database cannot be reached. The URL's parameters (user,
   * password, currentSchema, ssl...) are the driver's.
   */
  public static PostgresBackend open(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    HikariConfig config = new HikariConfig();
    config.setPoolName("portal-store");
    config.setDriverClassName("org.postgresql.Driver");
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(MAX_POOL_SIZE);
    config.setMinimumIdle(1);
    config.setAutoCommit(false);
    config.setConnectionTimeout(10_000);
    config.addDataSourceProperty("ApplicationName", "doorpair-portal");
    config.addDataSourceProperty("logServerErrorDetail", "false");
    return new PostgresBackend(new HikariDataSource(config));
  }

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public <T> T write(SqlWork<T> work) throws SQLException {
    return inTransaction(work);
  }

  @Override
  public <T> T read(SqlWork<T> work) throws SQLException {
    return inTransaction(work);
  }

  @Override
  public <T> T migrate(SqlWork<T> work) throws SQLException {
    return inTransaction(
        connection -> {
          try (PreparedStatement lock =
              connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, MIGRATION_LOCK_KEY);
            lock.execute();
          }
          return work.run(connection);
        });
  }

  @Override
  public boolean isUniqueViolation(SQLException e) {
    return UNIQUE_VIOLATION.equals(e.getSQLState());
  }

  @Override
  public String forUpdate() {
    return " FOR UPDATE";
  }

  @Override
  public String forShare() {
    return " FOR SHARE";
  }

  @Override
  public String forNoKeyUpdate() {
    return " FOR NO KEY UPDATE";
  }

  @Override
  public void close() {
    pool.close();
  }

  private <T> T inTransaction(SqlWork<T> work) throws SQLException {
    try (Connection connection = pool.getConnection()) {
      T result;
      try {
        result = work.run(connection);
        connection.commit();
      } catch (SQLException | RuntimeException | Error e) {
        try {
          connection.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
      return result;
    }
  }
}
