package io.doorpair.b2b.localsip;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The nonce counts seen per nonce (RFC 7616 §3.4: a server may refuse a request whose {@code nc} it
 * has seen before for the same nonce), so that a captured request cannot be replayed while its
 * nonce is still fresh. Bounded: at most {@link #capacity} nonces are held; when full the one
 * issued earliest is forgotten, and every nonce issued at or before a forgotten one counts as used
 * up (its next use gets {@code stale=true} and an honest client simply answers the new challenge).
 * Only requests whose digest was right reach this table, so a client without a password cannot fill
 * it.
 *
 * <p>Per nonce: the highest {@code nc} seen and a 64-bit window of the counts below it (requests
 * sent in parallel over TCP may arrive out of order), and the request key of each of the last few
 * counts, so that a retransmission (same nonce, nc, and key: top Via branch, Call-ID, CSeq)
 * arriving within {@link #RETRANSMISSION_MILLIS} is let through again: a stateless proxy forwards
 * retransmissions (RFC 3261 §16.11) and the next hop's transaction absorbs them.
 *
 * <p>Thread-safe (one lock; each call is a few map operations).
 */
final class NonceCounts {
  /** RFC 3261 timer B/F (64 × T1): how long a retransmission of a request can arrive. */
  static final long RETRANSMISSION_MILLIS = 32_000;

  /** The most requests one nonce may authenticate; after that its next use is stale. */
  static final long MAX_NC = 10_000;

  private static final int WINDOW = 64;
  private static final int RECENT = 4;

  /** The outcome of one use. */
  enum Use {
    /** First use of this count: accepted. */
    FIRST,
    /** The same request again within the retransmission time: accepted. */
    RETRANSMISSION,
    /** A count already used by another request, or too old for the window: a replay. */
    REPLAY,
    /** The nonce was forgotten (table full) or used {@link #MAX_NC} times: a new one is needed. */
    EXHAUSTED
  }

  /** A nonce with the time it was issued (the table's order). */
  private record Key(long issuedMillis, String nonce) {}

  private static final Comparator<Key> ORDER =
      Comparator.comparingLong(Key::issuedMillis).thenComparing(Key::nonce);

  private static final class State {
    long highest;
    long window; // bit i: highest - 1 - i seen
    final long[] recentNc = new long[RECENT];
    final String[] recentKey = new String[RECENT];
    final long[] recentAt = new long[RECENT];
    int next;
  }

  private final int capacity;
  private final TreeMap<Key, State> nonces = new TreeMap<>(ORDER);
  private Key forgottenUpTo;

  NonceCounts(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity");
    }
    this.capacity = capacity;
  }

  /**
   * Records one use of a nonce whose digest was right.
   *
   * @param nonce the nonce (its MAC already checked)
   * @param issuedMillis when it was issued (from the nonce)
   * @param nc the nonce count of the request
   * @param requestKey what identifies the request across retransmissions
   * @param nowMillis now
   * @param oldestLiveMillis nonces issued before this are expired and dropped
   * @return the outcome
   */
  synchronized Use use(
      String nonce,
      long issuedMillis,
      long nc,
      String requestKey,
      long nowMillis,
      long oldestLiveMillis) {
    Objects.requireNonNull(requestKey, "requestKey");
    while (!nonces.isEmpty() && nonces.firstKey().issuedMillis() < oldestLiveMillis) {
      nonces.pollFirstEntry();
    }
    Key key = new Key(issuedMillis, nonce);
    State state = nonces.get(key);
    if (state == null) {
      if (forgottenUpTo != null && ORDER.compare(key, forgottenUpTo) <= 0) {
        return Use.EXHAUSTED;
      }
      state = new State();
      if (nonces.size() >= capacity) {
        forgottenUpTo = max(forgottenUpTo, nonces.pollFirstEntry().getKey());
        if (ORDER.compare(key, forgottenUpTo) <= 0) {
          return Use.EXHAUSTED;
        }
      }
      nonces.put(key, state);
    }
    if (nc > MAX_NC) {
      return Use.EXHAUSTED;
    }
    if (seen(state, nc)) {
      for (int i = 0; i < RECENT; i++) {
        if (state.recentKey[i] != null
            && state.recentNc[i] == nc
            && state.recentKey[i].equals(requestKey)
            && nowMillis - state.recentAt[i] <= RETRANSMISSION_MILLIS) {
          return Use.RETRANSMISSION;
        }
      }
      return Use.REPLAY;
    }
    if (nc + WINDOW < state.highest) {
      return Use.REPLAY;
    }
    mark(state, nc);
    state.recentNc[state.next] = nc;
    state.recentKey[state.next] = requestKey;
    state.recentAt[state.next] = nowMillis;
    state.next = (state.next + 1) % RECENT;
    return Use.FIRST;
  }

  private static Key max(Key a, Key b) {
    return a == null || ORDER.compare(b, a) > 0 ? b : a;
  }

  private static boolean seen(State s, long nc) {
    if (nc == s.highest) {
      return true;
    }
    if (nc > s.highest) {
      return false;
    }
    long back = s.highest - 1 - nc;
    return back < WINDOW && (s.window & (1L << back)) != 0;
  }

  private static void mark(State s, long nc) {
    if (nc > s.highest) {
      long shift = nc - s.highest;
      if (s.highest == 0) {
        s.window = 0;
      } else if (shift > WINDOW) {
        s.window = 0;
      } else {
        // the old highest becomes bit shift-1; older bits move up by shift
        s.window = (shift == WINDOW ? 0 : s.window << shift) | (1L << (shift - 1));
      }
      s.highest = nc;
    } else {
      s.window |= 1L << (s.highest - 1 - nc);
    }
  }

  /**
   * How many nonces are tracked now (a test hook on real state).
   *
   * @return the count, at most the capacity
   */
  synchronized int size() {
    return nonces.size();
  }

  @Override
  public String toString() {
    return "NonceCounts" + Arrays.asList(capacity, size());
  }
}
