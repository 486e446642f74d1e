package io.doorpair.portal.store.jdbc;

import static io.doorpair.portal.store.jdbc.RecordRows.CERTIFICATE_COLUMNS;
import static io.doorpair.portal.store.jdbc.RecordRows.GATEWAY_COLUMNS;
import static io.doorpair.portal.store.jdbc.RecordRows.USER_COLUMNS;

import io.doorpair.portal.store.AccessRequest;
import io.doorpair.portal.store.ApprovedAccount;
import io.doorpair.portal.store.CertificateRecord;
import io.doorpair.portal.store.ChannelItem;
import io.doorpair.portal.store.DomainTakenException;
import io.doorpair.portal.store.GatewayRecord;
import io.doorpair.portal.store.GuestRecord;
import io.doorpair.portal.store.NewEvent;
import io.doorpair.portal.store.PortalStore;
import io.doorpair.portal.store.Revocation;
import io.doorpair.portal.store.StoreConflictException;
import io.doorpair.portal.store.StoreException;
import io.doorpair.portal.store.StoredEvent;
import io.doorpair.portal.store.UserRecord;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The portal store in portable SQL over a {@link Backend}. Every public method is one transaction
 * of the backend; SQL failures become {@link StoreException}, unique violations the conflict the
 * statement stands for.
 */
final class JdbcPortalStore implements PortalStore {

  static final String USER_DELETED = "user_deleted";

  private static final String INSERT_CERTIFICATE =
      "INSERT INTO certificates ("
          + CERTIFICATE_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final Backend backend;
  private final Transactions transactions;
  private final Channels channels;
  private final JdbcAccessStore access;

  JdbcPortalStore(Backend backend) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.transactions = new Transactions(backend);
    this.channels = new Channels(backend);
    this.access = new JdbcAccessStore(transactions);
  }

  @Override
  public void createUser(UserRecord user) {
    Objects.requireNonNull(user, "user");
    RecordChecks.user(user);
    write(
        "create user",
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement("INSERT INTO users (" + USER_COLUMNS + ") VALUES (?, ?, ?, ?)")) {
            insert.setString(1, user.username());
            insert.setString(2, user.ha1Sha256());
            insert.setString(3, user.ha1Md5());
            insert.setLong(4, user.createdAt().toEpochMilli());
            insertOnce(insert, () -> new StoreConflictException("user exists: " + user.username()));
          }
          if (ownsRecords(c, user.username())) {
            throw new StoreConflictException(
                "username "
                    + user.username()
                    + " belonged to a deleted user whose gateways or certificates are still on"
                    + " record; choose another username");
          }
          return null;
        });
  }

  @Override
  public boolean updateUserHa1(String username, String ha1Sha256, String ha1Md5) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(ha1Sha256, "ha1Sha256");
    Objects.requireNonNull(ha1Md5, "ha1Md5");
    RecordChecks.ha1(ha1Sha256, ha1Md5);
    return write(
        "update user",
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE users SET ha1_sha256 = ?, ha1_md5 = ? WHERE username = ?")) {
            update.setString(1, ha1Sha256);
            update.setString(2, ha1Md5);
            update.setString(3, username);
            return update.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean deleteUser(String username, Instant at) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(at, "at");
    return write(
        "delete user",
        c -> {
          // The user row goes first: it waits for any transaction that is recording a
          // certificate for this user (they hold a shared lock on the row), so the revocation
          // below sees their certificates.
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM users WHERE username = ?")) {
            delete.setString(1, username);
            if (delete.executeUpdate() == 0) {
              return false;
            }
          }
          try (PreparedStatement revoke =
              c.prepareStatement(
                  "UPDATE certificates SET revoked_at = ?, revoke_reason = ?"
                      + " WHERE owner = ? AND revoked_at IS NULL")) {
            revoke.setLong(1, at.toEpochMilli());
            revoke.setString(2, USER_DELETED);
            revoke.setString(3, username);
            revoke.executeUpdate();
          }
          // Their guest invitations went with the user row (ON DELETE CASCADE). With their
          // certificates revoked (and locked), no new request of theirs can appear: void the
          // pending ones, gateway by gateway.
          channels.voidPendingEverywhere(c, "username = ?", username, at);
          return true;
        });
  }

  @Override
  public Optional<UserRecord> findUser(String username) {
    Objects.requireNonNull(username, "username");
    return read(
        "find user",
        c ->
            queryOne(
                c,
                "SELECT " + USER_COLUMNS + " FROM users WHERE username = ?",
                username,
                RecordRows::user));
  }

  @Override
  public List<UserRecord> listUsers() {
    return read(
        "list users",
        c ->
            queryList(
                c, "SELECT " + USER_COLUMNS + " FROM users ORDER BY username", RecordRows::user));
  }

  @Override
  public void recordGatewayPairing(GatewayRecord gateway, CertificateRecord certificate) {
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(certificate, "certificate");
    RecordChecks.gatewayPairing(gateway, certificate);
    write(
        "record gateway pairing",
        c -> {
          requireUser(c, gateway.owner());
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO gateways (" + GATEWAY_COLUMNS + ") VALUES (?, ?, ?, ?)")) {
            insert.setString(1, gateway.domain());
            insert.setString(2, gateway.owner());
            insert.setString(3, gateway.friendlyName());
            insert.setLong(4, gateway.pairedAt().toEpochMilli());
            insertOnce(insert, () -> new DomainTakenException(gateway.domain()));
          }
          insertCertificate(c, certificate);
          return null;
        });
  }

  @Override
  public void recordCertificate(CertificateRecord certificate) {
    Objects.requireNonNull(certificate, "certificate");
    RecordChecks.appCertificate(certificate);
    write(
        "record certificate",
        c -> {
          requireUser(c, certificate.owner());
          insertCertificate(c, certificate);
          return null;
        });
  }

  @Override
  public void recordRenewal(BigInteger oldSerial, CertificateRecord renewed) {
    Objects.requireNonNull(oldSerial, "oldSerial");
    Objects.requireNonNull(renewed, "renewed");
    RecordChecks.renewal(oldSerial, renewed);
    CertificateRecord linked =
        new CertificateRecord(
            renewed.serial(),
            renewed.kind(),
            renewed.owner(),
            renewed.commonName(),
            renewed.gatewayDomain(),
            renewed.instance(),
            renewed.friendlyName(),
            renewed.pem(),
            renewed.notBefore(),
            renewed.notAfter(),
            renewed.issuedAt(),
            Optional.empty(),
            Optional.of(oldSerial));
    write(
        "record renewal",
        c -> {
          requireUser(c, renewed.owner());
          // Locks the old row, so a revocation of it either commits first (and is seen here) or
          // waits for this renewal (and then may revoke the new certificate too).
          CertificateRecord old =
              queryOne(
                      c,
                      "SELECT "
                          + CERTIFICATE_COLUMNS
                          + " FROM certificates WHERE serial = ?"
                          + backend.forUpdate(),
                      RecordRows.serial(oldSerial),
                      RecordRows::certificate)
                  .orElseThrow(
                      () ->
                          new StoreConflictException(
                              "no such certificate to renew: " + RecordRows.serial(oldSerial)));
          if (old.revoked()) {
            throw new StoreConflictException(
                "certificate "
                    + RecordRows.serial(oldSerial)
                    + " is revoked: it cannot be renewed");
          }
          RecordChecks.renewalOf(old, linked);
          insertCertificate(c, linked);
          return null;
        });
  }

  @Override
  public Optional<CertificateRecord> findCertificate(BigInteger serial) {
    Objects.requireNonNull(serial, "serial");
    return read(
        "find certificate",
        c ->
            queryOne(
                c,
                "SELECT " + CERTIFICATE_COLUMNS + " FROM certificates WHERE serial = ?",
                RecordRows.serial(serial),
                RecordRows::certificate));
  }

  @Override
  public List<CertificateRecord> listCertificatesOf(String owner) {
    Objects.requireNonNull(owner, "owner");
    return read(
        "list certificates",
        c ->
            queryList(
                c,
                "SELECT "
                    + CERTIFICATE_COLUMNS
                    + " FROM certificates WHERE owner = ? ORDER BY issued_at DESC, serial DESC",
                owner,
                RecordRows::certificate));
  }

  @Override
  public Optional<GatewayRecord> findGateway(String domain) {
    Objects.requireNonNull(domain, "domain");
    return read(
        "find gateway",
        c ->
            queryOne(
                c,
                "SELECT " + GATEWAY_COLUMNS + " FROM gateways WHERE domain = ?",
                domain,
                RecordRows::gateway));
  }

  @Override
  public List<GatewayRecord> listGatewaysOf(String owner) {
    Objects.requireNonNull(owner, "owner");
    return read(
        "list gateways",
        c ->
            queryList(
                c,
                "SELECT "
                    + GATEWAY_COLUMNS
                    + " FROM gateways WHERE owner = ? ORDER BY paired_at, domain",
                owner,
                RecordRows::gateway));
  }

  @Override
  public boolean revoke(BigInteger serial, Instant at, String reason) {
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(reason, "reason");
    RecordChecks.reason(reason);
    return write(
        "revoke certificate",
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE certificates SET revoked_at = ?, revoke_reason = ?"
                      + " WHERE serial = ? AND revoked_at IS NULL")) {
            update.setLong(1, at.toEpochMilli());
            update.setString(2, reason);
            update.setString(3, RecordRows.serial(serial));
            return update.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean isRevoked(BigInteger serial) {
    Objects.requireNonNull(serial, "serial");
    return read(
            "check revocation",
            c ->
                queryOne(
                    c,
                    "SELECT serial FROM certificates WHERE serial = ? AND revoked_at IS NOT NULL",
                    RecordRows.serial(serial),
                    row -> Boolean.TRUE))
        .isPresent();
  }

  @Override
  public List<Revocation> revocations() {
    return read(
        "list revocations",
        c ->
            queryList(
                c,
                "SELECT serial, revoked_at, revoke_reason FROM certificates"
                    + " WHERE revoked_at IS NOT NULL ORDER BY revoked_at, serial",
                RecordRows::revocation));
  }

  // ---------------------------------------------------------------- access flow

  @Override
  public boolean addGuest(GuestRecord guest) {
    return access.addGuest(guest);
  }

  @Override
  public Optional<List<AccessRequest>> removeGuest(String domain, String username, Instant at) {
    return access.removeGuest(domain, username, at);
  }

  @Override
  public List<GuestRecord> listGuests(String domain) {
    return access.listGuests(domain);
  }

  @Override
  public List<GatewayRecord> listGatewaysAsGuest(String username) {
    return access.listGatewaysAsGuest(username);
  }

  @Override
  public RequestOutcome findOrCreateRequest(
      String domain,
      String username,
      UUID instance,
      BigInteger serial,
      String certificatePem,
      String friendlyName,
      Instant at) {
    return access.findOrCreateRequest(
        domain, username, instance, serial, certificatePem, friendlyName, at);
  }

  @Override
  public Optional<AccessRequest> findRequest(long id) {
    return access.findRequest(id);
  }

  @Override
  public Optional<AccessRequest> latestRequest(String domain, String username, UUID instance) {
    return access.latestRequest(domain, username, instance);
  }

  @Override
  public Optional<AccessRequest> approve(long id, ApprovedAccount account, Instant at) {
    return access.approve(id, account, at);
  }

  @Override
  public Optional<AccessRequest> deny(long id, Instant at) {
    return access.deny(id, at);
  }

  @Override
  public Optional<AccessRequest> voidAtGateway(long id, Instant at) {
    return access.voidAtGateway(id, at);
  }

  @Override
  public List<AccessRequest> voidRequestsOf(BigInteger serial, Instant at) {
    return access.voidRequestsOf(serial, at);
  }

  @Override
  public List<ChannelItem> channelAfter(String domain, long cursor, int limit) {
    return access.channelAfter(domain, cursor, limit);
  }

  @Override
  public long channelHead(String domain) {
    return access.channelHead(domain);
  }

  @Override
  public int appendEvents(String domain, List<NewEvent> events, Instant receivedAt) {
    return access.appendEvents(domain, events, receivedAt);
  }

  @Override
  public List<StoredEvent> eventsAfter(String domain, long afterSeq, int limit) {
    return access.eventsAfter(domain, afterSeq, limit);
  }

  @Override
  public long eventHead(String domain) {
    return access.eventHead(domain);
  }

  @Override
  public boolean hasApprovedAccount(String domain, String username) {
    return access.hasApprovedAccount(domain, username);
  }

  @Override
  public void close() {
    transactions.close();
  }

  /**
   * Fails unless the user exists, and keeps them from being deleted until this transaction ends.
   */
  private void requireUser(Connection c, String username) throws SQLException {
    if (queryOne(
            c,
            "SELECT username FROM users WHERE username = ?" + backend.forShare(),
            username,
            row -> Boolean.TRUE)
        .isEmpty()) {
      throw new StoreConflictException("no such user: " + username);
    }
  }

  private static boolean ownsRecords(Connection c, String username) throws SQLException {
    String sql =
        "SELECT 1 FROM gateways WHERE owner = ?"
            + " UNION ALL SELECT 1 FROM certificates WHERE owner = ?";
    try (PreparedStatement query = c.prepareStatement(sql)) {
      query.setString(1, username);
      query.setString(2, username);
      query.setMaxRows(1);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  private void insertCertificate(Connection c, CertificateRecord certificate) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(INSERT_CERTIFICATE)) {
      RecordRows.bindCertificate(insert, certificate);
      insertOnce(
          insert,
          () ->
              new StoreConflictException(
                  "certificate serial already recorded: "
                      + RecordRows.serial(certificate.serial())));
    }
  }

  /** Runs an insert; a unique violation becomes the given conflict (the caller rolls back). */
  private void insertOnce(PreparedStatement insert, Supplier<StoreConflictException> conflict)
      throws SQLException {
    try {
      insert.executeUpdate();
    } catch (SQLException e) {
      if (backend.isUniqueViolation(e)) {
        StoreConflictException refused = conflict.get();
        refused.initCause(e);
        throw refused;
      }
      throw e;
    }
  }

  /** A row mapper. */
  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  private static <T> Optional<T> queryOne(
      Connection c, String sql, String parameter, RowMapper<T> mapper) throws SQLException {
    try (PreparedStatement query = c.prepareStatement(sql)) {
      query.setString(1, parameter);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(mapper.map(rows)) : Optional.empty();
      }
    }
  }

  private static <T> List<T> queryList(
      Connection c, String sql, String parameter, RowMapper<T> mapper) throws SQLException {
    try (PreparedStatement query = c.prepareStatement(sql)) {
      query.setString(1, parameter);
      return collect(query, mapper);
    }
  }

  private static <T> List<T> queryList(Connection c, String sql, RowMapper<T> mapper)
      throws SQLException {
    try (PreparedStatement query = c.prepareStatement(sql)) {
      return collect(query, mapper);
    }
  }

  private static <T> List<T> collect(PreparedStatement query, RowMapper<T> mapper)
      throws SQLException {
    List<T> result = new ArrayList<>();
    try (ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        result.add(mapper.map(rows));
      }
    }
    return List.copyOf(result);
  }

  private <T> T write(String operation, SqlWork<T> work) {
    return transactions.write(operation, work);
  }

  private <T> T read(String operation, SqlWork<T> work) {
    return transactions.read(operation, work);
  }
}
