package io.doorpair.ipgw.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The ids of the b2b's journal records already taken into the outbox, so that a spool file left
 * behind by a crash between the commit and its deletion is never queued twice (the outbox itself
 * forgets an event once sent). Call inside {@link GatewayStore#transaction}.
 */
public final class JournalSeenTable {
  private JournalSeenTable() {}

  /**
   * Marks a record as taken.
   *
   * @param c the transaction's connection
   * @param recordId the record's id
   * @param at when
   * @return true if it was new, false if it had been taken before
   * @throws SQLException on database failure
   */
  public static boolean markNew(Connection c, String recordId, Instant at) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT OR IGNORE INTO journal_seen (record_id, seen_at) VALUES (?, ?)")) {
      ps.setString(1, recordId);
      ps.setString(2, at.toString());
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Forgets the ids taken before {@code before} (a spool file cannot outlive its intake by days).
   *
   * @param c the transaction's connection
   * @param before the cut
   * @return how many were forgotten
   * @throws SQLException on database failure
   */
  public static int forgetBefore(Connection c, Instant before) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM journal_seen WHERE seen_at < ?")) {
      ps.setString(1, before.toString());
      return ps.executeUpdate();
    }
  }
}
