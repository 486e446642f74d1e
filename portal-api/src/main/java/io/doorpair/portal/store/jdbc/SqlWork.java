package io.doorpair.portal.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A unit of SQL work run by a {@link Backend} on one of its connections, inside the transaction the
 * backend opened.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
