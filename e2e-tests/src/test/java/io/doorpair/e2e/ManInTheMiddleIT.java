package io.doorpair.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.ca.CaKeyFiles;
import io.doorpair.ca.CertificateAuthority;
import io.doorpair.crypto.PublicKeyHash;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.crypto.SecurityCode;
import io.doorpair.crypto.SipPassword;
import io.doorpair.e2e.harness.GatewayAgent;
import io.doorpair.ipgw.requests.CodeOutcome;
import io.doorpair.ipgw.store.Account;
import io.doorpair.ipgw.store.Rights;
import io.doorpair.ipgw.store.StoredRequest;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.welcome.api.AccessStatus;
import io.doorpair.welcome.flow.FlowException;
import io.doorpair.welcome.flow.Pairing;
import io.doorpair.welcome.flow.PairingRequest;
import io.doorpair.welcome.flow.ReceivedAccount;
import io.doorpair.welcome.flow.WaitProgress;
import io.doorpair.welcome.flow.WelcomeApp;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.profile.Profile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The man in the middle the security code exists for (welcome-client README, "Threat model"): a
 * hostile portal ({@link HostilePortal}, holding the portal CA's key) shows the gateway, at step 6,
 * a certificate for a key it holds instead of the app's, decrypts the SIP password the gateway
 * encrypts to it, and passes the password on to the real app so that nothing looks wrong. The real
 * portal, the real gateway code (pairing, channel, {@code AccessDecisions}) and the real app
 * library run; the owner types the code the real app shows.
 */
class ManInTheMiddleIT {
  private static final String PASSWORD = "alice's long password";
  private static final Duration LONG = Duration.ofSeconds(90);

  @RegisterExtension static PortalExtension portal = new PortalExtension();

  @TempDir Path dir;

  private final SecureRandom random = new SecureRandom();
  private GatewayAgent gateway;
  private HostilePortal hostile;

  @BeforeEach
  void user() {
    String user = "alice" + Long.toHexString(random.nextLong() & 0xffffffL);
    this.user = user;
    portal.addUser(user, PASSWORD);
  }

  private String user;

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (hostile != null) {
      hostile.close();
    }
  }

  @Test
  void the_gateway_refuses_the_code_the_real_app_shows_and_never_enables_the_account()
      throws Exception {
    Attack attack = setUp(RsaKeys.generate(2048));

    StoredRequest seen = attack.awaitRequest();
    // The gateway saw the attacker's key, not the app's.
    assertThat(hostile.forged(seen.requestId())).isTrue();
    assertThat(seen.keyHash()).isNotEqualTo(attack.appKeyHash());

    ReceivedAccount received = attack.approveAndReceive(seen);
    SipPassword stolen = hostile.stolenPassword(seen.requestId()).orElseThrow();
    // The attack worked as far as it can: the attacker holds the very password the app holds.
    assertThat(stolen).isEqualTo(attack.app().sipPassword(attack.domain()));

    CodeOutcome outcome = gateway.decisions().enterCode(seen.requestId(), received.code().value());
    assertThat(outcome.result()).isEqualTo(CodeOutcome.Result.WRONG);
    assertNeverEnabled(seen.requestId(), stolen);
  }

  @Test
  void grinding_keys_for_the_code_fails_because_the_salt_is_drawn_after_the_account_arrived()
      throws Exception {
    // Before step 6 the attacker knows the app's public key (its certificate passes through the
    // portal) but not the salt: the app has not drawn it. The best it can do is pick, among many
    // keys, the one whose code agrees with the app's for the most of the 10,000 salts.
    Profile profile = Profile.at(dir.resolve("app"));
    String domain = pairGatewayAndApp(profile);
    String appHash = PublicKeyHash.of(WelcomeApp.open(profile).identity().certificate());
    // No code exists before the account: there is nothing for the attacker to aim at yet.
    assertThatThrownBy(() -> WelcomeApp.open(profile).account(domain))
        .isInstanceOfSatisfying(
            FlowException.class, e -> assertThat(e.code()).isEqualTo(FlowException.NO_ACCOUNT));

    KeyPair best = null;
    List<String> bestSalts = List.of();
    for (int i = 0; i < 16; i++) {
      KeyPair candidate = RsaKeys.generate(2048);
      List<String> salts = agreeingSalts(PublicKeyHash.of(candidate.getPublic()), appHash);
      if (best == null || salts.size() > bestSalts.size()) {
        best = candidate;
        bestSalts = salts;
      }
    }
    // Each salt agrees with probability 1/65,536: even the best of many keys covers a handful of
    // the 10,000 salts at most.
    assertThat(bestSalts.size()).isLessThanOrEqualTo(5);

    Attack attack = attack(profile, domain, best);
    StoredRequest seen = attack.awaitRequest();
    assertThat(seen.keyHash()).isEqualTo(PublicKeyHash.of(best.getPublic()));
    ReceivedAccount received = attack.approveAndReceive(seen);

    // The salt was drawn only now, after the attacker had committed to its key at step 6.
    String salt = received.code().salt();
    assertThat(received.code()).isEqualTo(SecurityCode.of(salt, appHash));
    CodeOutcome outcome = gateway.decisions().enterCode(seen.requestId(), received.code().value());
    // The gateway decides exactly as the derivation says: it accepts only in the rare case that
    // the app drew one of the salts the ground key happens to cover (at most 5 in 10,000).
    if (bestSalts.contains(salt)) {
      assertThat(outcome.result()).isEqualTo(CodeOutcome.Result.ENABLED);
    } else {
      assertThat(outcome.result()).isEqualTo(CodeOutcome.Result.WRONG);
      assertNeverEnabled(seen.requestId(), hostile.stolenPassword(seen.requestId()).orElseThrow());
    }
  }

  // --- the scene --------------------------------------------------------------------------------

  private Attack setUp(KeyPair attackerKeys) throws Exception {
    Profile profile = Profile.at(dir.resolve("app"));
    String domain = pairGatewayAndApp(profile);
    return attack(profile, domain, attackerKeys);
  }

  /** The owner's gateway pairs with the real portal; the app pairs with the real portal. */
  private String pairGatewayAndApp(Profile profile) {
    X509Certificate ca = portal.portal().caCertificate();
    gateway = GatewayAgent.start(dir.resolve("gateway"), portal.url(), ca);
    String domain = gateway.pair(user, PASSWORD);
    PortalClient firstContact =
        PortalClient.builder(portal.url()).trustAnchors(List.of(ca)).build();
    new Pairing(random)
        .pair(
            firstContact,
            profile,
            new PairingRequest(user, portal.portal().config().domain(), "Alice's phone"),
            PASSWORD.toCharArray());
    return domain;
  }

  /** From now on the gateway's portal is the hostile one. */
  private Attack attack(Profile profile, String domain, KeyPair attackerKeys) throws IOException {
    X509Certificate ca = portal.portal().caCertificate();
    CertificateAuthority stolenCa =
        CaKeyFiles.loadOrCreate(
            portal.dataDir(), PortalExtension.TEST_CA, Clock.systemUTC(), new SecureRandom());
    hostile =
        new HostilePortal(
            portal.url(),
            stolenCa,
            ca,
            gateway.identity().key(),
            gateway.identity().certificate(),
            attackerKeys);
    gateway.reconnect(hostile.url(), ca);
    WelcomeApp app = WelcomeApp.open(profile);
    AccessStatus asked = app.request(domain);
    return new Attack(app, domain, asked.requestId());
  }

  private final class Attack {
    private final WelcomeApp app;
    private final String domain;
    private final long requestId;

    Attack(WelcomeApp app, String domain, long requestId) {
      this.app = app;
      this.domain = domain;
      this.requestId = requestId;
    }

    WelcomeApp app() {
      return app;
    }

    String domain() {
      return domain;
    }

    String appKeyHash() {
      return PublicKeyHash.of(app.identity().certificate());
    }

    StoredRequest awaitRequest() throws InterruptedException {
      return gateway.awaitPending(r -> r.requestId() == requestId, LONG);
    }

    /** The owner approves on the gateway; the real app receives the account and shows its code. */
    ReceivedAccount approveAndReceive(StoredRequest seen) {
      gateway.decisions().approve(seen.requestId(), Rights.ALL);
      return app.awaitAccount(domain, LONG, WaitProgress.NONE);
    }
  }

  private void assertNeverEnabled(long requestId, SipPassword stolen) throws IOException {
    for (Account account : gateway.decisions().accounts()) {
      if (account.requestId() == requestId) {
        assertThat(account.enabled()).as("account of request %d", requestId).isFalse();
      }
    }
    // Nothing the b2b reads (password file, ACL) holds the stolen password.
    try (Stream<Path> files = Files.walk(dir.resolve("gateway/root"))) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.UTF_8))
            .as(f.toString())
            .doesNotContain(stolen.reveal());
      }
    }
  }

  /** The salts for which a key's code equals the app's code. */
  private static List<String> agreeingSalts(String attackerHash, String appHash) {
    List<String> agreeing = new ArrayList<>();
    for (int s = 0; s < 10_000; s++) {
      String salt = String.format(Locale.ROOT, "%04d", s);
      if (SecurityCode.of(salt, attackerHash).equals(SecurityCode.of(salt, appHash))) {
        agreeing.add(salt);
      }
    }
    return agreeing;
  }
}
