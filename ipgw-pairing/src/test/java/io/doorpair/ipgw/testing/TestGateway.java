package io.doorpair.ipgw.testing;

import io.doorpair.b2b.conf.GatewayPaths;
import io.doorpair.ipgw.accounts.B2bSignal;
import io.doorpair.ipgw.accounts.FileSync;
import io.doorpair.ipgw.files.GatewayFiles;
import io.doorpair.ipgw.outbox.Backoff;
import io.doorpair.ipgw.outbox.Outbox;
import io.doorpair.ipgw.outbox.OutboxSender;
import io.doorpair.ipgw.pairing.GatewayIdentity;
import io.doorpair.ipgw.pairing.GatewayPairing;
import io.doorpair.ipgw.pairing.PairingSettings;
import io.doorpair.ipgw.requests.AccessDecisions;
import io.doorpair.ipgw.requests.ChannelFollower;
import io.doorpair.ipgw.requests.RequestCertificates;
import io.doorpair.ipgw.store.GatewayStore;
import io.doorpair.ipgw.store.Pairing;
import io.doorpair.ipgw.store.PairingTable;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.welcome.http.PortalClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A gateway's parts in a temporary folder ({@code root/} for /etc, {@code data/} for the store).
 */
public final class TestGateway implements AutoCloseable {
  /** Settings for tests: 2048-bit keys for speed. */
  public static final PairingSettings SETTINGS =
      new PairingSettings("sips:127.0.0.1:5061", "sip:127.0.0.1:5070;transport=tcp", 2048, 5);

  public static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final AtomicInteger reloads = new AtomicInteger();
  private GatewayStore store;

  public TestGateway(Path dir) {
    this.dir = dir;
    this.store = GatewayStore.open(data());
  }

  public Path root() {
    return dir.resolve("root");
  }

  public Path data() {
    return dir.resolve("data");
  }

  public GatewayPaths paths() {
    return GatewayPaths.under(root());
  }

  public GatewayStore store() {
    return store;
  }

  /** How often the b2b was told to reload. */
  public int reloads() {
    return reloads.get();
  }

  public FileSync fileSync() {
    B2bSignal signal = reloads::incrementAndGet;
    return new FileSync(store, new GatewayFiles(paths()), signal);
  }

  public GatewayPairing pairing() {
    return new GatewayPairing(store, fileSync(), SETTINGS, RANDOM, Clock.systemUTC());
  }

  public GatewayPairing pairing(Supplier<String> domains) {
    return new GatewayPairing(store, fileSync(), SETTINGS, RANDOM, Clock.systemUTC(), domains);
  }

  /** Pairs with {@code portal} as {@code owner}. */
  public Pairing pair(PortalExtension portal, String owner, String password) {
    return pairing().pair(portal.client(), owner, password.toCharArray(), "Location: Loft");
  }

  public Pairing stored() {
    return store.transaction(PairingTable::get).orElseThrow();
  }

  /** The gateway's mutual-TLS client of {@code portalUrl} (the portal, or a relay to it). */
  public PortalClient client(PortalExtension portal, String portalUrl) {
    PortalClient base =
        PortalClient.builder(portalUrl)
            .trustAnchors(java.util.List.of(portal.portal().caCertificate()))
            .build();
    return GatewayIdentity.of(stored()).client(base);
  }

  public PortalClient client(PortalExtension portal) {
    return client(portal, portal.url());
  }

  public ChannelFollower follower(PortalClient client) {
    return new ChannelFollower(
        store,
        client,
        new RequestCertificates(GatewayIdentity.of(stored()).ca()),
        Clock.systemUTC(),
        Duration.ofSeconds(5),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), RANDOM));
  }

  public Outbox outbox() {
    return new Outbox(RANDOM, OutboxSender.Wakeup.NONE);
  }

  public AccessDecisions decisions(PortalClient client) {
    return new AccessDecisions(store, client, fileSync(), outbox(), RANDOM, Clock.systemUTC());
  }

  /** Closes and opens the store again, as a restart does. */
  public void reopen() {
    store.close();
    store = GatewayStore.open(data());
  }

  @Override
  public void close() {
    store.close();
  }
}
