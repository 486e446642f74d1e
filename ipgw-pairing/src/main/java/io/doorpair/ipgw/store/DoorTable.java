package io.doorpair.ipgw.store;

import io.doorpair.b2b.conf.AccountNames;
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
   * What the owner sees of a door station (never its password).
   *
   * @param name its SIP username
   * @param displayName the owner's name for it (e.g. {@code Front door}), if given
   * @param registered whether it is registered at the embedded internal SIP server, as the b2b last
   *     told (empty: not heard of since the door was added)
   * @param since when that state began
   */
  public record Listed(
      String name,
      Optional<String> displayName,
      Optional<Boolean> registered,
      Optional<Instant> since) {}

  /**
   * Schema 5: the display name and the last registration state of each door.
   *
   * @param s a statement in the migration's transaction
   * @throws SQLException on database failure
   */
  static void addNamesAndPresence(Statement s) throws SQLException {
    s.execute("ALTER TABLE doors ADD COLUMN display_name TEXT");
    s.execute("ALTER TABLE doors ADD COLUMN registered INTEGER");
    s.execute("ALTER TABLE doors ADD COLUMN registered_since TEXT");
  }

  /**
   * Checks a display name: 1-64 printable characters ({@link AccountNames#isFriendlyName}), stored
   * as given and escaped on every page; it never goes into a gateway file.
   *
   * @param displayName the name
   * @return the name, stripped
   * @throws IllegalArgumentException when it is not acceptable
   */
  public static String checkDisplayName(String displayName) {
    String stripped = displayName == null ? "" : displayName.strip();
    if (!AccountNames.isFriendlyName(stripped)) {
      throw new IllegalArgumentException(
          "a door's display name is 1-64 printable characters (no control characters)");
    }
    return stripped;
  }

  /**
   * Sets a door's display name.
   *
   * @param c the transaction's connection
   * @param name the door
   * @param displayName its new display name (checked by the caller)
   * @return false when there is no such door
   * @throws SQLException on database failure
   */
  public static boolean rename(Connection c, String name, String displayName) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE doors SET display_name = ? WHERE name = ?")) {
      ps.setString(1, displayName);
      ps.setString(2, name);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Records what the b2b said of a door's registration.
   *
   * @param c the transaction's connection
   * @param name the door
   * @param registered registered or not
   * @param at since when
   * @return false when there is no such door
   * @throws SQLException on database failure
   */
  public static boolean setRegistered(Connection c, String name, boolean registered, Instant at)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE doors SET registered = ?, registered_since = ? WHERE name = ?")) {
      ps.setInt(1, registered ? 1 : 0);
      ps.setString(2, at.toString());
      ps.setString(3, name);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * One door as the owner sees it.
   *
   * @param c the transaction's connection
   * @param name the door
   * @return the door, if it exists
   * @throws SQLException on database failure
   */
  public static Optional<Listed> find(Connection c, String name) throws SQLException {
    return listed(c, " WHERE name = ?", name).stream().findFirst();
  }

  /**
   * Every door as the owner sees it, by name.
   *
   * @param c the transaction's connection
   * @return the doors
   * @throws SQLException on database failure
   */
  public static List<Listed> list(Connection c) throws SQLException {
    return listed(c, "", null);
  }

  private static List<Listed> listed(Connection c, String where, String name) throws SQLException {
    List<Listed> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT name, display_name, registered, registered_since FROM doors"
                + where
                + " ORDER BY name")) {
      if (name != null) {
        ps.setString(1, name);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int registered = rs.getInt(3);
          boolean known = !rs.wasNull();
          String since = rs.getString(4);
          out.add(
              new Listed(
                  rs.getString(1),
                  Optional.ofNullable(rs.getString(2)),
                  known ? Optional.of(registered == 1) : Optional.empty(),
                  Optional.ofNullable(since).map(Instant::parse)));
        }
      }
    }
    return out;
  }

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
    return add(c, door, Optional.empty(), at);
  }

  /**
   * Adds a door with a display name.
   *
   * @param c the transaction's connection
   * @param door the door
   * @param displayName its display name (checked by the caller), if any
   * @param at when
   * @return false when a door of that name exists (nothing changed)
   * @throws SQLException on database failure
   */
  public static boolean add(Connection c, Door door, Optional<String> displayName, Instant at)
      throws SQLException {
    checkName(door.name());
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT OR IGNORE INTO doors (name, password, created_at, display_name)"
                + " VALUES (?, ?, ?, ?)")) {
      ps.setString(1, door.name());
      ps.setString(2, door.password().reveal());
      ps.setString(3, at.toString());
      ps.setString(4, displayName.orElse(null));
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
