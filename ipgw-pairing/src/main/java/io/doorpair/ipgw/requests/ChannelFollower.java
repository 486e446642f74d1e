package io.doorpair.ipgw.requests;

import io.doorpair.ipgw.outbox.Backoff;
import io.doorpair.ipgw.store.GatewayStore;
import io.doorpair.ipgw.store.Pairing;
import io.doorpair.ipgw.store.PairingTable;
import io.doorpair.ipgw.store.RequestState;
import io.doorpair.ipgw.store.RequestTable;
import io.doorpair.ipgw.store.StoredRequest;
import io.doorpair.welcome.api.ChannelEntry;
import io.doorpair.welcome.api.ChannelPage;
import io.doorpair.welcome.api.ChannelRequest;
import io.doorpair.welcome.api.RequestStatus;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.http.PortalException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the portal's push channel ({@code GET /api/gateway/channel}) from the cursor kept in the
 * store: long-polls, stores each page's requests and the new cursor in one transaction (so an item
 * is processed once, and none is skipped across a crash or a lost connection), and backs off while
 * the portal is unreachable. A request whose certificate fails {@link RequestCertificates} is kept
 * as {@link RequestState#REFUSED} and never shown for approval; a {@code voided} item voids a
 * pending request.
 */
public final class ChannelFollower implements AutoCloseable {
  /** Items per call. */
  public static final int PAGE = 100;

  private static final Logger LOG = LoggerFactory.getLogger(ChannelFollower.class);

  private final GatewayStore store;
  private final PortalClient portal;
  private final RequestCertificates checks;
  private final Clock clock;
  private final Duration wait;
  private final Backoff backoff;
  private volatile boolean running;
  private Thread thread;

  /**
   * A follower.
   *
   * @param store where requests and the cursor go
   * @param portal a client presenting the gateway certificate
   * @param checks the request checks (with the portal CA)
   * @param clock the time of arrival and of certificate validity
   * @param wait how long each long-poll may be held (1-60 s)
   * @param backoff how long to wait after failures
   */
  public ChannelFollower(
      GatewayStore store,
      PortalClient portal,
      RequestCertificates checks,
      Clock clock,
      Duration wait,
      Backoff backoff) {
    this.store = Objects.requireNonNull(store, "store");
    this.portal = Objects.requireNonNull(portal, "portal");
    this.checks = Objects.requireNonNull(checks, "checks");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.wait = Objects.requireNonNull(wait, "wait");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  /**
   * A follower with the usual settings: 30 s long-polls, backoff from 1 s to 60 s.
   *
   * @param store the store
   * @param portal the gateway's client
   * @param checks the request checks
   * @param random backoff jitter
   * @return the follower
   */
  public static ChannelFollower standard(
      GatewayStore store, PortalClient portal, RequestCertificates checks, SecureRandom random) {
    return new ChannelFollower(
        store,
        portal,
        checks,
        Clock.systemUTC(),
        Duration.ofSeconds(30),
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), random));
  }

  /**
   * Reads one page of the channel after the stored cursor and stores it.
   *
   * @param hold how long the portal may hold the call when nothing is new, or empty
   * @return how many items the page had
   * @throws PortalException when the portal cannot be reached or refuses
   * @throws IllegalStateException before pairing
   */
  public int pollOnce(Optional<Duration> hold) {
    long cursor =
        store
            .transaction(PairingTable::get)
            .map(Pairing::channelCursor)
            .orElseThrow(() -> new IllegalStateException("the gateway is not paired"));
    ChannelPage page = portal.channel(cursor, hold, PAGE);
    Instant now = clock.instant();
    store.transaction(
        c -> {
          for (ChannelEntry entry : page.items()) {
            Optional<ChannelRequest> request = entry.requestIfAny();
            if (entry.type() == ChannelEntry.Type.REQUEST && request.isPresent()) {
              RequestTable.insertIfAbsent(c, arrived(request.get(), now));
            } else if (entry.type() == ChannelEntry.Type.VOIDED && request.isPresent()) {
              long id = request.get().requestId();
              Optional<StoredRequest> known = RequestTable.get(c, id);
              if (known.isPresent() && known.get().state() == RequestState.PENDING) {
                RequestTable.setState(c, id, RequestState.VOID);
                LOG.info("request {} voided by the portal", id);
              }
            }
          }
          PairingTable.setCursor(c, page.cursor());
          return null;
        });
    return page.items().size();
  }

  private StoredRequest arrived(ChannelRequest r, Instant now) {
    String hash = "";
    RequestState state =
        r.status() == RequestStatus.PENDING ? RequestState.PENDING : RequestState.VOID;
    try {
      hash = checks.check(r, now);
      LOG.info("request {} from {} received", r.requestId(), r.username());
    } catch (RequestRefusedException e) {
      state = RequestState.REFUSED;
      LOG.warn("request {} refused: {}", r.requestId(), e.getMessage());
    }
    return new StoredRequest(
        r.requestId(),
        r.username(),
        r.friendlyName(),
        r.instance(),
        r.gruu(),
        r.certificate(),
        hash,
        r.createdAt(),
        state,
        0,
        now);
  }

  /** Starts following in a thread of its own. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    running = true;
    thread = new Thread(this::loop, "ipgw-channel");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      try {
        pollOnce(Optional.of(wait));
        backoff.succeeded();
      } catch (PortalException e) {
        if (!running) {
          return;
        }
        pause(backoff.failed(), e.code());
      } catch (RuntimeException e) {
        LOG.error("channel follower failed", e);
        pause(backoff.failed(), "error");
      }
    }
  }

  private void pause(Duration pause, String why) {
    LOG.info("portal channel unavailable ({}): retrying in {}", why, pause);
    try {
      TimeUnit.MILLISECONDS.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      running = false;
      Thread.currentThread().interrupt();
    }
  }

  /** Stops following (a long-poll in flight is cancelled). */
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
