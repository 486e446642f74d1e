package io.doorpair.sipedge.logging;

import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * An INFO/WARN logger that writes at most {@code perSecond} lines a second and counts the rest: the
 * first line after a suppressed stretch says how many were left out. For lines that clients can
 * trigger at will (a refused request, a refused connection): each is worth seeing, but a flood of
 * bad requests must not become a flood of synchronized log writes. Per-message lines of the normal
 * path go to DEBUG instead.
 *
 * <p>Thread-safe.
 */
public final class LimitedLog {
  private static final long SECOND_NANOS = 1_000_000_000L;

  private final Logger log;
  private final int perSecond;
  private final LongSupplier nanoTime;
  private long windowStart;
  private int written;
  private long suppressed;

  /** At most {@code perSecond} lines a second to {@code log}. */
  public LimitedLog(Logger log, int perSecond) {
    this(log, perSecond, System::nanoTime);
  }

  LimitedLog(Logger log, int perSecond, LongSupplier nanoTime) {
    this.log = Objects.requireNonNull(log, "log");
    if (perSecond < 1) {
      throw new IllegalArgumentException("perSecond must be at least 1");
    }
    this.perSecond = perSecond;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.windowStart = nanoTime.getAsLong();
  }

  /** Logs at INFO unless this second's share is used up. */
  public void info(String format, Object... arguments) {
    if (!log.isInfoEnabled()) {
      return;
    }
    long dropped = admit();
    if (dropped < 0) {
      return;
    }
    if (dropped > 0) {
      log.info("{} similar line(s) left out", dropped);
    }
    log.info(format, arguments);
  }

  /** Logs at WARN unless this second's share is used up. */
  public void warn(String format, Object... arguments) {
    if (!log.isWarnEnabled()) {
      return;
    }
    long dropped = admit();
    if (dropped < 0) {
      return;
    }
    if (dropped > 0) {
      log.warn("{} similar line(s) left out", dropped);
    }
    log.warn(format, arguments);
  }

  /**
   * Takes one line's place in the current second.
   *
   * @return -1 when the line must be left out, else how many lines were left out since the last one
   *     written (0 mostly)
   */
  synchronized long admit() {
    long now = nanoTime.getAsLong();
    if (now - windowStart >= SECOND_NANOS) {
      windowStart = now;
      written = 0;
    }
    if (written >= perSecond) {
      suppressed++;
      return -1;
    }
    written++;
    long dropped = suppressed;
    suppressed = 0;
    return dropped;
  }
}
