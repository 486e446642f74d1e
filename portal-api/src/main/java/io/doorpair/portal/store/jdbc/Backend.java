package io.doorpair.portal.store.jdbc;

import java.sql.SQLException;

/**
 * What differs between the SQL databases the portal store runs on: how connections are held and
 * transactions begun, how a unique violation is recognised, row locks, and the migration lock.
 * Implemented by {@code io.doorpair.portal.store.sqlite} and {@code
 * io.doorpair.portal.store.postgres} for {@link JdbcStores}; nothing else should need it.
 */
public interface Backend extends AutoCloseable {

  /** A short name for logs and the migration folder: {@code sqlite} or {@code postgres}. */
  String name();

  /**
   * Runs the work in one write transaction: committed if it returns, rolled back if it throws
   * anything. The backend serializes writes as its database needs.
   */
  <T> T write(SqlWork<T> work) throws SQLException;

  /** Runs read-only work; it sees committed data only. */
  <T> T read(SqlWork<T> work) throws SQLException;

  /**
   * Runs the work in one write transaction that also holds the migration lock, so that only one
   * process at a time migrates a database.
   */
  <T> T migrate(SqlWork<T> work) throws SQLException;

  /** True if the exception reports a violated primary key or unique constraint. */
  boolean isUniqueViolation(SQLException e);

  /**
   * The clause that makes a {@code SELECT} in a write transaction lock the rows it reads against
   * concurrent updates and deletes (empty where the backend serializes all writers anyway).
   */
  String forUpdate();

  /** As {@link #forUpdate()}, but a shared lock that only keeps the rows from being deleted. */
  String forShare();

  /**
   * As {@link #forUpdate()}, for a row the transaction will update without changing its key: it
   * excludes other such lockers and writers of the row, but not the foreign-key checks of rows that
   * reference it (empty where the backend serializes all writers anyway).
   */
  String forNoKeyUpdate();

  /** Closes every connection. Idempotent. */
  @Override
  void close();
}
