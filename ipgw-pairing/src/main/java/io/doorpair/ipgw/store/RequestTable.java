package io.doorpair.ipgw.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Access requests; call inside {@link GatewayStore#transaction}. */
public final class RequestTable {
  private static final String COLUMNS =
      "request_id, username, friendly_name, instance, gruu, certificate, key_hash, created_at,"
          + " status, wrong_codes, received_at";

  private RequestTable() {}

  /**
   * Stores a request unless one with its id is there already.
   *
   * @param c the transaction's connection
   * @param r the request
   * @return true when stored now
   * @throws SQLException on database failure
   */
  public static boolean insertIfAbsent(Connection c, StoredRequest r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT OR IGNORE INTO requests ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, r.requestId());
      ps.setString(2, r.username());
      ps.setString(3, r.friendlyName());
      ps.setString(4, r.instance());
      ps.setString(5, r.gruu());
      ps.setString(6, r.certificatePem());
      ps.setString(7, r.keyHash());
      ps.setString(8, r.createdAt().toString());
      ps.setString(9, r.state().name().toLowerCase(Locale.ROOT));
      ps.setInt(10, r.wrongCodes());
      ps.setString(11, r.receivedAt().toString());
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * One request.
   *
   * @param c the transaction's connection
   * @param requestId its id
   * @return the request, if known
   * @throws SQLException on database failure
   */
  public static Optional<StoredRequest> get(Connection c, long requestId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM requests WHERE request_id = ?")) {
      ps.setLong(1, requestId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /**
   * The requests in one state, oldest first.
   *
   * @param c the transaction's connection
   * @param state the state
   * @return the requests
   * @throws SQLException on database failure
   */
  public static List<StoredRequest> inState(Connection c, RequestState state) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM requests WHERE status = ? ORDER BY request_id")) {
      ps.setString(1, state.name().toLowerCase(Locale.ROOT));
      List<StoredRequest> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    }
  }

  /**
   * Changes a request's state.
   *
   * @param c the transaction's connection
   * @param requestId the request
   * @param state the new state
   * @throws SQLException on database failure
   */
  public static void setState(Connection c, long requestId, RequestState state)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE requests SET status = ? WHERE request_id = ?")) {
      ps.setString(1, state.name().toLowerCase(Locale.ROOT));
      ps.setLong(2, requestId);
      ps.executeUpdate();
    }
  }

  /**
   * Counts one more wrong security code.
   *
   * @param c the transaction's connection
   * @param requestId the request
   * @return the count now
   * @throws SQLException on database failure
   */
  public static int addWrongCode(Connection c, long requestId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE requests SET wrong_codes = wrong_codes + 1 WHERE request_id = ?")) {
      ps.setLong(1, requestId);
      ps.executeUpdate();
    }
    return get(c, requestId).map(StoredRequest::wrongCodes).orElse(0);
  }

  private static StoredRequest read(ResultSet rs) throws SQLException {
    return new StoredRequest(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        Instant.parse(rs.getString(8)),
        RequestState.valueOf(rs.getString(9).toUpperCase(Locale.ROOT)),
        rs.getInt(10),
        Instant.parse(rs.getString(11)));
  }
}
