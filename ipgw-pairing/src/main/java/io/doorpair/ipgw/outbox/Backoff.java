package io.doorpair.ipgw.outbox;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff with full jitter for retrying an unreachable portal: the n-th consecutive
 * failure waits a random time up to {@code min(max, initial * 2^n)}; a success resets it.
 */
public final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private final SecureRandom random;
  private int failures;

  /**
   * A backoff.
   *
   * @param initial the first ceiling, positive
   * @param max the largest ceiling, not below {@code initial}
   * @param random the jitter source
   */
  public Backoff(Duration initial, Duration max, SecureRandom random) {
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    if (initialMillis <= 0 || maxMillis < initialMillis) {
      throw new IllegalArgumentException("need 0 < initial <= max");
    }
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Counts a failure.
   *
   * @return how long to wait before the next attempt
   */
  public synchronized Duration failed() {
    long ceiling = initialMillis << Math.min(failures, 20);
    failures++;
    long bound = Math.min(maxMillis, ceiling);
    return Duration.ofMillis(bound / 2 + (long) (random.nextDouble() * (bound / 2 + 1)));
  }

  /** Counts a success: the next failure starts from {@code initial} again. */
  public synchronized void succeeded() {
    failures = 0;
  }
}
