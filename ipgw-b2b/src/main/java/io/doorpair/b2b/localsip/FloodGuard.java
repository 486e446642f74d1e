package io.doorpair.b2b.localsip;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Bounds the work the internal SIP server does for requests from the LAN, before any digest or
 * transaction: a token bucket per source address ({@link #PER_SOURCE_RATE} requests/s, bursts of
 * {@link #PER_SOURCE_BURST}) and one for all sources together ({@link #GLOBAL_RATE}/s, bursts of
 * {@link #GLOBAL_BURST}). A request over either is answered {@code 503} with {@code Retry-After}
 * while its source has been refused fewer than {@link #ANSWERED_REFUSALS} times in the current
 * second; past that, over UDP (where the source can be forged and answers would amplify) it is
 * dropped without an answer. At most {@link #MAX_SOURCES} sources are remembered (idle ones are
 * dropped first; when all are busy, new sources share one overflow bucket), so the guard's memory
 * is bounded whatever the flood.
 *
 * <p>Thread-safe (one lock; each call is a few map operations).
 */
public final class FloodGuard {
  /** Requests per second one source address may send on average. */
  public static final double PER_SOURCE_RATE = 20;

  /** Requests one source address may send at once. */
  public static final double PER_SOURCE_BURST = 60;

  /** Requests per second all sources together may send on average. */
  public static final double GLOBAL_RATE = 300;

  /** Requests all sources together may send at once. */
  public static final double GLOBAL_BURST = 600;

  /** Refusals per source and second answered with 503; later ones over UDP are dropped. */
  public static final int ANSWERED_REFUSALS = 10;

  /** The most source addresses remembered. */
  public static final int MAX_SOURCES = 4096;

  /** Seconds a refused client is told to wait. */
  public static final int RETRY_AFTER_SECONDS = 5;

  private static final long IDLE_NANOS = 60_000_000_000L;
  private static final String OVERFLOW = "\0overflow";

  /** What to do with a request. */
  public enum Decision {
    /** Handle it. */
    PASS,
    /** Answer {@code 503} with {@code Retry-After: } {@link #RETRY_AFTER_SECONDS}. */
    BUSY,
    /** Drop it without an answer. */
    DROP
  }

  private static final class Bucket {
    double tokens;
    long lastNanos;
    long refusalSecond;
    int refusals;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.lastNanos = now;
      this.refusalSecond = Long.MIN_VALUE;
    }

    boolean take(double rate, double burst, long now) {
      tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * rate);
      lastNanos = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }

  /**
   * The limits of a guard.
   *
   * @param perSourceRate requests per second one source address may send on average
   * @param perSourceBurst requests one source address may send at once
   * @param globalRate requests per second all sources together may send on average
   * @param globalBurst requests all sources together may send at once
   */
  public record Limits(
      double perSourceRate, double perSourceBurst, double globalRate, double globalBurst) {
    /** The limits the b2b runs with (the constants above). */
    public static final Limits DEFAULT =
        new Limits(PER_SOURCE_RATE, PER_SOURCE_BURST, GLOBAL_RATE, GLOBAL_BURST);

    /** Checks the values. */
    public Limits {
      if (!(perSourceRate > 0 && perSourceBurst >= 1 && globalRate > 0 && globalBurst >= 1)) {
        throw new IllegalArgumentException("limits must be positive");
      }
    }
  }

  private final LongSupplier nanoClock;
  private final Limits limits;
  private final Map<String, Bucket> sources = new LinkedHashMap<>(256, 0.75f, true);
  private final Bucket global;
  private long passed;
  private long answered;
  private long dropped;

  /** A guard on the system's monotonic clock. */
  public FloodGuard() {
    this(System::nanoTime, Limits.DEFAULT);
  }

  /**
   * A guard on a given clock (tests).
   *
   * @param nanoClock monotonic nanoseconds
   */
  public FloodGuard(LongSupplier nanoClock) {
    this(nanoClock, Limits.DEFAULT);
  }

  /**
   * A guard with other limits (fuzz tests send faster than a door station may).
   *
   * @param nanoClock monotonic nanoseconds
   * @param limits the limits
   */
  public FloodGuard(LongSupplier nanoClock, Limits limits) {
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.global = new Bucket(limits.globalBurst(), nanoClock.getAsLong());
  }

  /**
   * Decides on one request.
   *
   * @param source the source address (without port: a flood from many ports of one host is one
   *     source)
   * @param datagram whether it came over UDP
   * @return pass, answer 503, or drop
   */
  public synchronized Decision admit(String source, boolean datagram) {
    long now = nanoClock.getAsLong();
    Bucket bucket = bucketOf(source, now);
    boolean ok = bucket.take(limits.perSourceRate(), limits.perSourceBurst(), now);
    if (ok && !global.take(limits.globalRate(), limits.globalBurst(), now)) {
      ok = false;
      bucket.tokens += 1; // not this source's fault
    }
    if (ok) {
      passed++;
      return Decision.PASS;
    }
    long second = now / 1_000_000_000L;
    if (bucket.refusalSecond != second) {
      bucket.refusalSecond = second;
      bucket.refusals = 0;
    }
    bucket.refusals++;
    if (datagram && bucket.refusals > ANSWERED_REFUSALS) {
      dropped++;
      return Decision.DROP;
    }
    answered++;
    return Decision.BUSY;
  }

  private Bucket bucketOf(String source, long now) {
    Bucket bucket = sources.get(source);
    if (bucket != null) {
      return bucket;
    }
    if (sources.size() >= MAX_SOURCES) {
      Iterator<Map.Entry<String, Bucket>> eldest = sources.entrySet().iterator();
      Map.Entry<String, Bucket> e = eldest.next();
      if (now - e.getValue().lastNanos > IDLE_NANOS && !OVERFLOW.equals(e.getKey())) {
        eldest.remove();
      } else {
        Bucket overflow = sources.get(OVERFLOW);
        if (overflow == null) {
          eldest.remove();
          overflow = new Bucket(limits.perSourceBurst(), now);
          sources.put(OVERFLOW, overflow);
        }
        return overflow;
      }
    }
    bucket = new Bucket(limits.perSourceBurst(), now);
    sources.put(source, bucket);
    return bucket;
  }

  /**
   * How many sources are remembered now: real state, for tests that check it stays bounded (at most
   * {@link #MAX_SOURCES}).
   *
   * @return the number of sources
   */
  public synchronized int trackedSources() {
    return sources.size();
  }

  /**
   * Counts since start, for the log and tests.
   *
   * @return passed, answered 503, dropped
   */
  public synchronized long[] counts() {
    return new long[] {passed, answered, dropped};
  }
}
