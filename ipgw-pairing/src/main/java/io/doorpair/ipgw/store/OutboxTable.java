package io.doorpair.ipgw.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The event outbox, a FIFO on disk; call inside {@link GatewayStore#transaction}. */
public final class OutboxTable {
  private OutboxTable() {}

  /**
   * Appends an event.
   *
   * @param c the transaction's connection
   * @param id its id, unique for ever
   * @param kind its kind
   * @param at when it happened
   * @param payload compact JSON object
   * @return its place in the outbox
   * @throws SQLException on database failure (an id given twice included)
   */
  public static long append(Connection c, String id, String kind, Instant at, String payload)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO outbox (event_id, kind, at, payload) VALUES (?, ?, ?, ?)",
            java.sql.Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, id);
      ps.setString(2, kind);
      ps.setString(3, at.toString());
      ps.setString(4, payload);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /**
   * The oldest events.
   *
   * @param c the transaction's connection
   * @param limit at most this many
   * @return in sending order
   * @throws SQLException on database failure
   */
  public static List<QueuedEvent> head(Connection c, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT seq, event_id, kind, at, payload FROM outbox ORDER BY seq LIMIT ?")) {
      ps.setInt(1, limit);
      List<QueuedEvent> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new QueuedEvent(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  Instant.parse(rs.getString(4)),
                  rs.getString(5)));
        }
      }
      return out;
    }
  }

  /**
   * Removes the events sent, up to and including {@code seq}.
   *
   * @param c the transaction's connection
   * @param seq the last event the portal acknowledged
   * @throws SQLException on database failure
   */
  public static void removeThrough(Connection c, long seq) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM outbox WHERE seq <= ?")) {
      ps.setLong(1, seq);
      ps.executeUpdate();
    }
  }

  /**
   * How many events wait.
   *
   * @param c the transaction's connection
   * @return the count
   * @throws SQLException on database failure
   */
  public static int size(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM outbox");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
