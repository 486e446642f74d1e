package io.doorpair.ipgw.requests;

import io.doorpair.ipgw.outbox.Backoff;
import io.doorpair.ipgw.store.GatewayStore;
import io.doorpair.ipgw.store.PortalVoidTable;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.http.PortalException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the portal which requests the gateway voided ({@code POST /api/gateway/requests/ID/void}),
 * so that the app's {@code get_approved_account} stops returning the encrypted password of an
 * account that no longer exists here (5 wrong security codes, a removed device).
 *
 * <p>Durable, like the outbox and for the same reasons: {@link AccessDecisions} queues the request
 * in {@code portal_voids} in the very transaction that voids it locally, and this sender removes it
 * only after the portal answered, retrying with backoff while the portal is unreachable and across
 * restarts. A direct call with retries would lose the void if {@code ipgw} died or the portal were
 * down for long; the outbox itself carries events, not commands, and a batch refused by the portal
 * would block every event behind it. The portal's endpoint is idempotent (a request already void
 * answers 200), so a lost answer costs one more call. A definitive refusal (404 unknown request,
 * 403 another gateway's, 409 denied) is logged and dropped: there is nothing left to void.
 */
public final class PortalVoids implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PortalVoids.class);
  private static final int BATCH = 20;

  private final GatewayStore store;
  private final PortalClient portal;
  private final Backoff backoff;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private boolean woken;
  private volatile boolean running;
  private Thread thread;

  /**
   * A sender.
   *
   * @param store the gateway store ({@code portal_voids})
   * @param portal a client presenting the gateway certificate
   * @param backoff waits after failures
   */
  public PortalVoids(GatewayStore store, PortalClient portal, Backoff backoff) {
    this.store = Objects.requireNonNull(store, "store");
    this.portal = Objects.requireNonNull(portal, "portal");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  /** Makes the sender look at once (something was queued). */
  public void wake() {
    lock.lock();
    try {
      woken = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sends what is queued.
   *
   * @return how many requests the portal answered for (0 when none waits)
   * @throws PortalException when the portal cannot be reached or answers 5xx/429 (the rest stays
   *     queued)
   */
  public int sendOnce() {
    List<Long> ids = store.transaction(c -> PortalVoidTable.head(c, BATCH));
    int done = 0;
    for (long id : ids) {
      try {
        portal.voidRequest(id);
        LOG.info("portal told request {} is void", id);
      } catch (PortalException e) {
        if (!definitive(e)) {
          throw e;
        }
        LOG.warn("portal refused to void request {} ({}): dropped", id, e.code());
      }
      store.transaction(
          c -> {
            PortalVoidTable.remove(c, id);
            return null;
          });
      done++;
    }
    return done;
  }

  private static boolean definitive(PortalException e) {
    int s = e.status();
    return s == 403 || s == 404 || s == 409 || s == 400;
  }

  /** Starts the sending thread. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    running = true;
    thread = new Thread(this::loop, "ipgw-portal-voids");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      Duration pause = Duration.ofSeconds(30);
      try {
        if (sendOnce() > 0) {
          backoff.succeeded();
          continue;
        }
        backoff.succeeded();
      } catch (PortalException e) {
        if (!running) {
          return;
        }
        pause = backoff.failed();
        LOG.info("portal unreachable for voids ({}): retrying in {}", e.code(), pause);
      } catch (RuntimeException e) {
        pause = backoff.failed();
        LOG.error("void sender failed: retrying in {}", pause, e);
      }
      await(pause);
    }
  }

  private void await(Duration pause) {
    lock.lock();
    try {
      long nanos = pause.toNanos();
      while (running && !woken && nanos > 0) {
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

  /** Stops the thread (a call in flight is cancelled; its request stays queued). */
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
