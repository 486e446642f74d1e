package io.doorpair.ipgw.store;

import io.doorpair.crypto.SipPassword;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Per-device SIP accounts; call inside {@link GatewayStore#transaction}. */
public final class AccountTable {
  private static final String COLUMNS =
      "sip_username, request_id, username, friendly_name, gruu, password, door_calls, open_door,"
          + " cameras, gruu_only, enabled, created_at";

  private AccountTable() {}

  /**
   * Stores a new account.
   *
   * @param c the transaction's connection
   * @param a the account
   * @throws SQLException on database failure, or when the username or request has one already
   */
  public static void insert(Connection c, Account a) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO accounts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, a.sipUsername());
      ps.setLong(2, a.requestId());
      ps.setString(3, a.username());
      ps.setString(4, a.friendlyName());
      ps.setString(5, a.gruu());
      ps.setString(6, a.password().reveal());
      ps.setInt(7, a.rights().doorCalls() ? 1 : 0);
      ps.setInt(8, a.rights().openDoor() ? 1 : 0);
      ps.setInt(9, a.rights().cameras() ? 1 : 0);
      ps.setInt(10, a.rights().gruuOnly() ? 1 : 0);
      ps.setInt(11, a.enabled() ? 1 : 0);
      ps.setString(12, a.createdAt().toString());
      ps.executeUpdate();
    }
  }

  /**
   * One account.
   *
   * @param c the transaction's connection
   * @param sipUsername its username
   * @return the account, if any
   * @throws SQLException on database failure
   */
  public static Optional<Account> get(Connection c, String sipUsername) throws SQLException {
    return one(c, "sip_username = ?", sipUsername);
  }

  /**
   * The account answering a request.
   *
   * @param c the transaction's connection
   * @param requestId the request
   * @return the account, if any
   * @throws SQLException on database failure
   */
  public static Optional<Account> forRequest(Connection c, long requestId) throws SQLException {
    return one(c, "request_id = ?", requestId);
  }

  /**
   * Every account, by portal user then SIP username.
   *
   * @param c the transaction's connection
   * @return the accounts
   * @throws SQLException on database failure
   */
  public static List<Account> all(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT " + COLUMNS + " FROM accounts ORDER BY username, sip_username");
        ResultSet rs = ps.executeQuery()) {
      List<Account> out = new ArrayList<>();
      while (rs.next()) {
        out.add(read(rs));
      }
      return out;
    }
  }

  /**
   * Enables or disables an account.
   *
   * @param c the transaction's connection
   * @param sipUsername the account
   * @param enabled the new flag
   * @return true when the account exists
   * @throws SQLException on database failure
   */
  public static boolean setEnabled(Connection c, String sipUsername, boolean enabled)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE accounts SET enabled = ? WHERE sip_username = ?")) {
      ps.setInt(1, enabled ? 1 : 0);
      ps.setString(2, sipUsername);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Changes an account's rights.
   *
   * @param c the transaction's connection
   * @param sipUsername the account
   * @param rights the new rights
   * @return true when the account exists
   * @throws SQLException on database failure
   */
  public static boolean setRights(Connection c, String sipUsername, Rights rights)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE accounts SET door_calls = ?, open_door = ?, cameras = ?, gruu_only = ?"
                + " WHERE sip_username = ?")) {
      ps.setInt(1, rights.doorCalls() ? 1 : 0);
      ps.setInt(2, rights.openDoor() ? 1 : 0);
      ps.setInt(3, rights.cameras() ? 1 : 0);
      ps.setInt(4, rights.gruuOnly() ? 1 : 0);
      ps.setString(5, sipUsername);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Deletes an account.
   *
   * @param c the transaction's connection
   * @param sipUsername the account
   * @return true when it existed
   * @throws SQLException on database failure
   */
  public static boolean delete(Connection c, String sipUsername) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM accounts WHERE sip_username = ?")) {
      ps.setString(1, sipUsername);
      return ps.executeUpdate() == 1;
    }
  }

  private static Optional<Account> one(Connection c, String where, Object key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM accounts WHERE " + where)) {
      ps.setObject(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private static Account read(ResultSet rs) throws SQLException {
    return new Account(
        rs.getString(1),
        rs.getLong(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        SipPassword.of(rs.getString(6)),
        new Rights(rs.getInt(7) == 1, rs.getInt(8) == 1, rs.getInt(9) == 1, rs.getInt(10) == 1),
        rs.getInt(11) == 1,
        Instant.parse(rs.getString(12)));
  }
}
