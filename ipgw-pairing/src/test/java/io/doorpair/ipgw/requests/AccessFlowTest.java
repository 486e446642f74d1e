package io.doorpair.ipgw.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.b2b.conf.AccountsList;
import io.doorpair.b2b.conf.AclList;
import io.doorpair.b2b.conf.AppAccount;
import io.doorpair.b2b.conf.B2bConf;
import io.doorpair.b2b.conf.B2bFiles;
import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.conf.PasswdFile;
import io.doorpair.crypto.PublicKeyHash;
import io.doorpair.crypto.SecurityCode;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.SipPasswordCipher;
import io.doorpair.ipgw.outbox.OutboxSender;
import io.doorpair.ipgw.store.Account;
import io.doorpair.ipgw.store.GatewayStore;
import io.doorpair.ipgw.store.OutboxTable;
import io.doorpair.ipgw.store.Pairing;
import io.doorpair.ipgw.store.RequestState;
import io.doorpair.ipgw.store.RequestTable;
import io.doorpair.ipgw.store.Rights;
import io.doorpair.ipgw.store.StoredRequest;
import io.doorpair.ipgw.testing.TestApp;
import io.doorpair.ipgw.testing.TestGateway;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.welcome.api.AccessStatus;
import io.doorpair.welcome.api.DeliveredEvent;
import io.doorpair.welcome.api.EventPage;
import io.doorpair.welcome.api.RequestStatus;
import io.doorpair.welcome.http.PortalClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steps 5 to 13 against a real portal on loopback: an app (the real {@link PortalClient}) asks, the
 * request arrives on the gateway's channel, the owner approves, the app decrypts its account, the
 * owner types wrong then right security codes, the files follow.
 */
class AccessFlowTest {
  private static final String PASSWORD = "password1";
  private static final Rights DOOR_ONLY_THIS_PHONE = new Rights(true, true, false, true);

  @RegisterExtension static PortalExtension portal = new PortalExtension();

  @TempDir Path dir;

  private TestGateway gateway;
  private String owner;
  private String domain;
  private PortalClient client;
  private ChannelFollower follower;
  private AccessDecisions decisions;

  @BeforeEach
  void pairGateway() {
    owner = Actors.newUser(portal, "owner", PASSWORD);
    gateway = new TestGateway(dir);
    Pairing pairing = gateway.pair(portal, owner, PASSWORD);
    domain = pairing.domain();
    client = gateway.client(portal);
    follower = gateway.follower(client);
    decisions = gateway.decisions(client);
  }

  @AfterEach
  void close() {
    gateway.close();
  }

  @Test
  void request_approval_security_code_and_enabling() throws IOException {
    TestApp app = TestApp.pair(portal, owner, PASSWORD);
    assertThat(app.client().createSipAccount(domain).status()).isEqualTo(RequestStatus.PENDING);

    StoredRequest request = awaitPending();
    assertThat(request.username()).isEqualTo(owner);
    assertThat(request.friendlyName()).isEqualTo("phone of " + owner);
    assertThat(request.gruu()).isEqualTo(app.gruu());
    assertThat(request.keyHash()).isEqualTo(PublicKeyHash.of(app.keys().getPublic()));

    Account account = decisions.approve(request.requestId(), DOOR_ONLY_THIS_PHONE);
    assertThat(account.enabled()).isFalse();
    assertThat(account.sipUsername()).matches(owner + "-[0-9a-f]{4}");
    assertThat(passwd()).extracting(PasswdEntry::user).containsExactly("ipgw");
    assertThat(acl()).isEmpty();

    AccessStatus status = app.client().approvedAccount(domain, Optional.empty());
    assertThat(status.status()).isEqualTo(RequestStatus.APPROVED);
    AccessStatus.Account sent = status.account().orElseThrow();
    assertThat(sent.sipUsername()).isEqualTo(account.sipUsername());
    assertThat(sent.gruu()).isEqualTo(app.gruu());
    SipPassword decrypted =
        SipPasswordCipher.decrypt(sent.encryptedPassword(), app.keys().getPrivate());
    assertThat(decrypted).isEqualTo(account.password());

    String hash = PublicKeyHash.of(app.keys().getPublic());
    SecurityCode right = SecurityCode.generate(hash, new SecureRandom());
    String wrong = wrongCode(right, hash);
    assertThat(decisions.enterCode(request.requestId(), wrong))
        .isEqualTo(new CodeOutcome(CodeOutcome.Result.WRONG, 4));
    assertThat(decisions.enterCode(request.requestId(), "12"))
        .isEqualTo(new CodeOutcome(CodeOutcome.Result.MALFORMED, 4));
    assertThat(acl()).isEmpty();
    int reloads = gateway.reloads();

    String typed =
        right.value().substring(0, 4)
            + "-"
            + right.value().substring(4).toUpperCase(java.util.Locale.ROOT);
    assertThat(decisions.enterCode(request.requestId(), typed).result())
        .isEqualTo(CodeOutcome.Result.ENABLED);
    assertThat(passwd())
        .contains(new PasswdEntry(account.sipUsername(), domain, account.password()));
    assertThat(acl()).containsExactly(owner);
    assertThat(accounts())
        .containsExactly(
            new AppAccount(
                account.sipUsername(),
                owner,
                Optional.of(app.gruu()),
                DOOR_ONLY_THIS_PHONE.doorCalls(),
                DOOR_ONLY_THIS_PHONE.openDoor(),
                DOOR_ONLY_THIS_PHONE.cameras(),
                DOOR_ONLY_THIS_PHONE.gruuOnly()));
    // approved through the portal: never a LAN account (its password gets 403 on the LAN)
    assertThat(accounts()).allSatisfy(a -> assertThat(a.portal() && !a.lan()).isTrue());
    // the b2b accepts the three files together
    assertThat(
            B2bFiles.loadAccess(
                    gateway.paths(), B2bConf.parse(Files.readString(gateway.paths().b2bConf())))
                .appAccounts())
        .hasSize(1);
    assertThat(gateway.reloads()).isEqualTo(reloads + 1);
    assertThat(decisions.accounts())
        .singleElement()
        .satisfies(a -> assertThat(a.enabled()).isTrue());

    assertThatThrownBy(() -> decisions.enterCode(request.requestId(), right.value()))
        .isInstanceOf(DecisionException.class)
        .hasFieldOrPropertyWithValue("code", DecisionException.NOT_AWAITING_CODE);

    OutboxSender sender =
        new OutboxSender(
            gateway.store(),
            client,
            Duration.ofMillis(50),
            Duration.ofMillis(500),
            new SecureRandom());
    assertThat(sender.sendOnce()).isEqualTo(2);
    EventPage events = app.client().events(Optional.empty(), Optional.empty(), 100);
    assertThat(events.events()).extracting(DeliveredEvent::kind).containsExactly("accounts", "acl");
    assertThat(events.events().get(1).payload())
        .contains("\"action\":\"added\"", "\"username\":\"" + owner + "\"", "\"gruu_only\":true");
  }

  @Test
  void five_wrong_codes_void_the_request_and_its_account() throws IOException {
    TestApp app = TestApp.pair(portal, owner, PASSWORD);
    app.client().createSipAccount(domain);
    StoredRequest request = awaitPending();
    decisions.approve(request.requestId(), Rights.ALL);
    String hash = PublicKeyHash.of(app.keys().getPublic());
    SecurityCode right = SecurityCode.generate(hash, new SecureRandom());
    String wrong = wrongCode(right, hash);
    for (int left = 4; left >= 1; left--) {
      assertThat(decisions.enterCode(request.requestId(), wrong))
          .isEqualTo(new CodeOutcome(CodeOutcome.Result.WRONG, left));
    }
    assertThat(decisions.enterCode(request.requestId(), wrong))
        .isEqualTo(new CodeOutcome(CodeOutcome.Result.VOID, 0));
    assertThatThrownBy(() -> decisions.enterCode(request.requestId(), right.value()))
        .isInstanceOf(DecisionException.class)
        .hasFieldOrPropertyWithValue("code", DecisionException.NOT_AWAITING_CODE);
    assertThat(decisions.accounts()).isEmpty();
    assertThat(state(request.requestId())).isEqualTo(RequestState.VOID);
    assertThat(acl()).isEmpty();
  }

  @Test
  void the_code_of_another_request_is_wrong() {
    TestApp first = TestApp.pair(portal, owner, PASSWORD);
    TestApp second = TestApp.pair(portal, owner, PASSWORD);
    first.client().createSipAccount(domain);
    second.client().createSipAccount(domain);
    awaitPendingCount(2);
    List<StoredRequest> pending = decisions.pending();
    StoredRequest a = pending.get(0);
    StoredRequest b = pending.get(1);
    decisions.approve(a.requestId(), Rights.ALL);
    decisions.approve(b.requestId(), Rights.ALL);
    SecurityCode codeOfB = SecurityCode.generate(b.keyHash(), new SecureRandom());
    assertThat(SecurityCode.matches(codeOfB.value(), a.keyHash())).isFalse();
    assertThat(decisions.enterCode(a.requestId(), codeOfB.value()).result())
        .isEqualTo(CodeOutcome.Result.WRONG);
    assertThat(decisions.enterCode(b.requestId(), codeOfB.value()).result())
        .isEqualTo(CodeOutcome.Result.ENABLED);
  }

  @Test
  void denial_reaches_the_app() {
    TestApp app = TestApp.pair(portal, owner, PASSWORD);
    app.client().createSipAccount(domain);
    StoredRequest request = awaitPending();
    decisions.deny(request.requestId());
    assertThat(app.client().approvedAccount(domain, Optional.empty()).status())
        .isEqualTo(RequestStatus.DENIED);
    assertThat(state(request.requestId())).isEqualTo(RequestState.DENIED);
    assertThatThrownBy(() -> decisions.approve(request.requestId(), Rights.ALL))
        .isInstanceOf(DecisionException.class)
        .hasFieldOrPropertyWithValue("code", DecisionException.NOT_PENDING);
  }

  @Test
  void a_removed_guest_voids_the_pending_request_through_the_channel() {
    TestApp ownerApp = TestApp.pair(portal, owner, PASSWORD);
    String guest = Actors.newUser(portal, "guest", PASSWORD);
    ownerApp.client().inviteGuest(domain, guest);
    TestApp guestApp = TestApp.pair(portal, guest, PASSWORD);
    guestApp.client().createSipAccount(domain);
    StoredRequest request = awaitPending();
    assertThat(request.username()).isEqualTo(guest);
    ownerApp.client().removeGuest(domain, guest);
    follower.pollOnce(Optional.of(Duration.ofSeconds(5)));
    assertThat(state(request.requestId())).isEqualTo(RequestState.VOID);
    assertThat(decisions.pending()).isEmpty();
  }

  @Test
  void approving_what_the_portal_voided_meanwhile_is_not_pending() {
    TestApp ownerApp = TestApp.pair(portal, owner, PASSWORD);
    String guest = Actors.newUser(portal, "guest", PASSWORD);
    ownerApp.client().inviteGuest(domain, guest);
    TestApp guestApp = TestApp.pair(portal, guest, PASSWORD);
    guestApp.client().createSipAccount(domain);
    StoredRequest request = awaitPending();
    ownerApp.client().removeGuest(domain, guest);
    assertThatThrownBy(() -> decisions.approve(request.requestId(), Rights.ALL))
        .isInstanceOf(DecisionException.class)
        .hasFieldOrPropertyWithValue("code", DecisionException.NOT_PENDING);
    assertThat(state(request.requestId())).isEqualTo(RequestState.VOID);
    assertThat(decisions.accounts()).isEmpty();
  }

  @Test
  void disable_rights_and_removal_rewrite_the_files_and_queue_events() throws IOException {
    TestApp app = TestApp.pair(portal, owner, PASSWORD);
    app.client().createSipAccount(domain);
    StoredRequest request = awaitPending();
    Account account = decisions.approve(request.requestId(), Rights.ALL);
    assertThatThrownBy(() -> decisions.disable(account.sipUsername()))
        .isInstanceOf(DecisionException.class)
        .hasFieldOrPropertyWithValue("code", DecisionException.NOT_AWAITING_CODE);
    decisions.enterCode(
        request.requestId(), SecurityCode.generate(request.keyHash(), new SecureRandom()).value());
    assertThat(acl()).containsExactly(owner);

    assertThat(accounts()).singleElement().satisfies(a -> assertThat(a.openDoor()).isTrue());
    decisions.setRights(account.sipUsername(), new Rights(false, true, true, false));
    assertThat(acl()).isEmpty();
    assertThat(accounts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.doorCalls()).isFalse();
              assertThat(a.cameras()).isTrue();
            });
    assertThat(passwd()).extracting(PasswdEntry::user).contains(account.sipUsername());

    decisions.disable(account.sipUsername());
    assertThat(passwd()).extracting(PasswdEntry::user).containsExactly("ipgw");
    assertThat(accounts()).isEmpty();
    decisions.enable(account.sipUsername());
    assertThat(passwd()).extracting(PasswdEntry::user).contains(account.sipUsername());

    decisions.remove(account.sipUsername());
    assertThat(passwd()).extracting(PasswdEntry::user).containsExactly("ipgw");
    assertThat(acl()).isEmpty();
    assertThat(decisions.accounts()).isEmpty();
    assertThatThrownBy(() -> decisions.remove(account.sipUsername()))
        .isInstanceOf(DecisionException.class)
        .hasFieldOrPropertyWithValue("code", DecisionException.UNKNOWN_ACCOUNT);
    // approved, added, rights_changed, disabled, enabled, removed
    assertThat(gateway.store().transaction(OutboxTable::size)).isEqualTo(6);
  }

  @Test
  void the_channel_cursor_survives_a_restart() {
    TestApp app = TestApp.pair(portal, owner, PASSWORD);
    app.client().createSipAccount(domain);
    awaitPending();
    long cursor = gateway.stored().channelCursor();
    assertThat(cursor).isPositive();
    gateway.reopen();
    assertThat(gateway.stored().channelCursor()).isEqualTo(cursor);
    ChannelFollower again = gateway.follower(client);
    assertThat(again.pollOnce(Optional.empty())).isZero();
    assertThat(gateway.decisions(client).pending()).hasSize(1);
  }

  @Test
  void the_follower_thread_picks_up_requests_as_they_arrive() throws InterruptedException {
    follower.start();
    try {
      TestApp app = TestApp.pair(portal, owner, PASSWORD);
      app.client().createSipAccount(domain);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (decisions.pending().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(decisions.pending()).hasSize(1);
    } finally {
      follower.close();
    }
  }

  @Test
  void unknown_requests_are_refused() {
    assertThatThrownBy(() -> decisions.approve(999_999, Rights.ALL))
        .isInstanceOf(DecisionException.class)
        .hasFieldOrPropertyWithValue("code", DecisionException.UNKNOWN_REQUEST);
    assertThatThrownBy(() -> decisions.enterCode(999_999, "12345678"))
        .isInstanceOf(DecisionException.class)
        .hasFieldOrPropertyWithValue("code", DecisionException.UNKNOWN_REQUEST);
  }

  private StoredRequest awaitPending() {
    awaitPendingCount(1);
    return decisions.pending().get(0);
  }

  private void awaitPendingCount(int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (decisions.pending().size() < count && System.nanoTime() < deadline) {
      follower.pollOnce(Optional.of(Duration.ofSeconds(5)));
    }
    assertThat(decisions.pending()).hasSize(count);
  }

  private RequestState state(long requestId) {
    GatewayStore store = gateway.store();
    return store.transaction(c -> RequestTable.get(c, requestId)).orElseThrow().state();
  }

  private List<PasswdEntry> passwd() throws IOException {
    return PasswdFile.parse(Files.readString(gateway.paths().passwdFile()));
  }

  private List<AppAccount> accounts() throws IOException {
    return AccountsList.parse(Files.readString(gateway.paths().accountsList()));
  }

  private List<String> acl() throws IOException {
    return AclList.parse(Files.readString(gateway.paths().aclList()));
  }

  /** A well-formed code with the right salt that does not match. */
  private static String wrongCode(SecurityCode right, String hash) {
    for (int i = 0; i < 10_000; i++) {
      String candidate = String.format(java.util.Locale.ROOT, "%s%04x", right.salt(), i);
      if (!SecurityCode.matches(candidate, hash)) {
        return candidate;
      }
    }
    throw new AssertionError("no wrong code found");
  }
}
