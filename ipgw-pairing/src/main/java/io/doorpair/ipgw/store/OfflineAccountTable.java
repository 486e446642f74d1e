package io.doorpair.ipgw.store;

import io.doorpair.crypto.SipPassword;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Offline (QR code) accounts; call inside {@link GatewayStore#transaction}. */
public final class OfflineAccountTable {
  private static final String COLUMNS =
      "id, name, sip_username, password, door_calls, open_door, cameras, external, state,"
          + " wrong_codes, created_at, expires_at, payload";

  private OfflineAccountTable() {}

  /** Schema version 2: the table. */
  static void create(Statement s) throws SQLException {
    s.execute(
        "CREATE TABLE offline_accounts (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
            + " sip_username TEXT NOT NULL UNIQUE, password TEXT NOT NULL,"
            + " door_calls INTEGER NOT NULL, open_door INTEGER NOT NULL, cameras INTEGER NOT NULL,"
            + " external INTEGER NOT NULL, state TEXT NOT NULL,"
            + " wrong_codes INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,"
            + " expires_at TEXT NOT NULL, payload TEXT NOT NULL)");
  }

  /**
   * Stores a new account.
   *
   * @param c the transaction's connection
   * @param a the account
   * @throws SQLException on database failure, or when its id or SIP username is taken
   */
  public static void insert(Connection c, OfflineAccountRow a) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO offline_accounts ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, a.id());
      ps.setString(2, a.name());
      ps.setString(3, a.sipUsername());
      ps.setString(4, a.password().reveal());
      ps.setInt(5, a.rights().doorCalls() ? 1 : 0);
      ps.setInt(6, a.rights().openDoor() ? 1 : 0);
      ps.setInt(7, a.rights().cameras() ? 1 : 0);
      ps.setInt(8, a.external() ? 1 : 0);
      ps.setString(9, a.state().name());
      ps.setInt(10, a.wrongCodes());
      ps.setString(11, a.createdAt().toString());
      ps.setString(12, a.expiresAt().toString());
      ps.setString(13, a.payload());
      ps.executeUpdate();
    }
  }

  /**
   * One account by its QR code's id.
   *
   * @param c the transaction's connection
   * @param id the id
   * @return the account, if any
   * @throws SQLException on database failure
   */
  public static Optional<OfflineAccountRow> get(Connection c, String id) throws SQLException {
    return many(c, "WHERE id = ?", id).stream().findFirst();
  }

  /**
   * One account by its SIP username.
   *
   * @param c the transaction's connection
   * @param sipUsername the SIP username
   * @return the account, if any
   * @throws SQLException on database failure
   */
  public static Optional<OfflineAccountRow> bySipUsername(Connection c, String sipUsername)
      throws SQLException {
    return many(c, "WHERE sip_username = ?", sipUsername).stream().findFirst();
  }

  /**
   * Every account, newest first.
   *
   * @param c the transaction's connection
   * @return the accounts
   * @throws SQLException on database failure
   */
  public static List<OfflineAccountRow> all(Connection c) throws SQLException {
    return many(c, "ORDER BY created_at DESC, id", null);
  }

  /**
   * The active accounts (those in the files), by SIP username.
   *
   * @param c the transaction's connection
   * @return the accounts
   * @throws SQLException on database failure
   */
  public static List<OfflineAccountRow> active(Connection c) throws SQLException {
    return many(c, "WHERE state = ? ORDER BY sip_username", OfflineState.ACTIVE.name());
  }

  /**
   * The active accounts of a person.
   *
   * @param c the transaction's connection
   * @param name the person's username
   * @return the accounts
   * @throws SQLException on database failure
   */
  public static List<OfflineAccountRow> activeOf(Connection c, String name) throws SQLException {
    List<OfflineAccountRow> out = new ArrayList<>();
    for (OfflineAccountRow a : active(c)) {
      if (a.name().equals(name)) {
        out.add(a);
      }
    }
    return out;
  }

  /**
   * Moves an account to a new state.
   *
   * @param c the transaction's connection
   * @param id the account
   * @param from the state it must be in
   * @param to the new state
   * @return true when it was in {@code from} and moved
   * @throws SQLException on database failure
   */
  public static boolean move(Connection c, String id, OfflineState from, OfflineState to)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE offline_accounts SET state = ? WHERE id = ? AND state = ?")) {
      ps.setString(1, to.name());
      ps.setString(2, id);
      ps.setString(3, from.name());
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Counts one more wrong confirmation code.
   *
   * @param c the transaction's connection
   * @param id the account
   * @return the new count
   * @throws SQLException on database failure
   */
  public static int addWrongCode(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE offline_accounts SET wrong_codes = wrong_codes + 1 WHERE id = ?")) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
    return get(c, id).orElseThrow(() -> new SQLException("no offline account " + id)).wrongCodes();
  }

  private static List<OfflineAccountRow> many(Connection c, String tail, String key)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM offline_accounts " + tail)) {
      if (key != null) {
        ps.setString(1, key);
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<OfflineAccountRow> out = new ArrayList<>();
        while (rs.next()) {
          out.add(
              new OfflineAccountRow(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  SipPassword.of(rs.getString(4)),
                  new Rights(rs.getInt(5) == 1, rs.getInt(6) == 1, rs.getInt(7) == 1, false),
                  rs.getInt(8) == 1,
                  OfflineState.valueOf(rs.getString(9)),
                  rs.getInt(10),
                  Instant.parse(rs.getString(11)),
                  Instant.parse(rs.getString(12)),
                  rs.getString(13)));
        }
        return out;
      }
    }
  }
}
