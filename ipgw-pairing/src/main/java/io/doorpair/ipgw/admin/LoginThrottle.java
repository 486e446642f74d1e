package io.doorpair.ipgw.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows password guessing per client address: {@value #FREE_FAILURES} failures are free, then each
 * further failure locks the address out for twice as long as the last (from {@link #FIRST_LOCK} up
 * to {@link #MAX_LOCK}); a right password clears the count. While locked out, no password is even
 * checked. At most {@value #MAX_ADDRESSES} addresses are remembered (the oldest go first).
 */
final class LoginThrottle {
  static final int FREE_FAILURES = 5;
  static final Duration FIRST_LOCK = Duration.ofSeconds(30);
  static final Duration MAX_LOCK = Duration.ofHours(1);
  static final int MAX_ADDRESSES = 1024;

  private record Failures(int count, Instant lockedUntil) {}

  private final Map<String, Failures> byAddress =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
          return size() > MAX_ADDRESSES;
        }
      };

  private final Clock clock;

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long {@code address} must still wait, empty if it may try now. */
  synchronized Optional<Duration> lockedOut(String address) {
    Failures f = byAddress.get(address);
    Instant now = clock.instant();
    if (f == null || !f.lockedUntil().isAfter(now)) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, f.lockedUntil()));
  }

  synchronized void failed(String address) {
    Failures f = byAddress.getOrDefault(address, new Failures(0, Instant.MIN));
    int count = f.count() + 1;
    Instant lockedUntil = Instant.MIN;
    if (count >= FREE_FAILURES) {
      int doublings = Math.min(count - FREE_FAILURES, 20);
      Duration lock = FIRST_LOCK.multipliedBy(1L << doublings);
      if (lock.compareTo(MAX_LOCK) > 0) {
        lock = MAX_LOCK;
      }
      lockedUntil = clock.instant().plus(lock);
    }
    byAddress.put(address, new Failures(count, lockedUntil));
  }

  synchronized void succeeded(String address) {
    byAddress.remove(address);
  }
}
