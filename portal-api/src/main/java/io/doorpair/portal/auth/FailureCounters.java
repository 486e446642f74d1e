package io.doorpair.portal.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failed attempts per key (a username, or a remote address) in a window that opens at the first
 * failure; reaching the limit locks the key for the lockout, after which counting starts afresh. At
 * most {@code capacity} keys are tracked: when full of live entries, a new key is not tracked (the
 * other table still limits it), which keeps memory bounded under a flood of distinct keys.
 */
final class FailureCounters {
  private static final Duration PURGE_INTERVAL = Duration.ofSeconds(30);

  private static final class Entry {
    final Instant windowStart;
    int failures;
    Instant lockedUntil;

    Entry(Instant windowStart) {
      this.windowStart = windowStart;
    }
  }

  private final int limit;
  private final Duration window;
  private final Duration lockout;
  private final int capacity;
  private final Map<String, Entry> entries = new HashMap<>();
  private Instant nextPurge = Instant.MIN;

  FailureCounters(int limit, Duration window, Duration lockout, int capacity) {
    this.limit = limit;
    this.window = window;
    this.lockout = lockout;
    this.capacity = capacity;
  }

  /** How long {@code key} stays locked, if it is. */
  synchronized Optional<Duration> lockedFor(String key, Instant now) {
    Entry e = entries.get(key);
    if (e == null || e.lockedUntil == null || !now.isBefore(e.lockedUntil)) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, e.lockedUntil));
  }

  /**
   * Counts one failure.
   *
   * @return true when this failure locked the key
   */
  synchronized boolean recordFailure(String key, Instant now) {
    if (!now.isBefore(nextPurge)) {
      purge(now);
    }
    Entry e = entries.get(key);
    if (e == null || isOver(e, now)) {
      if (e == null && entries.size() >= capacity) {
        purge(now);
        if (entries.size() >= capacity) {
          return false;
        }
      }
      e = new Entry(now);
      entries.put(key, e);
    }
    e.failures++;
    if (e.failures >= limit && e.lockedUntil == null) {
      e.lockedUntil = now.plus(lockout);
      return true;
    }
    return false;
  }

  /**
   * Forgets the failures of {@code key} (not its lockout, which has run out when this is called).
   */
  synchronized void reset(String key) {
    entries.remove(key);
  }

  synchronized int size() {
    return entries.size();
  }

  /** A window that closed without a lock, or a lock that ran out. */
  private boolean isOver(Entry e, Instant now) {
    if (e.lockedUntil != null) {
      return !now.isBefore(e.lockedUntil);
    }
    return !now.isBefore(e.windowStart.plus(window));
  }

  private void purge(Instant now) {
    entries.values().removeIf(e -> isOver(e, now));
    nextPurge = now.plus(PURGE_INTERVAL);
  }
}
