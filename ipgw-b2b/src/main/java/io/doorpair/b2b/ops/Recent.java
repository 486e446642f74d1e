package io.doorpair.b2b.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value read at most once per {@code maxAge}: several gauges of one scrape share one reading of
 * something costly (e.g. {@code systemctl is-active} for the b2b's state). Thread-safe.
 *
 * @param <T> the value
 */
public final class Recent<T> implements Supplier<T> {
  private final Supplier<T> source;
  private final Duration maxAge;
  private final Clock clock;
  private T value;
  private Instant readAt = Instant.MIN;

  /**
   * @param source where the value comes from
   * @param maxAge how long a reading is reused
   * @param clock the time source
   */
  public Recent(Supplier<T> source, Duration maxAge, Clock clock) {
    this.source = Objects.requireNonNull(source, "source");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized T get() {
    Instant now = clock.instant();
    if (value == null || !now.isBefore(readAt.plus(maxAge))) {
      value = source.get();
      readAt = now;
    }
    return value;
  }
}
