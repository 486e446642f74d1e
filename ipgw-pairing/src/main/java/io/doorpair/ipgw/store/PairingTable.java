package io.doorpair.ipgw.store;

import io.doorpair.crypto.SipPassword;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/** The pairing row; call inside {@link GatewayStore#transaction}. */
public final class PairingTable {
  private PairingTable() {}

  /**
   * The current pairing.
   *
   * @param c the transaction's connection
   * @return the pairing, empty before the first
   * @throws SQLException on database failure
   */
  public static Optional<Pairing> get(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT domain, friendly_name, agent_pem, ca_pem, b2b_password, portal_sip_uri,"
                    + " internal_sip_uri, paired_at, channel_cursor FROM pairing WHERE id = 1")) {
      if (!rs.next()) {
        return Optional.empty();
      }
      return Optional.of(
          new Pairing(
              rs.getString(1),
              rs.getString(2),
              rs.getString(3),
              rs.getString(4),
              SipPassword.of(rs.getString(5)),
              rs.getString(6),
              rs.getString(7),
              Instant.parse(rs.getString(8)),
              rs.getLong(9)));
    }
  }

  /**
   * Replaces the pairing and forgets everything of the previous one (requests, accounts, events not
   * yet sent: they belonged to another gateway identity).
   *
   * @param c the transaction's connection
   * @param p the new pairing
   * @throws SQLException on database failure
   */
  public static void replace(Connection c, Pairing p) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM accounts");
      s.executeUpdate("DELETE FROM requests");
      s.executeUpdate("DELETE FROM outbox");
      s.executeUpdate("DELETE FROM portal_voids");
      s.executeUpdate("DELETE FROM pairing");
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO pairing (id, domain, friendly_name, agent_pem, ca_pem, b2b_password,"
                + " portal_sip_uri, internal_sip_uri, paired_at, channel_cursor)"
                + " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, p.domain());
      ps.setString(2, p.friendlyName());
      ps.setString(3, p.agentPem());
      ps.setString(4, p.caPem());
      ps.setString(5, p.b2bPassword().reveal());
      ps.setString(6, p.portalSipUri());
      ps.setString(7, p.internalSipUri());
      ps.setString(8, p.pairedAt().toString());
      ps.setLong(9, p.channelCursor());
      ps.executeUpdate();
    }
  }

  /**
   * Replaces the gateway's key and certificate and the portal CA after a renewal, keeping
   * everything else of the pairing (DOMAIN, accounts, requests, cursor).
   *
   * @param c the transaction's connection
   * @param domain the DOMAIN the renewal was for: nothing changes if the gateway was paired again
   *     meanwhile
   * @param agentPem the key and the renewed certificate
   * @param caPem the portal CA that issued it
   * @return true when the pairing was updated
   * @throws SQLException on database failure
   */
  public static boolean replaceIdentity(Connection c, String domain, String agentPem, String caPem)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE pairing SET agent_pem = ?, ca_pem = ? WHERE id = 1 AND domain = ?")) {
      ps.setString(1, agentPem);
      ps.setString(2, caPem);
      ps.setString(3, domain);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Moves the push-channel cursor.
   *
   * @param c the transaction's connection
   * @param cursor the last item processed
   * @throws SQLException on database failure
   */
  public static void setCursor(Connection c, long cursor) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE pairing SET channel_cursor = ? WHERE id = 1")) {
      ps.setLong(1, cursor);
      ps.executeUpdate();
    }
  }
}
