package io.doorpair.portal.store.jdbc;

import io.doorpair.portal.store.CertificateRecord;
import io.doorpair.portal.store.GatewayRecord;
import io.doorpair.portal.store.Revocation;
import io.doorpair.portal.store.UserRecord;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * How records map to columns: serials as lowercase hex text without leading zeros, instants as UTC
 * epoch milliseconds, kinds as {@code app}/{@code gateway}, instances as UUID text.
 */
final class RecordRows {

  static final String USER_COLUMNS = "username, ha1_sha256, ha1_md5, created_at";
  static final String GATEWAY_COLUMNS = "domain, owner, friendly_name, paired_at";
  static final String CERTIFICATE_COLUMNS =
      "serial, kind, owner, common_name, gateway_domain, instance, friendly_name, pem,"
          + " not_before, not_after, issued_at, revoked_at, revoke_reason, renewed_from";

  private RecordRows() {}

  static String serial(BigInteger serial) {
    return serial.toString(16);
  }

  static BigInteger serial(String hex) {
    return new BigInteger(hex, 16);
  }

  static String kind(CertificateRecord.Kind kind) {
    return EnumColumns.text(kind);
  }

  static CertificateRecord.Kind kind(String text) throws SQLException {
    return EnumColumns.value(CertificateRecord.Kind.class, text, "certificate kind");
  }

  static UserRecord user(ResultSet row) throws SQLException {
    return new UserRecord(
        row.getString("username"),
        row.getString("ha1_sha256"),
        row.getString("ha1_md5"),
        instant(row, "created_at"));
  }

  static GatewayRecord gateway(ResultSet row) throws SQLException {
    return new GatewayRecord(
        row.getString("domain"),
        row.getString("owner"),
        row.getString("friendly_name"),
        instant(row, "paired_at"));
  }

  static CertificateRecord certificate(ResultSet row) throws SQLException {
    return new CertificateRecord(
        serial(row.getString("serial")),
        kind(row.getString("kind")),
        row.getString("owner"),
        row.getString("common_name"),
        Optional.ofNullable(row.getString("gateway_domain")),
        Optional.ofNullable(row.getString("instance")).map(UUID::fromString),
        row.getString("friendly_name"),
        row.getString("pem"),
        instant(row, "not_before"),
        instant(row, "not_after"),
        instant(row, "issued_at"),
        optionalInstant(row, "revoked_at"),
        Optional.ofNullable(row.getString("renewed_from")).map(RecordRows::serial));
  }

  static Revocation revocation(ResultSet row) throws SQLException {
    return new Revocation(
        serial(row.getString("serial")),
        instant(row, "revoked_at"),
        row.getString("revoke_reason"));
  }

  /** Binds every certificate column, in {@link #CERTIFICATE_COLUMNS} order, from index 1. */
  static void bindCertificate(PreparedStatement insert, CertificateRecord c) throws SQLException {
    insert.setString(1, serial(c.serial()));
    insert.setString(2, kind(c.kind()));
    insert.setString(3, c.owner());
    insert.setString(4, c.commonName());
    bindOptional(insert, 5, c.gatewayDomain());
    bindOptional(insert, 6, c.instance().map(UUID::toString));
    insert.setString(7, c.friendlyName());
    insert.setString(8, c.pem());
    insert.setLong(9, c.notBefore().toEpochMilli());
    insert.setLong(10, c.notAfter().toEpochMilli());
    insert.setLong(11, c.issuedAt().toEpochMilli());
    insert.setNull(12, Types.BIGINT);
    insert.setNull(13, Types.VARCHAR);
    bindOptional(insert, 14, c.renewedFrom().map(RecordRows::serial));
  }

  private static void bindOptional(PreparedStatement statement, int index, Optional<String> value)
      throws SQLException {
    if (value.isPresent()) {
      statement.setString(index, value.get());
    } else {
      statement.setNull(index, Types.VARCHAR);
    }
  }

  private static Instant instant(ResultSet row, String column) throws SQLException {
    long millis = row.getLong(column);
    if (row.wasNull()) {
      throw new SQLException("unexpected NULL in column " + column);
    }
    return Instant.ofEpochMilli(millis);
  }

  private static Optional<Instant> optionalInstant(ResultSet row, String column)
      throws SQLException {
    long millis = row.getLong(column);
    return row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }
}
