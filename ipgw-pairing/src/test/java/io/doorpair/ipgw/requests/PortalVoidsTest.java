package io.doorpair.ipgw.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.PublicKeyHash;
import io.doorpair.crypto.SecurityCode;
import io.doorpair.ipgw.outbox.Backoff;
import io.doorpair.ipgw.store.Account;
import io.doorpair.ipgw.store.PortalVoidTable;
import io.doorpair.ipgw.store.Rights;
import io.doorpair.ipgw.store.StoredRequest;
import io.doorpair.ipgw.testing.TcpRelay;
import io.doorpair.ipgw.testing.TestApp;
import io.doorpair.ipgw.testing.TestGateway;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.welcome.api.AccessStatus;
import io.doorpair.welcome.api.RequestStatus;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.http.PortalException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portal is told what the gateway voided (5 wrong codes, a removed device), against a real
 * portal: the app's {@code get_approved_account} then answers {@code void} without the encrypted
 * password, and asking again makes a new request; while the portal is unreachable the void waits in
 * the store, across a restart.
 */
class PortalVoidsTest {
  private static final String PASSWORD = "password1";

  @RegisterExtension static PortalExtension portal = new PortalExtension();

  @TempDir Path dir;

  private TestGateway gateway;
  private String owner;
  private String domain;
  private PortalClient client;
  private ChannelFollower follower;
  private final AtomicInteger wakes = new AtomicInteger();

  @BeforeEach
  void pairGateway() {
    owner = Actors.newUser(portal, "owner", PASSWORD);
    gateway = new TestGateway(dir);
    domain = gateway.pair(portal, owner, PASSWORD).domain();
    client = gateway.client(portal);
    follower = gateway.follower(client);
  }

  @AfterEach
  void close() {
    gateway.close();
  }

  private AccessDecisions decisions(PortalClient portalClient) {
    return new AccessDecisions(
        gateway.store(),
        portalClient,
        gateway.fileSync(),
        gateway.outbox(),
        TestGateway.RANDOM,
        Clock.systemUTC(),
        wakes::incrementAndGet);
  }

  private PortalVoids voids(PortalClient portalClient) {
    return new PortalVoids(
        gateway.store(),
        portalClient,
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), TestGateway.RANDOM));
  }

  private List<Long> queued() {
    return gateway.store().transaction(c -> PortalVoidTable.head(c, 100));
  }

  @Test
  void five_wrong_codes_void_the_request_at_the_portal() {
    AccessDecisions decisions = decisions(client);
    TestApp app = TestApp.pair(portal, owner, PASSWORD);
    app.client().createSipAccount(domain);
    StoredRequest request = awaitPending(decisions);
    decisions.approve(request.requestId(), Rights.ALL);
    AccessStatus approved = app.client().approvedAccount(domain, Optional.empty());
    assertThat(approved.status()).isEqualTo(RequestStatus.APPROVED);
    assertThat(approved.encryptedPassword()).isNotNull();
    String hash = PublicKeyHash.of(app.keys().getPublic());
    String wrong = wrongCode(SecurityCode.generate(hash, new SecureRandom()), hash);
    for (int i = 0; i < AccessDecisions.MAX_WRONG_CODES - 1; i++) {
      decisions.enterCode(request.requestId(), wrong);
    }
    assertThat(queued()).isEmpty();
    assertThat(wakes.get()).isZero();

    decisions.enterCode(request.requestId(), wrong);

    assertThat(queued()).containsExactly(request.requestId());
    assertThat(wakes.get()).isEqualTo(1);
    assertThat(voids(client).sendOnce()).isEqualTo(1);
    assertThat(queued()).isEmpty();
    AccessStatus seen = app.client().approvedAccount(domain, Optional.empty());
    assertThat(seen.status()).isEqualTo(RequestStatus.VOID);
    assertThat(seen.encryptedPassword()).isNull();
    assertThat(seen.sipUsername()).isNull();
    AccessStatus again = app.client().createSipAccount(domain);
    assertThat(again.status()).isEqualTo(RequestStatus.PENDING);
    assertThat(again.requestId()).isGreaterThan(request.requestId());
  }

  @Test
  void a_removed_device_is_void_at_the_portal_once_it_is_reachable_again_across_a_restart()
      throws Exception {
    try (TcpRelay relay = new TcpRelay(portal.portal().apiPort())) {
      PortalClient relayed = gateway.client(portal, relay.url());
      AccessDecisions decisions = decisions(relayed);
      TestApp app = TestApp.pair(portal, owner, PASSWORD);
      app.client().createSipAccount(domain);
      StoredRequest request = awaitPending(decisions);
      Account account = decisions.approve(request.requestId(), Rights.ALL);
      decisions.enterCode(
          request.requestId(),
          SecurityCode.generate(request.keyHash(), new SecureRandom()).value());

      relay.setUp(false);
      decisions.remove(account.sipUsername());
      assertThat(queued()).containsExactly(request.requestId());
      assertThatThrownBy(() -> voids(relayed).sendOnce()).isInstanceOf(PortalException.class);
      assertThat(queued()).containsExactly(request.requestId());
      assertThat(app.client().approvedAccount(domain, Optional.empty()).status())
          .isEqualTo(RequestStatus.APPROVED);

      gateway.reopen();
      assertThat(queued()).as("kept across a restart").containsExactly(request.requestId());
      relay.setUp(true);
      PortalVoids sender = voids(relayed);
      sender.start();
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!queued().isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
      } finally {
        sender.close();
      }
      assertThat(queued()).isEmpty();
      AccessStatus seen = app.client().approvedAccount(domain, Optional.empty());
      assertThat(seen.status()).isEqualTo(RequestStatus.VOID);
      assertThat(seen.encryptedPassword()).isNull();
    }
  }

  @Test
  void a_void_the_portal_refuses_for_good_is_dropped() {
    AccessDecisions decisions = decisions(client);
    TestApp app = TestApp.pair(portal, owner, PASSWORD);
    app.client().createSipAccount(domain);
    StoredRequest request = awaitPending(decisions);
    decisions.deny(request.requestId());
    gateway
        .store()
        .transaction(
            c -> {
              PortalVoidTable.queue(c, request.requestId(), java.time.Instant.now());
              PortalVoidTable.queue(c, 999_999_999L, java.time.Instant.now());
              return null;
            });

    assertThat(voids(client).sendOnce()).isEqualTo(2);

    assertThat(queued()).isEmpty();
    assertThat(app.client().approvedAccount(domain, Optional.empty()).status())
        .isEqualTo(RequestStatus.DENIED);
  }

  private StoredRequest awaitPending(AccessDecisions decisions) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (decisions.pending().isEmpty() && System.nanoTime() < deadline) {
      follower.pollOnce(Optional.of(Duration.ofSeconds(5)));
    }
    assertThat(decisions.pending()).hasSize(1);
    return decisions.pending().get(0);
  }

  private static String wrongCode(SecurityCode right, String hash) {
    for (int i = 0; i < 10_000; i++) {
      String candidate = String.format(Locale.ROOT, "%s%04x", right.salt(), i);
      if (!SecurityCode.matches(candidate, hash)) {
        return candidate;
      }
    }
    throw new AssertionError("no wrong code found");
  }
}
