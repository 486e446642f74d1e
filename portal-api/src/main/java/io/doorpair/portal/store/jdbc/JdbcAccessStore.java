package io.doorpair.portal.store.jdbc;

import static io.doorpair.portal.store.jdbc.AccessRows.EVENT_COLUMNS;
import static io.doorpair.portal.store.jdbc.AccessRows.GUEST_COLUMNS;
import static io.doorpair.portal.store.jdbc.AccessRows.REQUEST_COLUMNS;
import static io.doorpair.portal.store.jdbc.RecordRows.GATEWAY_COLUMNS;

import io.doorpair.portal.store.AccessRequest;
import io.doorpair.portal.store.AccessStore;
import io.doorpair.portal.store.ApprovedAccount;
import io.doorpair.portal.store.ChannelItem;
import io.doorpair.portal.store.GatewayRecord;
import io.doorpair.portal.store.GuestRecord;
import io.doorpair.portal.store.NewEvent;
import io.doorpair.portal.store.StoreConflictException;
import io.doorpair.portal.store.StoredEvent;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The access flow's part of the store in portable SQL: guests, access requests, channel items and
 * events. Every method is one transaction of {@link Transactions}; the locks it takes follow the
 * order {@link Channels} states.
 */
final class JdbcAccessStore implements AccessStore {

  private static final String REQUEST_INSERT =
      "INSERT INTO access_requests (domain, username, instance, serial, certificate_pem,"
          + " friendly_name, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)"
          + " RETURNING id";

  private final Transactions transactions;
  private final Backend backend;
  private final Channels channels;

  JdbcAccessStore(Transactions transactions) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.backend = transactions.backend();
    this.channels = new Channels(backend);
  }

  // ---------------------------------------------------------------- guests

  @Override
  public boolean addGuest(GuestRecord guest) {
    Objects.requireNonNull(guest, "guest");
    AccessChecks.domain(guest.domain());
    RecordChecks.username(guest.username());
    long invitedAt = AccessChecks.millis(guest.invitedAt(), "invitedAt");
    return transactions.write(
        "add guest",
        c -> {
          String owner = owner(c, guest.domain());
          if (owner.equals(guest.username())) {
            throw new StoreConflictException(
                "the owner of gateway " + guest.domain() + " cannot be its guest");
          }
          // Keeps the user from being deleted until this invitation is committed.
          if (!Sql.exists(
              c,
              "SELECT username FROM users WHERE username = ?" + backend.forShare(),
              guest.username())) {
            throw new StoreConflictException("no such user: " + guest.username());
          }
          return Sql.update(
                  c,
                  "INSERT INTO guests ("
                      + GUEST_COLUMNS
                      + ") VALUES (?, ?, ?) ON CONFLICT (domain, username) DO NOTHING",
                  guest.domain(),
                  guest.username(),
                  invitedAt)
              == 1;
        });
  }

  @Override
  public Optional<List<AccessRequest>> removeGuest(String domain, String username, Instant at) {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(at, "at");
    AccessChecks.domain(domain);
    RecordChecks.username(username);
    AccessChecks.millis(at, "at");
    return transactions.write(
        "remove guest",
        c -> {
          // The guest row before the gateway's lock, as deleteUser's cascade takes them.
          if (Sql.update(
                  c, "DELETE FROM guests WHERE domain = ? AND username = ?", domain, username)
              == 0) {
            return Optional.empty();
          }
          channels.lockGateway(c, domain);
          return Optional.of(channels.voidPending(c, domain, "username = ?", username, at));
        });
  }

  @Override
  public List<GuestRecord> listGuests(String domain) {
    Objects.requireNonNull(domain, "domain");
    AccessChecks.domain(domain);
    return transactions.read(
        "list guests",
        c ->
            Sql.list(
                c,
                "SELECT " + GUEST_COLUMNS + " FROM guests WHERE domain = ? ORDER BY username",
                AccessRows::guest,
                domain));
  }

  @Override
  public List<GatewayRecord> listGatewaysAsGuest(String username) {
    Objects.requireNonNull(username, "username");
    RecordChecks.username(username);
    return transactions.read(
        "list gateways as guest",
        c ->
            Sql.list(
                c,
                "SELECT "
                    + qualified("g.", GATEWAY_COLUMNS)
                    + " FROM guests x JOIN gateways g ON g.domain = x.domain"
                    + " WHERE x.username = ? ORDER BY x.invited_at, x.domain",
                RecordRows::gateway,
                username));
  }

  // ---------------------------------------------------------------- requests

  @Override
  public RequestOutcome findOrCreateRequest(
      String domain,
      String username,
      UUID instance,
      BigInteger serial,
      String certificatePem,
      String friendlyName,
      Instant at) {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(friendlyName, "friendlyName");
    Objects.requireNonNull(at, "at");
    AccessChecks.domain(domain);
    RecordChecks.username(username);
    RecordChecks.serial(serial);
    AccessChecks.certificatePem(certificatePem);
    AccessChecks.friendlyName(friendlyName);
    long createdAt = AccessChecks.millis(at, "at");
    return transactions.write(
        "find or create access request",
        c -> {
          requireLiveCertificate(c, serial, username, instance);
          String owner =
              channels
                  .lockGateway(c, domain)
                  .orElseThrow(() -> new StoreConflictException("no such gateway: " + domain));
          // Under the gateway's lock: removeGuest and every other creator for this gateway wait.
          if (!owner.equals(username)
              && !Sql.exists(
                  c,
                  "SELECT username FROM guests WHERE domain = ? AND username = ?",
                  domain,
                  username)) {
            throw new StoreConflictException(
                "gateway " + domain + " is not joinable for " + username);
          }
          Optional<AccessRequest> live =
              Sql.one(
                  c,
                  "SELECT "
                      + REQUEST_COLUMNS
                      + " FROM access_requests r"
                      + " WHERE r.domain = ? AND r.username = ? AND r.instance = ?"
                      + " AND r.status IN ('pending', 'approved')",
                  AccessRows::request,
                  domain,
                  username,
                  instance.toString());
          if (live.isPresent()) {
            return new RequestOutcome(live.get(), false);
          }
          long id;
          try (PreparedStatement insert = c.prepareStatement(REQUEST_INSERT)) {
            insert.setString(1, domain);
            insert.setString(2, username);
            insert.setString(3, instance.toString());
            insert.setString(4, RecordRows.serial(serial));
            insert.setString(5, certificatePem);
            insert.setString(6, friendlyName);
            insert.setLong(7, createdAt);
            try (ResultSet rows = insert.executeQuery()) {
              if (!rows.next()) {
                throw new SQLException("the request insert returned no id");
              }
              id = rows.getLong(1);
            }
          }
          channels.append(c, domain, ChannelItem.Kind.NEW, id);
          return new RequestOutcome(
              Channels.request(c, id)
                  .orElseThrow(() -> new SQLException("request vanished: " + id)),
              true);
        });
  }

  @Override
  public Optional<AccessRequest> findRequest(long id) {
    return transactions.read("find access request", c -> Channels.request(c, id));
  }

  @Override
  public Optional<AccessRequest> latestRequest(String domain, String username, UUID instance) {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(instance, "instance");
    AccessChecks.domain(domain);
    RecordChecks.username(username);
    return transactions.read(
        "find latest access request",
        c ->
            Sql.one(
                c,
                "SELECT "
                    + REQUEST_COLUMNS
                    + " FROM access_requests r"
                    + " WHERE r.domain = ? AND r.username = ? AND r.instance = ?"
                    + " ORDER BY r.id DESC LIMIT 1",
                AccessRows::request,
                domain,
                username,
                instance.toString()));
  }

  @Override
  public Optional<AccessRequest> approve(long id, ApprovedAccount account, Instant at) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(at, "at");
    AccessChecks.account(account);
    long decidedAt = AccessChecks.millis(at, "at");
    return transactions.write(
        "approve access request",
        c -> {
          int changed =
              Sql.update(
                  c,
                  "UPDATE access_requests SET status = 'approved', sip_username = ?,"
                      + " encrypted_password = ?, gruu = ?, decided_at = ?"
                      + " WHERE id = ? AND status = 'pending'",
                  account.sipUsername(),
                  account.encryptedPassword(),
                  account.gruu(),
                  decidedAt,
                  id);
          return changed == 1 ? Channels.request(c, id) : Optional.empty();
        });
  }

  @Override
  public Optional<AccessRequest> deny(long id, Instant at) {
    Objects.requireNonNull(at, "at");
    long decidedAt = AccessChecks.millis(at, "at");
    return transactions.write(
        "deny access request",
        c -> {
          int changed =
              Sql.update(
                  c,
                  "UPDATE access_requests SET status = 'denied', decided_at = ?"
                      + " WHERE id = ? AND status = 'pending'",
                  decidedAt,
                  id);
          return changed == 1 ? Channels.request(c, id) : Optional.empty();
        });
  }

  @Override
  public Optional<AccessRequest> voidAtGateway(long id, Instant at) {
    Objects.requireNonNull(at, "at");
    long decidedAt = AccessChecks.millis(at, "at");
    return transactions.write(
        "void access request at its gateway",
        c -> {
          int changed =
              Sql.update(
                  c,
                  "UPDATE access_requests SET status = 'void', sip_username = NULL,"
                      + " encrypted_password = NULL, gruu = NULL, decided_at = ?"
                      + " WHERE id = ? AND status IN ('pending', 'approved')",
                  decidedAt,
                  id);
          return changed == 1 ? Channels.request(c, id) : Optional.empty();
        });
  }

  @Override
  public List<AccessRequest> voidRequestsOf(BigInteger serial, Instant at) {
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(at, "at");
    RecordChecks.serial(serial);
    AccessChecks.millis(at, "at");
    return transactions.write(
        "void access requests",
        c -> channels.voidPendingEverywhere(c, "serial = ?", RecordRows.serial(serial), at));
  }

  @Override
  public boolean hasApprovedAccount(String domain, String username) {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(username, "username");
    AccessChecks.domain(domain);
    RecordChecks.username(username);
    return transactions.read(
        "check approved account",
        c ->
            Sql.exists(
                c,
                "SELECT id FROM access_requests WHERE username = ? AND domain = ?"
                    + " AND status = 'approved' LIMIT 1",
                username,
                domain));
  }

  // ---------------------------------------------------------------- channel

  @Override
  public List<ChannelItem> channelAfter(String domain, long cursor, int limit) {
    Objects.requireNonNull(domain, "domain");
    AccessChecks.domain(domain);
    AccessChecks.cursor(cursor);
    AccessChecks.limit(limit);
    return transactions.read(
        "read channel",
        c ->
            Sql.list(
                c,
                "SELECT i.seq, i.kind AS item_kind, "
                    + REQUEST_COLUMNS
                    + " FROM channel_items i JOIN access_requests r ON r.id = i.request_id"
                    + " WHERE i.domain = ? AND i.seq > ? ORDER BY i.seq LIMIT ?",
                AccessRows::channelItem,
                domain,
                cursor,
                limit));
  }

  @Override
  public long channelHead(String domain) {
    Objects.requireNonNull(domain, "domain");
    AccessChecks.domain(domain);
    return transactions.read("read channel head", c -> counter(c, "channel_seq", domain));
  }

  // ---------------------------------------------------------------- events

  @Override
  public int appendEvents(String domain, List<NewEvent> events, Instant receivedAt) {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(receivedAt, "receivedAt");
    AccessChecks.domain(domain);
    List<NewEvent> batch = List.copyOf(events);
    AccessChecks.events(batch);
    long received = AccessChecks.millis(receivedAt, "receivedAt");
    Map<String, NewEvent> firstOfEachId = new LinkedHashMap<>();
    for (NewEvent event : batch) {
      firstOfEachId.putIfAbsent(event.eventId(), event);
    }
    return transactions.write(
        "append events",
        c -> {
          // The gateway's lock orders appends of this gateway: no id can be stored meanwhile.
          long seq =
              Sql.one(
                      c,
                      "SELECT event_seq FROM gateways WHERE domain = ?" + backend.forNoKeyUpdate(),
                      row -> Sql.getLong(row, "event_seq"),
                      domain)
                  .orElseThrow(() -> new StoreConflictException("no such gateway: " + domain));
          Set<String> stored = storedIds(c, domain, firstOfEachId.keySet());
          int added = 0;
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO events (" + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (NewEvent event : firstOfEachId.values()) {
              if (stored.contains(event.eventId())) {
                continue;
              }
              seq++;
              added++;
              insert.setString(1, domain);
              insert.setLong(2, seq);
              insert.setString(3, event.eventId());
              insert.setString(4, event.kind());
              insert.setLong(5, event.occurredAt().toEpochMilli());
              insert.setString(6, event.payloadJson());
              insert.setLong(7, received);
              insert.addBatch();
            }
            if (added > 0) {
              // One round trip for the batch (pgjdbc sends the statements together).
              insert.executeBatch();
            }
          }
          if (added > 0) {
            Sql.update(c, "UPDATE gateways SET event_seq = ? WHERE domain = ?", seq, domain);
          }
          return added;
        });
  }

  @Override
  public List<StoredEvent> eventsAfter(String domain, long afterSeq, int limit) {
    Objects.requireNonNull(domain, "domain");
    AccessChecks.domain(domain);
    AccessChecks.cursor(afterSeq);
    AccessChecks.limit(limit);
    return transactions.read(
        "read events",
        c ->
            Sql.list(
                c,
                "SELECT "
                    + EVENT_COLUMNS
                    + " FROM events WHERE domain = ? AND seq > ? ORDER BY seq LIMIT ?",
                AccessRows::event,
                domain,
                afterSeq,
                limit));
  }

  @Override
  public long eventHead(String domain) {
    Objects.requireNonNull(domain, "domain");
    AccessChecks.domain(domain);
    return transactions.read("read event head", c -> counter(c, "event_seq", domain));
  }

  // ---------------------------------------------------------------- helpers

  /** The owner of the gateway; a conflict if there is no such gateway. */
  private static String owner(Connection c, String domain) throws SQLException {
    return Sql.one(
            c, "SELECT owner FROM gateways WHERE domain = ?", row -> row.getString("owner"), domain)
        .orElseThrow(() -> new StoreConflictException("no such gateway: " + domain));
  }

  /**
   * Fails unless the serial is a live app certificate of this user and device instance, and keeps
   * it from being revoked until this transaction ends (a revocation then waits, and the voiding
   * that follows it sees the request).
   */
  private void requireLiveCertificate(
      Connection c, BigInteger serial, String username, UUID instance) throws SQLException {
    String hex = RecordRows.serial(serial);
    Holder holder =
        Sql.one(
                c,
                "SELECT kind, owner, instance, revoked_at FROM certificates WHERE serial = ?"
                    + backend.forShare(),
                row ->
                    new Holder(
                        row.getString("kind"),
                        row.getString("owner"),
                        row.getString("instance"),
                        row.getObject("revoked_at") != null),
                hex)
            .orElseThrow(() -> new StoreConflictException("no such certificate: " + hex));
    if (!"app".equals(holder.kind())
        || !username.equals(holder.owner())
        || !instance.toString().equals(holder.instance())) {
      throw new StoreConflictException(
          "certificate " + hex + " is not the app certificate of " + username + "'s device");
    }
    if (holder.revoked()) {
      throw new StoreConflictException("certificate " + hex + " is revoked");
    }
  }

  /** Who a certificate was issued to, as far as a request needs to know. */
  private record Holder(String kind, String owner, String instance, boolean revoked) {}

  private static Set<String> storedIds(Connection c, String domain, Set<String> ids)
      throws SQLException {
    String marks = String.join(", ", Collections.nCopies(ids.size(), "?"));
    List<Object> parameters = new ArrayList<>();
    parameters.add(domain);
    parameters.addAll(ids);
    return new HashSet<>(
        Sql.list(
            c,
            "SELECT event_id FROM events WHERE domain = ? AND event_id IN (" + marks + ")",
            row -> row.getString("event_id"),
            parameters.toArray()));
  }

  private static long counter(Connection c, String column, String domain) throws SQLException {
    return Sql.one(
            c,
            "SELECT " + column + " FROM gateways WHERE domain = ?",
            row -> Sql.getLong(row, column),
            domain)
        .orElse(0L);
  }

  /** The comma-separated columns, each with the table alias prefix. */
  private static String qualified(String prefix, String columns) {
    StringBuilder result = new StringBuilder();
    for (String column : columns.split(",")) {
      if (result.length() > 0) {
        result.append(", ");
      }
      result.append(prefix).append(column.strip());
    }
    return result.toString();
  }
}
