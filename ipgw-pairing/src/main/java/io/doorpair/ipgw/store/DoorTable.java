package io.doorpair.ipgw.store;

import io.doorpair.crypto.SipPassword;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The door stations' accounts on the embedded internal SIP server: a name and a password, written
 * to the password file as {@code NAME@DOMAIN} next to the app accounts (the b2b takes any password
 * file account that is neither {@code ipgw} nor in {@code accounts.list} as a door station). Call
 * inside {@link GatewayStore#transaction}.
 */
public final class DoorTable {
  /**
   * A door name: 1-32 lowercase letters, digits and dashes, starting with a letter, never {@code
   * ipgw} and never ending like an app account ({@code -} and 4 hex digits) or an offline account
   * ({@code -} and 6 hex digits), so it cannot take another account's SIP username.
   */
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  private static final Pattern APP_SHAPE = Pattern.compile(".*-[0-9a-f]{4}|.*-[0-9a-f]{6}");

  private DoorTable() {}

  /**
   * A door station's account.
   *
   * @param name its SIP username at the gateway DOMAIN
   * @param password its password
   */
  public record Door(String name, SipPassword password) {}

  /**
   * Checks a door name (see the class text).
   *
   * @param name the name
   * @return the name
   * @throws IllegalArgumentException when it is not a door name
   */
  public static String checkName(String name) {
    if (name == null
        || !NAME.matcher(name).matches()
        || name.equals("ipgw")
        || APP_SHAPE.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a door name is 1-32 lowercase letters, digits and dashes starting with a letter, not"
              + " ipgw, not ending in a dash and 4 or 6 hex digits");
    }
    return name;
  }

  /**
   * Adds a door.
   *
   * @param c the transaction's connection
   * @param door the door
   * @param at when
   * @return false when a door of that name exists (nothing changed)
   * @throws SQLException on database failure
   */
  public static boolean add(Connection c, Door door, Instant at) throws SQLException {
    checkName(door.name());
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT OR IGNORE INTO doors (name, password, created_at) VALUES (?, ?, ?)")) {
      ps.setString(1, door.name());
      ps.setString(2, door.password().reveal());
      ps.setString(3, at.toString());
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Removes a door.
   *
   * @param c the transaction's connection
   * @param name its name
   * @return false when there was none
   * @throws SQLException on database failure
   */
  public static boolean remove(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM doors WHERE name = ?")) {
      ps.setString(1, name);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Every door, by name.
   *
   * @param c the transaction's connection
   * @return the doors
   * @throws SQLException on database failure
   */
  public static List<Door> all(Connection c) throws SQLException {
    List<Door> doors = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement("SELECT name, password FROM doors ORDER BY name");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        doors.add(new Door(rs.getString(1), SipPassword.of(rs.getString(2))));
      }
    }
    return doors;
  }
}
