package io.doorpair.portal.testing;

import io.doorpair.portal.store.CertificateRecord;
import io.doorpair.portal.store.GatewayRecord;
import io.doorpair.portal.store.UserRecord;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds valid store records for tests: users with made-up HA1 values, gateways with random
 * domains, app and gateway certificates with random serials (the PEM is a placeholder, the store
 * does not parse it).
 */
public final class StoreRecords {

  /** A fixed instant with whole milliseconds, the store's precision. */
  public static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  /** The portal SIP domain used in common names. */
  public static final String PORTAL_DOMAIN = "portal.example.com";

  private static final String DOMAIN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final Duration VALIDITY = Duration.ofDays(365);

  private final SecureRandom random;

  public StoreRecords() {
    this(new SecureRandom());
  }

  public StoreRecords(SecureRandom random) {
    this.random = random;
  }

  /** A user whose HA1 values are digests of the username and {@code password}. */
  public static UserRecord user(String username, Instant createdAt) {
    return user(username, "password", createdAt);
  }

  /** A user whose HA1 values are {@code H(username:portal:password)}. */
  public static UserRecord user(String username, String password, Instant createdAt) {
    String a1 = username + ":" + PORTAL_DOMAIN + ":" + password;
    return new UserRecord(username, hex("SHA-256", a1), hex("MD5", a1), createdAt);
  }

  /** Lowercase hex of a digest of the text (for made-up HA1 values). */
  public static String hex(String algorithm, String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A random positive serial of 127 to 128 bits. */
  public BigInteger serial() {
    return new BigInteger(128, random).setBit(126);
  }

  /** A random gateway DOMAIN: 12 characters of {@code [a-z0-9]}. */
  public String domain() {
    StringBuilder domain = new StringBuilder(12);
    for (int i = 0; i < 12; i++) {
      domain.append(DOMAIN_ALPHABET.charAt(random.nextInt(DOMAIN_ALPHABET.length())));
    }
    return domain.toString();
  }

  public static GatewayRecord gateway(String domain, String owner, Instant pairedAt) {
    return new GatewayRecord(domain, owner, "Front door " + domain, pairedAt);
  }

  /** A live app certificate with a random serial and device instance. */
  public CertificateRecord appCertificate(String owner, Instant issuedAt) {
    return appCertificate(serial(), owner, issuedAt);
  }

  public CertificateRecord appCertificate(BigInteger serial, String owner, Instant issuedAt) {
    return new CertificateRecord(
        serial,
        CertificateRecord.Kind.APP,
        owner,
        owner + "@" + PORTAL_DOMAIN,
        Optional.empty(),
        Optional.of(new UUID(random.nextLong(), random.nextLong())),
        "Phone of " + owner,
        pem(serial),
        issuedAt.minus(Duration.ofMinutes(5)),
        issuedAt.plus(VALIDITY),
        issuedAt,
        Optional.empty(),
        Optional.empty());
  }

  /** The live first certificate of a gateway, with a random serial. */
  public CertificateRecord gatewayCertificate(GatewayRecord gateway) {
    return gatewayCertificate(serial(), gateway);
  }

  public static CertificateRecord gatewayCertificate(BigInteger serial, GatewayRecord gateway) {
    return new CertificateRecord(
        serial,
        CertificateRecord.Kind.GATEWAY,
        gateway.owner(),
        "ipgw@" + gateway.domain(),
        Optional.of(gateway.domain()),
        Optional.empty(),
        gateway.friendlyName(),
        pem(serial),
        gateway.pairedAt().minus(Duration.ofMinutes(5)),
        gateway.pairedAt().plus(VALIDITY),
        gateway.pairedAt(),
        Optional.empty(),
        Optional.empty());
  }

  /** The renewal of {@code old}: same identity, new serial and validity, linked to the old one. */
  public CertificateRecord renewalOf(CertificateRecord old, Instant issuedAt) {
    BigInteger serial = serial();
    return new CertificateRecord(
        serial,
        old.kind(),
        old.owner(),
        old.commonName(),
        old.gatewayDomain(),
        old.instance(),
        old.friendlyName(),
        pem(serial),
        issuedAt.minus(Duration.ofMinutes(5)),
        issuedAt.plus(VALIDITY),
        issuedAt,
        Optional.empty(),
        Optional.of(old.serial()));
  }

  private static String pem(BigInteger serial) {
    return "-----BEGIN CERTIFICATE-----\nplaceholder-"
        + serial.toString(16)
        + "\n-----END CERTIFICATE-----\n";
  }
}
