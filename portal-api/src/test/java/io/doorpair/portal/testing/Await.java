package io.doorpair.portal.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a generous deadline that only guards against hangs. */
public final class Await {
  /** The deadline of every wait in the tests: long, so a slow machine never fails a test. */
  public static final Duration DEADLINE = Duration.ofSeconds(30);

  private Await() {}

  /** Returns once {@code condition} holds; fails with {@code what} after {@link #DEADLINE}. */
  public static void until(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("gave up waiting for: " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }
}
