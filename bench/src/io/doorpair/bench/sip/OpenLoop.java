package io.doorpair.bench.sip;

import java.util.concurrent.locks.LockSupport;

/**
 * Starts operations on a fixed schedule, whatever happened to the earlier ones: operation {@code i}
 * is due at {@code start + i / rate}; when the sender falls behind it catches up at once, and
 * latency is counted from the due time, so queueing shows (no coordinated omission).
 */
final class OpenLoop {
  /** What to start: operation {@code index}, due at {@code dueNanos} ({@link System#nanoTime}). */
  interface Starter {
    void start(int index, long dueNanos);
  }

  private OpenLoop() {}

  /**
   * Runs for {@code seconds} at {@code rate} operations/s.
   *
   * @return how many operations were started
   */
  static int run(int rate, double seconds, Starter starter) {
    int total = (int) Math.round(rate * seconds);
    double interval = 1e9 / rate;
    long begin = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = begin + (long) (i * interval);
      long wait = due - System.nanoTime();
      if (wait > 20_000) {
        LockSupport.parkNanos(wait);
      }
      starter.start(i, due);
    }
    return total;
  }
}
