package io.doorpair.welcome.sip;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;

/**
 * Capped exponential backoff with jitter between registration attempts: the wait before retry
 * {@code n} (0 first) is drawn uniformly from {@code [d/2, d]} where {@code d = min(cap, base *
 * 2^n)}, so that phones cut off by the same portal restart do not all come back at once.
 *
 * @param base the wait before the first retry (before jitter), positive
 * @param cap the longest wait, at least {@code base}
 */
public record Backoff(Duration base, Duration cap) {
  /** 1 s doubling up to 60 s. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

  /** Checks {@code 0 < base <= cap}. */
  public Backoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < base <= cap");
    }
  }

  /**
   * The wait before retry {@code attempt}.
   *
   * @param attempt 0 for the first retry after a loss or failure
   * @param random the jitter source
   * @return a wait in {@code [d/2, d]}, {@code d = min(cap, base * 2^attempt)}
   */
  public Duration delay(int attempt, SecureRandom random) {
    long capMillis = cap.toMillis();
    long millis = base.toMillis();
    for (int i = 0; i < attempt && millis < capMillis; i++) {
      millis *= 2;
    }
    millis = Math.min(millis, capMillis);
    long half = millis / 2;
    return Duration.ofMillis(half + (long) (random.nextDouble() * (millis - half + 1)));
  }
}
