package io.doorpair.portal.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * How the portal runs HTTP Digest.
 *
 * @param realm the realm of the challenges; every stored HA1 was computed with it, so changing it
 *     invalidates every password. Default {@code doorpair}. 1 to 128 printable ASCII characters.
 * @param nonceLifetime how long a nonce is accepted; after that a correct digest gets {@code
 *     stale=true}. Default 5 minutes; from 1 second to 1 day.
 * @param maxFailuresPerUser failed attempts for one username within {@code failureWindow} before
 *     that username is locked out for {@code lockout}. Default 10.
 * @param maxFailuresPerAddress failed attempts from one remote address within {@code failureWindow}
 *     before that address is locked out for {@code lockout}. Default 30.
 * @param failureWindow the window in which failures are counted, from the first one. Default 15
 *     minutes.
 * @param lockout how long a locked username or address gets 429 with this {@code Retry-After}.
 *     Default 15 minutes.
 * @param maxTrackedEntries capacity of each in-memory table (nonce counts, failures per user,
 *     failures per address). Default 100,000.
 */
public record DigestSettings(
    String realm,
    Duration nonceLifetime,
    int maxFailuresPerUser,
    int maxFailuresPerAddress,
    Duration failureWindow,
    Duration lockout,
    int maxTrackedEntries) {

  /** The default realm. */
  public static final String DEFAULT_REALM = "doorpair";

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the first component out of range
   */
  public DigestSettings {
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(nonceLifetime, "nonceLifetime");
    Objects.requireNonNull(failureWindow, "failureWindow");
    Objects.requireNonNull(lockout, "lockout");
    if (realm.isEmpty()
        || realm.length() > 128
        || !realm.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("realm must be 1 to 128 printable ASCII characters");
    }
    if (nonceLifetime.compareTo(Duration.ofSeconds(1)) < 0
        || nonceLifetime.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("nonceLifetime must be from 1 second to 1 day");
    }
    if (maxFailuresPerUser < 1) {
      throw new IllegalArgumentException("maxFailuresPerUser must be at least 1");
    }
    if (maxFailuresPerAddress < 1) {
      throw new IllegalArgumentException("maxFailuresPerAddress must be at least 1");
    }
    if (failureWindow.isNegative() || failureWindow.isZero()) {
      throw new IllegalArgumentException("failureWindow must be positive");
    }
    if (lockout.isNegative() || lockout.isZero()) {
      throw new IllegalArgumentException("lockout must be positive");
    }
    if (maxTrackedEntries < 1) {
      throw new IllegalArgumentException("maxTrackedEntries must be at least 1");
    }
  }

  /**
   * The defaults: realm {@code doorpair}, nonces for 5 minutes, 10 failures per user and 30 per
   * address in 15 minutes, then 15 minutes of lockout, 100,000 entries per table.
   *
   * @return the default settings
   */
  public static DigestSettings defaults() {
    return new DigestSettings(
        DEFAULT_REALM,
        Duration.ofMinutes(5),
        10,
        30,
        Duration.ofMinutes(15),
        Duration.ofMinutes(15),
        100_000);
  }

  /**
   * These settings with another realm.
   *
   * @param newRealm the realm
   * @return a copy
   */
  public DigestSettings withRealm(String newRealm) {
    return new DigestSettings(
        newRealm,
        nonceLifetime,
        maxFailuresPerUser,
        maxFailuresPerAddress,
        failureWindow,
        lockout,
        maxTrackedEntries);
  }
}
