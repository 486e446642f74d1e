package io.doorpair.portal.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that follows the system clock, shifted by an offset the test sets. */
public final class SettableClock extends Clock {
  private volatile Duration offset = Duration.ZERO;

  /** Moves this clock to {@code offset} from the system clock. */
  public void shift(Duration offset) {
    this.offset = offset;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }
}
