package io.doorpair.portal.store.jdbc;

import io.doorpair.portal.store.AccessRequest;
import io.doorpair.portal.store.ApprovedAccount;
import io.doorpair.portal.store.ChannelItem;
import io.doorpair.portal.store.GuestRecord;
import io.doorpair.portal.store.NewEvent;
import io.doorpair.portal.store.StoredEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * How the access flow's records map to columns: statuses and kinds as lowercase words, instances as
 * UUID text, serials and instants as in {@link RecordRows}.
 */
final class AccessRows {

  static final String GUEST_COLUMNS = "domain, username, invited_at";

  /** The request columns, each prefixed with {@code r.} (the alias to give the table). */
  static final String REQUEST_COLUMNS =
      "r.id, r.domain, r.username, r.instance, r.serial, r.certificate_pem, r.friendly_name,"
          + " r.status, r.sip_username, r.encrypted_password, r.gruu, r.created_at, r.decided_at";

  static final String EVENT_COLUMNS =
      "domain, seq, event_id, kind, occurred_at, payload, received_at";

  private AccessRows() {}

  static String status(AccessRequest.Status status) {
    return EnumColumns.text(status);
  }

  static AccessRequest.Status status(String text) throws SQLException {
    return EnumColumns.value(AccessRequest.Status.class, text, "request status");
  }

  static String kind(ChannelItem.Kind kind) {
    return EnumColumns.text(kind);
  }

  static ChannelItem.Kind kind(String text) throws SQLException {
    return EnumColumns.value(ChannelItem.Kind.class, text, "channel item kind");
  }

  static GuestRecord guest(ResultSet row) throws SQLException {
    return new GuestRecord(
        row.getString("domain"), row.getString("username"), instant(row, "invited_at"));
  }

  static AccessRequest request(ResultSet row) throws SQLException {
    AccessRequest.Status status = status(row.getString("status"));
    Optional<ApprovedAccount> account =
        status == AccessRequest.Status.APPROVED
            ? Optional.of(
                new ApprovedAccount(
                    row.getString("sip_username"),
                    row.getString("encrypted_password"),
                    row.getString("gruu")))
            : Optional.empty();
    long decidedAt = row.getLong("decided_at");
    Optional<Instant> decided =
        row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(decidedAt));
    return new AccessRequest(
        Sql.getLong(row, "id"),
        row.getString("domain"),
        row.getString("username"),
        UUID.fromString(row.getString("instance")),
        RecordRows.serial(row.getString("serial")),
        row.getString("certificate_pem"),
        row.getString("friendly_name"),
        status,
        account,
        instant(row, "created_at"),
        decided);
  }

  /** A channel item: its {@code seq} and {@code item_kind} columns, then the request's. */
  static ChannelItem channelItem(ResultSet row) throws SQLException {
    return new ChannelItem(Sql.getLong(row, "seq"), kind(row.getString("item_kind")), request(row));
  }

  static StoredEvent event(ResultSet row) throws SQLException {
    return new StoredEvent(
        row.getString("domain"),
        Sql.getLong(row, "seq"),
        new NewEvent(
            row.getString("event_id"),
            row.getString("kind"),
            instant(row, "occurred_at"),
            row.getString("payload")),
        instant(row, "received_at"));
  }

  private static Instant instant(ResultSet row, String column) throws SQLException {
    return Instant.ofEpochMilli(Sql.getLong(row, column));
  }
}
