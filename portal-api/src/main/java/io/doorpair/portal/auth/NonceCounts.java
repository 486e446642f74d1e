package io.doorpair.portal.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The highest nonce count accepted per nonce, so that a (nonce, nc) pair is accepted once and
 * counts only go up. Entries leave with their nonce's expiry; the table holds at most {@code
 * capacity} live entries and refuses new nonces beyond.
 */
final class NonceCounts {
  private static final Duration PURGE_INTERVAL = Duration.ofSeconds(30);

  enum Result {
    ACCEPTED,
    REPLAY,
    FULL
  }

  private record Entry(long highest, Instant expiresAt) {}

  private final int capacity;
  private final Map<String, Entry> entries = new HashMap<>();
  private Instant nextPurge = Instant.MIN;

  NonceCounts(int capacity) {
    this.capacity = capacity;
  }

  /** Accepts {@code nc} for {@code nonce} if it is higher than every count seen for it. */
  synchronized Result advance(String nonce, long nc, Instant expiresAt, Instant now) {
    if (!now.isBefore(nextPurge) || entries.size() >= capacity) {
      purge(now);
    }
    Entry entry = entries.get(nonce);
    if (entry == null) {
      if (entries.size() >= capacity) {
        return Result.FULL;
      }
    } else if (nc <= entry.highest()) {
      return Result.REPLAY;
    }
    entries.put(nonce, new Entry(nc, expiresAt));
    return Result.ACCEPTED;
  }

  synchronized int size() {
    return entries.size();
  }

  private void purge(Instant now) {
    entries.values().removeIf(e -> !now.isBefore(e.expiresAt()));
    nextPurge = now.plus(PURGE_INTERVAL);
  }
}
