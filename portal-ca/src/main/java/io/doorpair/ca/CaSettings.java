package io.doorpair.ca;

import io.doorpair.crypto.RsaKeys;
import java.time.Duration;
import java.util.Objects;

/**
 * How the portal CA makes keys and certificates.
 *
 * @param keyBits RSA modulus of a new CA key, in bits, 2048 to 4096 (default 3072)
 * @param caValidity lifetime of a new CA certificate (default 20 years: 7305 days)
 * @param clientValidity lifetime of an app or gateway certificate, never past the CA's own (default
 *     2 years: 730 days)
 * @param serverValidity lifetime of a server certificate (default 1 year: 365 days)
 * @param backdate how far before now notBefore is set, for gateways without a real-time clock, 0 to
 *     1 day (default 5 minutes)
 * @param caCommonName CN of a new CA certificate, 1 to 64 printable ASCII characters (default
 *     {@code doorpair portal CA})
 */
public record CaSettings(
    int keyBits,
    Duration caValidity,
    Duration clientValidity,
    Duration serverValidity,
    Duration backdate,
    String caCommonName) {

  /** Default CA key size. */
  public static final int DEFAULT_KEY_BITS = 3072;

  /** Default CA certificate lifetime. */
  public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(7305);

  /** Default client certificate lifetime. */
  public static final Duration DEFAULT_CLIENT_VALIDITY = Duration.ofDays(730);

  /** Default server certificate lifetime. */
  public static final Duration DEFAULT_SERVER_VALIDITY = Duration.ofDays(365);

  /** Default backdating of notBefore. */
  public static final Duration DEFAULT_BACKDATE = Duration.ofMinutes(5);

  /** Default CA common name. */
  public static final String DEFAULT_CA_COMMON_NAME = "doorpair portal CA";

  private static final Duration MAX_BACKDATE = Duration.ofDays(1);

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException if a value is out of range
   */
  public CaSettings {
    Objects.requireNonNull(caValidity, "caValidity");
    Objects.requireNonNull(clientValidity, "clientValidity");
    Objects.requireNonNull(serverValidity, "serverValidity");
    Objects.requireNonNull(backdate, "backdate");
    Objects.requireNonNull(caCommonName, "caCommonName");
    if (keyBits < RsaKeys.MIN_BITS || keyBits > RsaKeys.MAX_BITS) {
      throw new IllegalArgumentException(
          "keyBits must be between "
              + RsaKeys.MIN_BITS
              + " and "
              + RsaKeys.MAX_BITS
              + ": "
              + keyBits);
    }
    requirePositive("caValidity", caValidity);
    requirePositive("clientValidity", clientValidity);
    requirePositive("serverValidity", serverValidity);
    if (clientValidity.compareTo(caValidity) > 0) {
      throw new IllegalArgumentException("clientValidity must not exceed caValidity");
    }
    if (serverValidity.compareTo(caValidity) > 0) {
      throw new IllegalArgumentException("serverValidity must not exceed caValidity");
    }
    if (backdate.isNegative() || backdate.compareTo(MAX_BACKDATE) > 0) {
      throw new IllegalArgumentException("backdate must be between 0 and 1 day: " + backdate);
    }
    if (caCommonName.isEmpty()
        || caCommonName.length() > 64
        || !caCommonName.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
      throw new IllegalArgumentException("caCommonName must be 1 to 64 printable ASCII characters");
    }
  }

  /** The defaults: RSA 3072, CA 20 years, clients 2 years, servers 1 year, backdate 5 minutes. */
  public static CaSettings defaults() {
    return new CaSettings(
        DEFAULT_KEY_BITS,
        DEFAULT_CA_VALIDITY,
        DEFAULT_CLIENT_VALIDITY,
        DEFAULT_SERVER_VALIDITY,
        DEFAULT_BACKDATE,
        DEFAULT_CA_COMMON_NAME);
  }

  /** These settings with another CA key size (tests use 2048 for speed). */
  public CaSettings withKeyBits(int bits) {
    return new CaSettings(bits, caValidity, clientValidity, serverValidity, backdate, caCommonName);
  }

  private static void requirePositive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
