package io.doorpair.portal.crl;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the {@link CrlService} for the current CRL on a schedule, so that it is signed again (and
 * {@code crl.pem} rewritten for SIP nodes) before its nextUpdate, and soon after a revocation made
 * by another process ({@code portal user del}, a second portal), even when nobody fetches {@code
 * /api/crl.pem}. One daemon thread.
 */
public final class CrlRefresher implements AutoCloseable {
  /** How often the CRL is looked at by {@code portal serve}. */
  public static final Duration PERIOD = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(CrlRefresher.class);
  private final ScheduledExecutorService timer;

  private CrlRefresher(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Starts looking at {@code crl} every {@code period}. */
  public static CrlRefresher start(CrlService crl, Duration period) {
    Objects.requireNonNull(crl, "crl");
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "crl-refresher");
              thread.setDaemon(true);
              return thread;
            });
    long millis = period.toMillis();
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            crl.currentPem();
          } catch (RuntimeException e) {
            LOG.warn("CRL not refreshed error={}", e.toString());
          }
        },
        millis,
        millis,
        TimeUnit.MILLISECONDS);
    return new CrlRefresher(timer);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
