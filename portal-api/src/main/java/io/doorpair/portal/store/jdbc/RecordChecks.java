package io.doorpair.portal.store.jdbc;

import io.doorpair.portal.store.CertificateRecord;
import io.doorpair.portal.store.GatewayRecord;
import io.doorpair.portal.store.UserRecord;
import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shape rules the store checks before it writes, each failing with an exact {@link
 * IllegalArgumentException} message that never quotes a secret.
 */
final class RecordChecks {

  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern HA1_SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern HA1_MD5 = Pattern.compile("[0-9a-f]{32}");
  private static final int MAX_SERIAL_BITS = 160;
  private static final int MAX_REASON_LENGTH = 64;

  private RecordChecks() {}

  static void user(UserRecord user) {
    username(user.username());
    ha1(user.ha1Sha256(), user.ha1Md5());
  }

  static void username(String username) {
    if (!USERNAME.matcher(username).matches()) {
      throw new IllegalArgumentException("username must match [a-z0-9][a-z0-9._-]{0,63}");
    }
  }

  static void ha1(String ha1Sha256, String ha1Md5) {
    if (!HA1_SHA256.matcher(ha1Sha256).matches()) {
      throw new IllegalArgumentException("ha1Sha256 must be 64 lowercase hex characters");
    }
    if (!HA1_MD5.matcher(ha1Md5).matches()) {
      throw new IllegalArgumentException("ha1Md5 must be 32 lowercase hex characters");
    }
  }

  static void serial(BigInteger serial) {
    if (serial.signum() <= 0 || serial.bitLength() > MAX_SERIAL_BITS) {
      throw new IllegalArgumentException("serial must be positive and at most 20 octets");
    }
  }

  static void reason(String reason) {
    if (reason.isBlank() || reason.length() > MAX_REASON_LENGTH) {
      throw new IllegalArgumentException("revocation reason must be 1-64 characters, not blank");
    }
  }

  static void appCertificate(CertificateRecord c) {
    newCertificate(c);
    require(c.kind() == CertificateRecord.Kind.APP, "recordCertificate takes app certificates");
    require(c.instance().isPresent(), "an app certificate needs a device instance");
    require(c.gatewayDomain().isEmpty(), "an app certificate has no gateway domain");
    require(c.renewedFrom().isEmpty(), "a renewal is recorded with recordRenewal");
  }

  static void gatewayPairing(GatewayRecord gateway, CertificateRecord c) {
    newCertificate(c);
    require(
        c.kind() == CertificateRecord.Kind.GATEWAY,
        "a gateway pairing takes a gateway certificate");
    require(
        c.gatewayDomain().equals(Optional.of(gateway.domain())),
        "the certificate's gateway domain must be the gateway's domain");
    require(
        c.owner().equals(gateway.owner()), "the certificate's owner must be the gateway's owner");
    require(c.instance().isEmpty(), "a gateway certificate has no device instance");
    require(c.renewedFrom().isEmpty(), "a renewal is recorded with recordRenewal");
  }

  /** Checks what can be checked before the old certificate is read. */
  static void renewal(BigInteger oldSerial, CertificateRecord renewed) {
    serial(oldSerial);
    newCertificate(renewed);
    require(!renewed.serial().equals(oldSerial), "a renewal needs a new serial");
    require(
        renewed.renewedFrom().isEmpty() || renewed.renewedFrom().get().equals(oldSerial),
        "renewedFrom must be empty or the old serial");
  }

  /** Checks the renewed certificate against the one it renews. */
  static void renewalOf(CertificateRecord old, CertificateRecord renewed) {
    require(renewed.kind() == old.kind(), "a renewal keeps the certificate's kind");
    require(renewed.owner().equals(old.owner()), "a renewal keeps the certificate's owner");
    require(
        renewed.commonName().equals(old.commonName()),
        "a renewal keeps the certificate's common name");
    require(
        renewed.gatewayDomain().equals(old.gatewayDomain()),
        "a renewal keeps the certificate's gateway domain");
    require(
        renewed.instance().equals(old.instance()),
        "a renewal keeps the certificate's device instance");
  }

  private static void newCertificate(CertificateRecord c) {
    serial(c.serial());
    require(c.revokedAt().isEmpty(), "a new certificate cannot be already revoked");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
