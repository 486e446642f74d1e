package io.doorpair.portal.store.jdbc;

import static io.doorpair.portal.store.jdbc.AccessRows.REQUEST_COLUMNS;

import io.doorpair.portal.store.AccessRequest;
import io.doorpair.portal.store.ChannelItem;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes to the gateways' push channels, for every store operation that adds items.
 *
 * <p>Lock order, which every transaction of the store follows so that none waits in a cycle: the
 * user row, then guest rows, then certificate rows, then gateway rows (several in domain order),
 * then request rows. (Reading a row takes no lock, so reading a guest row under a gateway's lock is
 * fine.) A channel item is appended only under its gateway's row lock, taken by {@link
 * #lockGateway}, and the counter is raised in the same transaction: seqs commit in order and
 * without gaps.
 */
final class Channels {

  private final Backend backend;

  Channels(Backend backend) {
    this.backend = backend;
  }

  /**
   * Locks the gateway's row until the transaction ends and returns its owner, or empty if there is
   * no such gateway.
   */
  Optional<String> lockGateway(Connection c, String domain) throws SQLException {
    return Sql.one(
        c,
        "SELECT owner FROM gateways WHERE domain = ?" + backend.forNoKeyUpdate(),
        row -> row.getString("owner"),
        domain);
  }

  /** Appends an item; the caller holds the gateway's lock. Returns its seq. */
  long append(Connection c, String domain, ChannelItem.Kind kind, long requestId)
      throws SQLException {
    Sql.update(c, "UPDATE gateways SET channel_seq = channel_seq + 1 WHERE domain = ?", domain);
    long seq =
        Sql.one(
                c,
                "SELECT channel_seq FROM gateways WHERE domain = ?",
                row -> Sql.getLong(row, "channel_seq"),
                domain)
            .orElseThrow(() -> new SQLException("gateway vanished: " + domain));
    Sql.update(
        c,
        "INSERT INTO channel_items (domain, seq, kind, request_id) VALUES (?, ?, ?, ?)",
        domain,
        seq,
        AccessRows.kind(kind),
        requestId);
    return seq;
  }

  /**
   * Voids the pending requests of a gateway that match {@code condition} (an SQL condition on the
   * request's columns with one parameter), each with a {@code VOIDED} item; the caller holds the
   * gateway's lock. Returns them as they are now, by id.
   */
  List<AccessRequest> voidPending(
      Connection c, String domain, String condition, String parameter, Instant at)
      throws SQLException {
    List<Long> ids =
        Sql.list(
            c,
            "SELECT id FROM access_requests WHERE domain = ? AND status = 'pending' AND "
                + condition
                + " ORDER BY id",
            row -> Sql.getLong(row, "id"),
            domain,
            parameter);
    List<AccessRequest> voided = new ArrayList<>();
    for (long id : ids) {
      int changed =
          Sql.update(
              c,
              "UPDATE access_requests SET status = 'void', decided_at = ?"
                  + " WHERE id = ? AND status = 'pending'",
              at.toEpochMilli(),
              id);
      if (changed == 1) {
        append(c, domain, ChannelItem.Kind.VOIDED, id);
        voided.add(request(c, id).orElseThrow(() -> new SQLException("request vanished: " + id)));
      }
    }
    return voided;
  }

  /**
   * Voids the pending requests matching {@code condition} on every gateway, locking the gateways in
   * domain order. Returns them by domain, then id.
   */
  List<AccessRequest> voidPendingEverywhere(
      Connection c, String condition, String parameter, Instant at) throws SQLException {
    List<String> domains =
        Sql.list(
            c,
            "SELECT DISTINCT domain FROM access_requests WHERE status = 'pending' AND "
                + condition
                + " ORDER BY domain",
            row -> row.getString("domain"),
            parameter);
    List<AccessRequest> voided = new ArrayList<>();
    for (String domain : domains) {
      lockGateway(c, domain);
      voided.addAll(voidPending(c, domain, condition, parameter, at));
    }
    return List.copyOf(voided);
  }

  static Optional<AccessRequest> request(Connection c, long id) throws SQLException {
    return Sql.one(
        c,
        "SELECT " + REQUEST_COLUMNS + " FROM access_requests r WHERE r.id = ?",
        AccessRows::request,
        id);
  }
}
