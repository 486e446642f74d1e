package io.doorpair.ipgw;

import io.doorpair.b2b.conf.GatewayPaths;
import io.doorpair.ipgw.accounts.B2bSignal;
import io.doorpair.ipgw.accounts.FileSync;
import io.doorpair.ipgw.doors.Doors;
import io.doorpair.ipgw.files.GatewayFiles;
import io.doorpair.ipgw.journal.JournalIntake;
import io.doorpair.ipgw.offline.OfflineAccounts;
import io.doorpair.ipgw.ops.GatewayMetrics;
import io.doorpair.ipgw.outbox.Backoff;
import io.doorpair.ipgw.outbox.Outbox;
import io.doorpair.ipgw.outbox.OutboxSender;
import io.doorpair.ipgw.pairing.GatewayIdentity;
import io.doorpair.ipgw.pairing.GatewayPairing;
import io.doorpair.ipgw.pairing.GatewayRenewal;
import io.doorpair.ipgw.pairing.PairingException;
import io.doorpair.ipgw.pairing.PairingSettings;
import io.doorpair.ipgw.requests.AccessDecisions;
import io.doorpair.ipgw.requests.ChannelFollower;
import io.doorpair.ipgw.requests.DecisionException;
import io.doorpair.ipgw.requests.PortalVoids;
import io.doorpair.ipgw.requests.RequestCertificates;
import io.doorpair.ipgw.store.GatewayStore;
import io.doorpair.ipgw.store.OutboxTable;
import io.doorpair.ipgw.store.Pairing;
import io.doorpair.ipgw.store.PairingTable;
import io.doorpair.welcome.http.PortalClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway agent without its admin site: opens the store, rewrites the files from it (repairing
 * what a crash left), and, once paired, follows the portal's channel, sends the outbox and the
 * voided requests, and takes the b2b's journal spool into the outbox, in threads of their own; and
 * renews the gateway certificate when due ({@link #renewIfDue}). The admin site calls {@link #pair}
 * and {@link #decisions()}.
 */
public final class GatewayCore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayCore.class);
  private static final long RENEWAL_CHECK_HOURS = 6;
  private static final Duration RENEWAL_CHECK_PERIOD = Duration.ofHours(RENEWAL_CHECK_HOURS);
  private static final Duration RENEWAL_FIRST_CHECK = Duration.ofMinutes(1);

  /**
   * What the core needs.
   *
   * @param root the prefix of every {@code /etc} path
   * @param dataDir the folder of {@code ipgw.db}
   * @param portal a client of the portal for the first contact (its trust anchors for the portal's
   *     server certificate); the paired clients derive from it
   * @param pairing SIP URIs for {@code b2b.conf}, key size, DOMAIN attempts
   * @param signal tells the b2b to reload
   * @param channelWait how long each channel long-poll may be held (1-60 s)
   * @param initialBackoff first wait after a portal failure (doubling)
   * @param maxBackoff longest wait after portal failures
   */
  public record Settings(
      Path root,
      Path dataDir,
      PortalClient portal,
      PairingSettings pairing,
      B2bSignal signal,
      Duration channelWait,
      Duration initialBackoff,
      Duration maxBackoff) {
    public Settings {
      Objects.requireNonNull(root, "root");
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(portal, "portal");
      Objects.requireNonNull(pairing, "pairing");
      Objects.requireNonNull(signal, "signal");
      Objects.requireNonNull(channelWait, "channelWait");
      Objects.requireNonNull(initialBackoff, "initialBackoff");
      Objects.requireNonNull(maxBackoff, "maxBackoff");
    }
  }

  private final Settings settings;
  private final GatewayStore store;
  private final FileSync files;
  private final SecureRandom random = new SecureRandom();
  private final Clock clock = Clock.systemUTC();
  private final GatewayMetrics metrics = new GatewayMetrics();
  private final GatewayRenewal renewal;
  private final ScheduledExecutorService renewals;
  private Running running;

  private record Running(
      PortalClient client,
      ChannelFollower follower,
      OutboxSender sender,
      PortalVoids voids,
      JournalIntake journal,
      AccessDecisions decisions,
      OfflineAccounts offline,
      Doors doors) {}

  private GatewayCore(Settings settings) {
    this.settings = settings;
    this.store = GatewayStore.open(settings.dataDir());
    this.files =
        new FileSync(
            store, new GatewayFiles(GatewayPaths.under(settings.root())), settings.signal());
    this.renewal =
        new GatewayRenewal(store, new GatewayFiles(GatewayPaths.under(settings.root())), clock);
    this.renewals =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gateway-renewal");
              t.setDaemon(true);
              return t;
            });
    metrics.gauge(
        "doorpair.gateway.outbox.depth",
        "events waiting in the outbox for the portal",
        this::outboxDepth);
  }

  /** The outbox's size, or NaN when the store does not answer (a gauge never throws). */
  private double outboxDepth() {
    try {
      return store.transaction(OutboxTable::size);
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * Opens the store, rewrites the files and, if paired, starts following the portal.
   *
   * @param settings what the core needs
   * @return the running core
   * @throws io.doorpair.ipgw.store.StoreException when the store cannot be opened
   * @throws java.io.UncheckedIOException when a file cannot be written
   */
  public static GatewayCore start(Settings settings) {
    GatewayCore core = new GatewayCore(Objects.requireNonNull(settings, "settings"));
    try {
      core.startFollowing();
    } catch (RuntimeException e) {
      core.close();
      throw e;
    }
    core.renewals.scheduleWithFixedDelay(
        core::renewIfDueQuietly,
        RENEWAL_FIRST_CHECK.toSeconds(),
        RENEWAL_CHECK_PERIOD.toSeconds(),
        TimeUnit.SECONDS);
    return core;
  }

  private synchronized void startFollowing() {
    stopFollowing();
    if (!files.writeAll()) {
      LOG.info("gateway not paired yet");
      return;
    }
    Pairing pairing = store.transaction(PairingTable::get).orElseThrow();
    GatewayIdentity identity = GatewayIdentity.of(pairing);
    PortalClient client = identity.client(settings.portal());
    ChannelFollower follower =
        new ChannelFollower(
            store,
            client,
            new RequestCertificates(identity.ca()),
            clock,
            settings.channelWait(),
            new Backoff(settings.initialBackoff(), settings.maxBackoff(), random));
    OutboxSender sender =
        new OutboxSender(store, client, settings.initialBackoff(), settings.maxBackoff(), random);
    PortalVoids voids =
        new PortalVoids(
            store, client, new Backoff(settings.initialBackoff(), settings.maxBackoff(), random));
    AccessDecisions decisions =
        new AccessDecisions(
            store, client, files, new Outbox(random, sender.wakeup()), random, clock, voids::wake);
    JournalIntake journal =
        new JournalIntake(
            store,
            new Outbox(random, sender.wakeup()),
            settings.root(),
            clock,
            Duration.ofSeconds(1));
    sender.observe(metrics);
    decisions.observe(metrics);
    journal.observe(metrics);
    follower.start();
    sender.start();
    voids.start();
    journal.start();
    OfflineAccounts offline =
        new OfflineAccounts(store, files, new Outbox(random, sender.wakeup()), random, clock);
    Doors doors = new Doors(store, new Outbox(random, sender.wakeup()), clock);
    running = new Running(client, follower, sender, voids, journal, decisions, offline, doors);
    LOG.info("gateway following the portal domain={}", pairing.domain());
  }

  private void stopFollowing() {
    if (running != null) {
      running.follower().close();
      running.sender().close();
      running.voids().close();
      running.journal().close();
      running = null;
    }
  }

  /**
   * Pairs (or pairs again for a new owner) and starts following the portal as the new gateway. The
   * threads of the previous pairing are stopped first, so that none of them writes its cursor or
   * requests over the new pairing's. Once paired, the b2b is restarted ({@link B2bSignal#restart}),
   * so that it registers with the new {@code agent.pem} and DOMAIN.
   *
   * @param username the owner's portal username
   * @param password the owner's password; not kept
   * @param friendlyName e.g. {@code Location: Loft}
   * @return the new pairing
   * @throws io.doorpair.ipgw.pairing.PairingException when pairing fails (the previous pairing then
   *     keeps running)
   */
  public Pairing pair(String username, char[] password, String friendlyName) {
    Pairing paired = pairAndFollow(username, password, friendlyName);
    // the running b2b holds the previous agent.pem and DOMAIN: it starts over on the new files
    // (outside the core's lock: stopping it may wait for its calls to end)
    settings.signal().restart();
    return paired;
  }

  private synchronized Pairing pairAndFollow(
      String username, char[] password, String friendlyName) {
    GatewayPairing pairing = new GatewayPairing(store, files, settings.pairing(), random, clock);
    stopFollowing();
    try {
      return pairing.pair(settings.portal(), username, password, friendlyName);
    } finally {
      startFollowing();
    }
  }

  /**
   * Renews the gateway certificate now ({@link GatewayRenewal}): same key and {@code ipgw@DOMAIN};
   * during a portal CA rotation the new CA is accepted only over its cross-certificate from the
   * pinned CA, then stored and pinned. The threads following the portal start over with the new
   * identity, and the b2b is restarted ({@link B2bSignal#restart}) so that it presents the new
   * {@code agent.pem} and trusts the new {@code cafile.pem}.
   *
   * @return the pairing with the renewed certificate
   * @throws io.doorpair.ipgw.pairing.PairingException when the renewal fails or is refused (nothing
   *     changed)
   */
  public Pairing renew() {
    Pairing renewed = renewAndFollow();
    settings.signal().restart();
    return renewed;
  }

  /**
   * Renews when less than a third of the certificate's validity, or 30 days, is left, or when the
   * portal serves another CA than the pinned one (a CA rotation: {@code GET /api/ca.pem}). The core
   * checks this itself a minute after it starts, then every six hours.
   *
   * @return the renewed pairing, or empty when no renewal was due
   * @throws io.doorpair.ipgw.pairing.PairingException when the portal cannot be asked, or the
   *     renewal fails or is refused
   */
  public Optional<Pairing> renewIfDue() {
    if (!renewal.isDue() && !renewal.portalCaRotated(settings.portal())) {
      return Optional.empty();
    }
    return Optional.of(renew());
  }

  private void renewIfDueQuietly() {
    try {
      renewIfDue().ifPresent(p -> LOG.info("gateway certificate renewed domain={}", p.domain()));
    } catch (PairingException e) {
      LOG.warn("gateway certificate renewal failed ({}): {}", e.code(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("gateway certificate renewal failed: {}", e.toString());
    }
  }

  private synchronized Pairing renewAndFollow() {
    Pairing renewed = renewal.renew(settings.portal());
    startFollowing();
    return renewed;
  }

  /**
   * The metrics of this gateway agent: the use cases count into them, the outbox depth is a gauge.
   *
   * @return the metrics
   */
  public GatewayMetrics metrics() {
    return metrics;
  }

  /**
   * Checks that the store answers a query, for {@code /health}.
   *
   * @throws io.doorpair.ipgw.store.StoreException when it does not
   */
  public void checkStore() {
    store.transaction(OutboxTable::size);
  }

  /**
   * The current pairing.
   *
   * @return the pairing, empty before the first
   */
  public Optional<Pairing> pairing() {
    return store.transaction(PairingTable::get);
  }

  /**
   * The owner's decisions on requests and accounts.
   *
   * @return the decisions of the current pairing
   * @throws DecisionException {@code not_paired} before pairing
   */
  public synchronized AccessDecisions decisions() {
    if (running == null) {
      throw new DecisionException(DecisionException.NOT_PAIRED, "the gateway is not paired", null);
    }
    return running.decisions();
  }

  /**
   * The offline (QR code) accounts of DESIGN §9.
   *
   * @return the use cases of the current pairing
   * @throws DecisionException {@code not_paired} before pairing
   */
  public synchronized OfflineAccounts offline() {
    if (running == null) {
      throw new DecisionException(DecisionException.NOT_PAIRED, "the gateway is not paired", null);
    }
    return running.offline();
  }

  /**
   * The door stations (display names, registration state).
   *
   * @return the doors of the current pairing
   * @throws DecisionException {@code not_paired} before pairing
   */
  public synchronized Doors doors() {
    if (running == null) {
      throw new DecisionException(DecisionException.NOT_PAIRED, "the gateway is not paired", null);
    }
    return running.doors();
  }

  /** Stops the threads and closes the store. */
  @Override
  public synchronized void close() {
    renewals.shutdownNow();
    stopFollowing();
    store.close();
  }
}
