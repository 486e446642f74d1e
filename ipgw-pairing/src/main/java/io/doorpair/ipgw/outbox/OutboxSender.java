package io.doorpair.ipgw.outbox;

import io.doorpair.ipgw.ops.GatewayMetrics;
import io.doorpair.ipgw.store.GatewayStore;
import io.doorpair.ipgw.store.OutboxTable;
import io.doorpair.ipgw.store.QueuedEvent;
import io.doorpair.welcome.api.PostedEvent;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.http.PortalException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox to the portal ({@code POST /api/gateway/events}): the oldest events first, at
 * most {@value #BATCH} per call, removed from the outbox only after the portal answered. A lost
 * answer means the batch is sent again; the portal skips ids it has, so every event arrives once
 * and in order, also across restarts. While the portal is unreachable the sender backs off (up to a
 * minute) and the events wait on disk.
 */
public final class OutboxSender implements AutoCloseable {
  /** Events per call (the portal's limit). */
  public static final int BATCH = 100;

  private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);

  /** Wakes a sender when an event was queued. */
  @FunctionalInterface
  public interface Wakeup {
    /** Wakes nobody. */
    Wakeup NONE = () -> {};

    /** Something was queued. */
    void wake();
  }

  private final GatewayStore store;
  private final PortalClient portal;
  private final Backoff backoff;
  private volatile GatewayMetrics metrics = new GatewayMetrics();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private boolean woken;
  private volatile boolean running;
  private Thread thread;

  /**
   * A sender.
   *
   * @param store the outbox
   * @param portal a client presenting the gateway certificate
   * @param initialBackoff the first wait after a failure (then doubling up to {@code maxBackoff})
   * @param maxBackoff the longest wait
   * @param random backoff jitter
   */
  public OutboxSender(
      GatewayStore store,
      PortalClient portal,
      Duration initialBackoff,
      Duration maxBackoff,
      SecureRandom random) {
    this.store = Objects.requireNonNull(store, "store");
    this.portal = Objects.requireNonNull(portal, "portal");
    this.backoff = new Backoff(initialBackoff, maxBackoff, random);
  }

  /**
   * The wake-up to give the {@link Outbox}.
   *
   * @return a wake-up that makes this sender look at once
   */
  public Wakeup wakeup() {
    return () -> {
      lock.lock();
      try {
        woken = true;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    };
  }

  /**
   * Counts the events the portal acknowledges in {@code metrics} from now on.
   *
   * @param metrics the gateway's metrics
   */
  public void observe(GatewayMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Sends one batch, if any waits.
   *
   * @return how many events the portal acknowledged (0 when the outbox is empty)
   * @throws PortalException when the portal cannot be reached or refuses the batch (nothing is
   *     removed)
   */
  public int sendOnce() {
    List<QueuedEvent> batch = store.transaction(c -> OutboxTable.head(c, BATCH));
    if (batch.isEmpty()) {
      return 0;
    }
    List<PostedEvent> posted = new ArrayList<>(batch.size());
    for (QueuedEvent e : batch) {
      posted.add(new PostedEvent(e.id(), e.kind(), e.at(), e.payload()));
    }
    portal.postEvents(posted);
    long last = batch.get(batch.size() - 1).seq();
    store.transaction(
        c -> {
          OutboxTable.removeThrough(c, last);
          return null;
        });
    metrics.eventsSent(batch.size());
    return batch.size();
  }

  /** Starts the sending thread. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    running = true;
    thread = new Thread(this::loop, "ipgw-outbox");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      Duration pause = Duration.ofSeconds(30);
      boolean wakeable = true;
      try {
        int sent = sendOnce();
        backoff.succeeded();
        if (sent > 0) {
          continue;
        }
      } catch (PortalException e) {
        if (!running) {
          return;
        }
        pause = backoff.failed();
        wakeable = false;
        if (e.status() >= 400 && e.status() < 500) {
          LOG.warn("portal refused an event batch ({}): retrying in {}", e.code(), pause);
        } else {
          LOG.info("portal unreachable for events ({}): retrying in {}", e.code(), pause);
        }
      } catch (RuntimeException e) {
        pause = backoff.failed();
        wakeable = false;
        LOG.error("outbox sender failed: retrying in {}", pause, e);
      }
      await(pause, wakeable);
    }
  }

  /**
   * Waits {@code pause}, or less when an event is queued and {@code wakeable} (after a failure the
   * whole backoff is served: new events must not hammer an unreachable portal).
   */
  private void await(Duration pause, boolean wakeable) {
    lock.lock();
    try {
      long nanos = pause.toNanos();
      while (running && !(wakeable && woken) && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
      woken = false;
    } catch (InterruptedException e) {
      running = false;
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** Stops the thread (a call in flight is cancelled; its batch stays queued). */
  @Override
  public synchronized void close() {
    running = false;
    if (thread == null) {
      return;
    }
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread = null;
  }
}
