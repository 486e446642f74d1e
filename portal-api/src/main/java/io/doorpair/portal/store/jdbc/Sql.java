package io.doorpair.portal.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Small JDBC helpers: run a statement with positional parameters ({@link String}, {@link Long} or
 * {@link Integer}; never null) and map its rows.
 */
final class Sql {

  /** Maps the current row of a result set. */
  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  private Sql() {}

  static <T> Optional<T> one(Connection c, String sql, RowMapper<T> mapper, Object... parameters)
      throws SQLException {
    try (PreparedStatement query = prepare(c, sql, parameters);
        ResultSet rows = query.executeQuery()) {
      return rows.next() ? Optional.of(mapper.map(rows)) : Optional.empty();
    }
  }

  static <T> List<T> list(Connection c, String sql, RowMapper<T> mapper, Object... parameters)
      throws SQLException {
    List<T> result = new ArrayList<>();
    try (PreparedStatement query = prepare(c, sql, parameters);
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        result.add(mapper.map(rows));
      }
    }
    return List.copyOf(result);
  }

  static boolean exists(Connection c, String sql, Object... parameters) throws SQLException {
    return one(c, sql, row -> Boolean.TRUE, parameters).isPresent();
  }

  /** Runs an insert, update or delete; returns the number of rows it changed. */
  static int update(Connection c, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = prepare(c, sql, parameters)) {
      return statement.executeUpdate();
    }
  }

  static long getLong(ResultSet row, String column) throws SQLException {
    long value = row.getLong(column);
    if (row.wasNull()) {
      throw new SQLException("unexpected NULL in column " + column);
    }
    return value;
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... parameters)
      throws SQLException {
    PreparedStatement statement = c.prepareStatement(sql);
    try {
      for (int i = 0; i < parameters.length; i++) {
        bind(statement, i + 1, parameters[i]);
      }
      return statement;
    } catch (SQLException | RuntimeException e) {
      statement.close();
      throw e;
    }
  }

  private static void bind(PreparedStatement statement, int index, Object value)
      throws SQLException {
    if (value instanceof String) {
      statement.setString(index, (String) value);
    } else if (value instanceof Long) {
      statement.setLong(index, (Long) value);
    } else if (value instanceof Integer) {
      statement.setInt(index, (Integer) value);
    } else {
      throw new IllegalArgumentException(
          "unsupported SQL parameter type: " + (value == null ? "null" : value.getClass()));
    }
  }
}
