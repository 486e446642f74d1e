package io.doorpair.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.PublicKeyHash;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.SipPasswordCipher;
import io.doorpair.welcome.api.AccessStatus;
import io.doorpair.welcome.api.ChannelEntry;
import io.doorpair.welcome.api.ChannelPage;
import io.doorpair.welcome.api.ChannelRequest;
import io.doorpair.welcome.api.DeliveredEvent;
import io.doorpair.welcome.api.EventPage;
import io.doorpair.welcome.api.GatewayRole;
import io.doorpair.welcome.api.GuestInfo;
import io.doorpair.welcome.api.JoinableGateway;
import io.doorpair.welcome.api.PostedEvent;
import io.doorpair.welcome.api.RequestStatus;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.http.PortalException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The access flow of docs/access-flow.md played by the Java client against a real portal process:
 * the owner's gateway and app, a guest's app, the gateway's channel, an approval with an encrypted
 * password, events. Each party is its own {@link PortalClient} with its own certificate.
 */
final class AccessFlowScenario {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long GUARD_SECONDS = 90;
  private static final String PORTAL_DOMAIN = "portal.localhost";

  private final PortalClient firstContact;
  private final X509Certificate ca;
  private final SecureRandom random = new SecureRandom();

  AccessFlowScenario(PortalClient firstContact, X509Certificate ca) {
    this.firstContact = firstContact;
    this.ca = ca;
  }

  /** A paired party: its client and its key. */
  record Party(PortalClient client, KeyPair keys, X509Certificate certificate) {}

  Party pairApp(String user, String password, String friendlyName) throws Exception {
    KeyPair keys = RsaKeys.generate(2048);
    String csr =
        CertificateRequest.create(keys, user + "@" + PORTAL_DOMAIN, Optional.of(UUID.randomUUID()))
            .pem();
    X509Certificate cert =
        Pem.parseCertificate(
            firstContact.pair(user, password.toCharArray(), csr, friendlyName).certificate());
    return new Party(firstContact.withIdentity(keys.getPrivate(), List.of(cert), ca), keys, cert);
  }

  Party pairGateway(String owner, String password, String domain) throws Exception {
    KeyPair keys = RsaKeys.generate(2048);
    String csr = CertificateRequest.create(keys, "ipgw@" + domain, Optional.empty()).pem();
    X509Certificate cert =
        Pem.parseCertificate(
            firstContact.pair(owner, password.toCharArray(), csr, "Location: Loft").certificate());
    return new Party(firstContact.withIdentity(keys.getPrivate(), List.of(cert), ca), keys, cert);
  }

  /**
   * The whole flow.
   *
   * @param alicePassword the owner's password (user {@code alice})
   * @param bobPassword the guest's password (user {@code bob})
   */
  void run(String alicePassword, String bobPassword) throws Exception {
    ExecutorService background = Executors.newCachedThreadPool();
    try {
      run(alicePassword, bobPassword, background);
    } finally {
      background.shutdownNow();
    }
  }

  private void run(String alicePassword, String bobPassword, ExecutorService background)
      throws Exception {
    String domain = "e2e" + UUID.randomUUID().toString().replace("-", "").substring(0, 9);
    Party gateway = pairGateway("alice", alicePassword, domain);
    Party alice = pairApp("alice", alicePassword, "Alice's phone");
    Party bob = pairApp("bob", bobPassword, "Bob's phone");

    // Before the invitation the gateway is alice's alone.
    assertThat(alice.client().joinableGateways())
        .containsExactly(new JoinableGateway(domain, "Location: Loft", GatewayRole.OWNER));
    assertThat(bob.client().joinableGateways()).isEmpty();
    assertThatThrownBy(() -> bob.client().createSipAccount(domain))
        .isInstanceOfSatisfying(
            PortalException.class, e -> assertThat(e.code()).isEqualTo("not_joinable"));

    // The owner invites bob; only the owner may.
    assertThat(alice.client().inviteGuest(domain, "bob")).isTrue();
    assertThat(alice.client().inviteGuest(domain, "bob")).isFalse();
    assertThat(alice.client().guests(domain))
        .extracting(GuestInfo::username)
        .containsExactly("bob");
    assertThatThrownBy(() -> bob.client().guests(domain))
        .isInstanceOfSatisfying(
            PortalException.class, e -> assertThat(e.code()).isEqualTo("not_owner"));
    assertThat(bob.client().joinableGateways())
        .containsExactly(new JoinableGateway(domain, "Location: Loft", GatewayRole.GUEST));

    // The gateway waits on its channel; bob's app asks for an account and waits for it.
    CompletableFuture<ChannelPage> polled =
        CompletableFuture.supplyAsync(
            () -> gateway.client().channel(0, Optional.of(WAIT), 100), background);
    AccessStatus asked = bob.client().createSipAccount(domain);
    assertThat(asked.status()).isEqualTo(RequestStatus.PENDING);
    assertThat(asked.gatewayUri()).isEqualTo("sip:ipgw@" + domain);
    assertThat(bob.client().createSipAccount(domain).requestId())
        .as("idempotent per device")
        .isEqualTo(asked.requestId());
    CompletableFuture<AccessStatus> awaited =
        CompletableFuture.supplyAsync(
            () -> bob.client().approvedAccount(domain, Optional.of(WAIT)), background);

    ChannelPage page = polled.get(GUARD_SECONDS, TimeUnit.SECONDS);
    assertThat(page.items()).hasSize(1);
    ChannelEntry item = page.items().get(0);
    assertThat(item.type()).isEqualTo(ChannelEntry.Type.REQUEST);
    ChannelRequest request = item.request();
    assertThat(request.requestId()).isEqualTo(asked.requestId());
    assertThat(request.username()).isEqualTo("bob");
    assertThat(request.friendlyName()).isEqualTo("Bob's phone");
    assertThat(page.cursor()).isEqualTo(item.seq());

    // The gateway: the public key hash from the certificate it received, a password encrypted
    // to that key, the GRUU bound to the certificate.
    X509Certificate requester = Pem.parseCertificate(request.certificate());
    assertThat(requester).isEqualTo(bob.certificate());
    assertThat(PublicKeyHash.of(requester)).isEqualTo(PublicKeyHash.of(bob.keys().getPublic()));
    SipPassword password = SipPassword.generate(random);
    String ciphertext = SipPasswordCipher.encrypt(password, requester.getPublicKey());
    AccessStatus approved =
        gateway.client().approve(request.requestId(), "bob-e2e", ciphertext, request.gruu());
    assertThat(approved.status()).isEqualTo(RequestStatus.APPROVED);
    assertThatThrownBy(() -> gateway.client().deny(request.requestId()))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.code()).isEqualTo("not_pending");
            });

    // Bob's app: the approved account, the same password once decrypted with its own key.
    AccessStatus account = awaited.get(GUARD_SECONDS, TimeUnit.SECONDS);
    if (account.status() == RequestStatus.PENDING) {
      // The wait ended before the approval (a very slow machine): ask again, at once.
      account = bob.client().approvedAccount(domain, Optional.empty());
    }
    AccessStatus.Account sip = account.account().orElseThrow();
    assertThat(sip.sipUsername()).isEqualTo("bob-e2e");
    assertThat(sip.gruu()).isEqualTo(request.gruu());
    assertThat(SipPasswordCipher.decrypt(sip.encryptedPassword(), bob.keys().getPrivate()))
        .isEqualTo(password);
    assertThat(account.sipDomain()).isEqualTo(PORTAL_DOMAIN);

    // Events: a batch posted twice is stored once.
    List<PostedEvent> batch =
        List.of(
            new PostedEvent(
                "ev-1",
                "journal",
                Instant.parse("2026-12-04T10:00:00Z"),
                "{\"call\":\"missed\",\"door\":\"Front\"}"),
            new PostedEvent(
                "ev-2", "acl", Instant.parse("2026-12-04T10:00:01Z"), "{\"added\":\"bob\"}"));
    assertThat(gateway.client().postEvents(batch).stored()).isEqualTo(2);
    var again = gateway.client().postEvents(batch);
    assertThat(again.stored()).isZero();
    assertThat(again.duplicates()).isEqualTo(2);

    EventPage events = bob.client().events(Optional.empty(), Optional.empty(), 100);
    assertThat(events.events()).extracting(DeliveredEvent::id).containsExactly("ev-1", "ev-2");
    assertThat(events.events()).extracting(DeliveredEvent::domain).containsOnly(domain);
    assertThat(events.events().get(0).payload())
        .isEqualTo("{\"call\":\"missed\",\"door\":\"Front\"}");
    assertThat(events.events().get(1).seq()).isGreaterThan(events.events().get(0).seq());
    assertThat(alice.client().events(Optional.empty(), Optional.empty(), 100).events())
        .extracting(DeliveredEvent::id)
        .containsExactly("ev-1", "ev-2");

    // From the cursor: nothing new; then a waiting reader gets the next event.
    assertThat(bob.client().events(Optional.of(events.cursor()), Optional.empty(), 100).events())
        .isEmpty();
    CompletableFuture<EventPage> next =
        CompletableFuture.supplyAsync(
            () -> bob.client().events(Optional.of(events.cursor()), Optional.of(WAIT), 100),
            background);
    gateway
        .client()
        .postEvents(
            List.of(
                new PostedEvent(
                    "ev-3", "journal", Instant.parse("2026-12-04T10:05:00Z"), "{\"door\":1}")));
    EventPage later = next.get(GUARD_SECONDS, TimeUnit.SECONDS);
    if (later.events().isEmpty()) {
      // The wait ended before the post (a very slow machine): read again from the same cursor.
      later = bob.client().events(Optional.of(events.cursor()), Optional.empty(), 100);
    }
    assertThat(later.events()).extracting(DeliveredEvent::id).containsExactly("ev-3");

    // Removing the guest: bob no longer joins the gateway.
    alice.client().removeGuest(domain, "bob");
    assertThat(bob.client().joinableGateways()).isEmpty();
    assertThat(bob.client().events(Optional.of(later.cursor()), Optional.empty(), 100).events())
        .isEmpty();
  }
}
