package io.doorpair.ipgw.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests the portal must be told are void ({@code POST /api/gateway/requests/ID/void}): queued in
 * the transaction that voids them here (5 wrong security codes, a removed device), removed once the
 * portal answered. Call inside {@link GatewayStore#transaction}.
 */
public final class PortalVoidTable {
  private PortalVoidTable() {}

  /**
   * Queues a request (once: queuing it again changes nothing).
   *
   * @param c the transaction's connection
   * @param requestId the request
   * @param at when
   * @throws SQLException on database failure
   */
  public static void queue(Connection c, long requestId, Instant at) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT OR IGNORE INTO portal_voids (request_id, queued_at) VALUES (?, ?)")) {
      ps.setLong(1, requestId);
      ps.setString(2, at.toString());
      ps.executeUpdate();
    }
  }

  /**
   * The queued requests, oldest first.
   *
   * @param c the transaction's connection
   * @param limit at most this many
   * @return request ids
   * @throws SQLException on database failure
   */
  public static List<Long> head(Connection c, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT request_id FROM portal_voids ORDER BY queued_at, request_id LIMIT ?")) {
      ps.setInt(1, limit);
      List<Long> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
      return out;
    }
  }

  /**
   * Removes a request the portal answered for.
   *
   * @param c the transaction's connection
   * @param requestId the request
   * @throws SQLException on database failure
   */
  public static void remove(Connection c, long requestId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM portal_voids WHERE request_id = ?")) {
      ps.setLong(1, requestId);
      ps.executeUpdate();
    }
  }
}
