package io.doorpair.b2b.localsip;

import io.doorpair.b2b.journal.CallJournal;
import io.doorpair.b2b.journal.CallRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the journal when a door station's registration at the embedded internal SIP server starts
 * or ends ({@link CallRecord.Kind#DOOR_REGISTERED}, {@link CallRecord.Kind#DOOR_UNREGISTERED}), so
 * that {@code ipgw} can send the portal a topology event. Only changes of state are recorded, never
 * a refresh of a live registration:
 *
 * <ul>
 *   <li>the registrar calls {@link #changed} after each REGISTER it accepted: a first registration
 *       (or one after an announced end) is recorded at once, an un-REGISTER ({@code Expires: 0})
 *       too;
 *   <li>a sweep every {@link #SWEEP} finds registrations that expired (the table forgets them only
 *       when asked);
 *   <li>at most one record per door per {@link #MIN_GAP}: a door flapping (or an account holder
 *       scripting REGISTER / un-REGISTER) cannot fill the spool, which would push out call records.
 *       A change held back is recorded by a later sweep if it still holds, so the last state always
 *       reaches the journal;
 *   <li>{@link #close} records the end of every registration still announced: the next b2b's
 *       registrar knows none of them until the doors register again.
 * </ul>
 *
 * Which accounts are door stations is the caller's predicate (the b2b: neither {@code ipgw} nor an
 * app account of {@code accounts.list}); {@code ipgw} keeps only the records of the doors it knows.
 * A journal failure (disk full) is logged and retried by the next sweep.
 */
public final class DoorPresence implements AutoCloseable {
  /** The shortest time between two records of one door. */
  public static final Duration MIN_GAP = Duration.ofSeconds(30);

  /** How often expiries and held-back changes are looked for. */
  public static final Duration SWEEP = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(DoorPresence.class);

  private final Registrations registrations;
  private final CallJournal journal;
  private final Predicate<String> isDoor;
  private final Clock clock;
  private final Duration minGap;
  private final Map<String, Announced> announced = new HashMap<>();
  private ScheduledExecutorService sweeper;

  private record Announced(boolean registered, Instant at) {}

  /**
   * A watcher of a registrar's table.
   *
   * @param registrations the internal server's registrations
   * @param journal where the records go
   * @param isDoor whether a (lowercase) user part is a door station's account
   * @param clock the records' time and the gap's
   * @param minGap the shortest time between two records of one door
   */
  public DoorPresence(
      Registrations registrations,
      CallJournal journal,
      Predicate<String> isDoor,
      Clock clock,
      Duration minGap) {
    this.registrations = Objects.requireNonNull(registrations, "registrations");
    this.journal = Objects.requireNonNull(journal, "journal");
    this.isDoor = Objects.requireNonNull(isDoor, "isDoor");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.minGap = Objects.requireNonNull(minGap, "minGap");
  }

  /**
   * Starts sweeping every {@link #SWEEP} in a daemon thread.
   *
   * @return this
   */
  public synchronized DoorPresence start() {
    if (sweeper != null) {
      throw new IllegalStateException("already started");
    }
    sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "b2b-door-presence");
              t.setDaemon(true);
              return t;
            });
    sweeper.scheduleWithFixedDelay(
        this::sweepQuietly, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * The registrar's hook: a REGISTER of {@code user} was accepted (a binding added, refreshed or
   * removed).
   *
   * @param user the authenticated user part
   */
  public synchronized void changed(String user) {
    reconcile(user.toLowerCase(Locale.ROOT), clock.instant());
  }

  /** Records expiries and the changes the gap held back. */
  public synchronized void sweep() {
    Instant now = clock.instant();
    Set<String> users = new LinkedHashSet<>(announced.keySet());
    registrations.all().forEach(c -> users.add(c.user()));
    users.forEach(u -> reconcile(u, now));
    for (Iterator<Map.Entry<String, Announced>> i = announced.entrySet().iterator();
        i.hasNext(); ) {
      Announced a = i.next().getValue();
      if (!a.registered() && !a.at().plus(minGap).isAfter(now)) {
        i.remove(); // forgotten: the next registration is a first one again
      }
    }
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.warn("door presence sweep failed: {}", e.toString());
    }
  }

  private void reconcile(String user, Instant now) {
    Announced a = announced.get(user);
    if (a == null && !isDoor.test(user)) {
      return;
    }
    boolean live = registrations.of(user).isPresent();
    boolean was = a != null && a.registered();
    if (live == was || (a != null && a.at().plus(minGap).isAfter(now))) {
      return;
    }
    if (record(user, live, now)) {
      announced.put(user, new Announced(live, now));
    }
  }

  private boolean record(String user, boolean registered, Instant now) {
    CallRecord.Kind kind =
        registered ? CallRecord.Kind.DOOR_REGISTERED : CallRecord.Kind.DOOR_UNREGISTERED;
    try {
      journal.record(
          new CallRecord(
              UUID.randomUUID().toString(), kind, user, Optional.empty(), Optional.empty(), now));
      LOG.info("door station {} {}", user, registered ? "registered" : "no longer registered");
      return true;
    } catch (RuntimeException e) {
      LOG.warn("door station {}: presence not journalled ({}), retried", user, e.toString());
      return false;
    }
  }

  /** Stops sweeping and records the end of every registration still announced. */
  @Override
  public synchronized void close() {
    if (sweeper != null) {
      sweeper.shutdownNow();
      sweeper = null;
    }
    Instant now = clock.instant();
    for (Map.Entry<String, Announced> e : announced.entrySet()) {
      if (e.getValue().registered() && record(e.getKey(), false, now)) {
        e.setValue(new Announced(false, now));
      }
    }
  }
}
