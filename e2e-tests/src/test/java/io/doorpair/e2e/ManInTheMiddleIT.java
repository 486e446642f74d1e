package io.doorpair.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.ca.CaKeyFiles;
import io.doorpair.ca.CertificateAuthority;
import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.PublicKeyHash;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.crypto.SecurityCode;
import io.doorpair.crypto.SipPassword;
import io.doorpair.e2e.harness.ActorProcess;
import io.doorpair.e2e.harness.FreePorts;
import io.doorpair.e2e.harness.GatewayAgent;
import io.doorpair.e2e.harness.LinphoneDoor;
import io.doorpair.ipgw.requests.CodeOutcome;
import io.doorpair.ipgw.store.Account;
import io.doorpair.ipgw.store.Rights;
import io.doorpair.ipgw.store.StoredRequest;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import io.doorpair.sipedge.testing.LinphoneDaemon.CallEvent;
import io.doorpair.welcome.api.AccessStatus;
import io.doorpair.welcome.flow.FlowException;
import io.doorpair.welcome.flow.Pairing;
import io.doorpair.welcome.flow.PairingRequest;
import io.doorpair.welcome.flow.ReceivedAccount;
import io.doorpair.welcome.flow.WaitProgress;
import io.doorpair.welcome.flow.WelcomeApp;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.profile.Profile;
import io.doorpair.welcome.sip.Call;
import io.doorpair.welcome.sip.CallState;
import io.doorpair.welcome.sip.GatewayCredentials;
import io.doorpair.welcome.sip.SipPhone;
import io.doorpair.welcome.sip.SipPhoneConfig;
import io.doorpair.welcome.sip.SipPhoneException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final String INCOMING = "LinphoneCallIncomingReceived";
  private static final Pattern DOOR_PASSWORD =
      Pattern.compile("door door1@[a-z0-9]+ password \\(shown once\\): (\\S+)");

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
  private int internalPort;

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
  void the_gateway_refuses_the_code_the_real_app_shows_and_the_stolen_password_opens_nothing()
      throws Exception {
    Profile profile = Profile.at(dir.resolve("app"));
    String domain = pairGatewayAndApp(profile);
    // Before the attack, alice's tablet got its account the honest way: the b2b has an enabled
    // account to compare with, and the tablet's call below shows that the door can be reached.
    Profile tabletProfile = Profile.at(dir.resolve("tablet"));
    WelcomeApp tablet = enableHonestly(tabletProfile, domain);

    KeyPair attackerKeys = RsaKeys.generate(2048);
    Attack attack = attack(profile, domain, attackerKeys);
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

    // The attacker now calls the door through the b2b: over TLS with the certificate it made for
    // alice's app (the portal CA's, so the portal SIP server admits it), answering the b2b's
    // challenge with the stolen account. The account was never enabled: refused, and the door
    // station on the gateway's internal SIP server sees nothing.
    X509Certificate forged = hostile.forgedCertificate(seen.requestId()).orElseThrow();
    try (Gateway b2b = startB2b(domain);
        LinphoneDaemon door =
            LinphoneDoor.register(
                dir.resolve("door"),
                "door1",
                domain,
                b2b.doorPassword(),
                new InetSocketAddress("127.0.0.1", internalPort),
                LONG)) {
      try (SipPhone honest = phone(tablet.identity().key(), tablet.identity().certificate())) {
        Call call = honest.call(credentials(tablet, domain), "door1");
        CallEvent rings = door.awaitEvent("the tablet's call", e -> e.state().equals(INCOMING));
        door.terminate(rings.callId());
        assertThat(call.await(CallState.ENDED, LONG)).isEqualTo(CallState.ENDED);
      }
      try (SipPhone attacker = phone(attackerKeys.getPrivate(), forged)) {
        Call call =
            attacker.call(
                new GatewayCredentials(domain, received.account().sipUsername(), stolen), "door1");
        assertThat(call.await(CallState.ENDED, LONG)).isEqualTo(CallState.ENDED);
        assertThat(call.endReason().orElse(""))
            .as("the attacker's call to the door")
            .containsAnyOf("auth_failed", "403");
      }
      // nothing came through to the door (a while more: the b2b would relay within this)
      Thread.sleep(2000);
      assertThat(door.events().stream().filter(e -> e.state().equals(INCOMING)))
          .as("calls that rang the door: the tablet's only")
          .hasSize(1);
      assertThat(b2b.log()).doesNotContain(stolen.reveal());
    }
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

  /** The owner's gateway pairs with the real portal; the app pairs with the real portal. */
  private String pairGatewayAndApp(Profile profile) throws IOException {
    X509Certificate ca = portal.portal().caCertificate();
    internalPort = FreePorts.udpAndTcp();
    gateway =
        GatewayAgent.start(
            dir.resolve("gateway"),
            portal.url(),
            ca,
            // the portal SIP server's certificate names localhost, as the b2b checks
            "sips:localhost:" + portal.portal().sipAddress().getPort(),
            "sip:127.0.0.1:" + internalPort);
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

  /** An app of alice's that asks, is approved and whose code the owner types: enabled. */
  private WelcomeApp enableHonestly(Profile profile, String domain) throws InterruptedException {
    X509Certificate ca = portal.portal().caCertificate();
    new Pairing(random)
        .pair(
            PortalClient.builder(portal.url()).trustAnchors(List.of(ca)).build(),
            profile,
            new PairingRequest(user, portal.portal().config().domain(), "Alice's tablet"),
            PASSWORD.toCharArray());
    WelcomeApp app = WelcomeApp.open(profile);
    long id = app.request(domain).requestId();
    StoredRequest seen = gateway.awaitPending(r -> r.requestId() == id, LONG);
    gateway.decisions().approve(seen.requestId(), Rights.ALL);
    ReceivedAccount account = app.awaitAccount(domain, LONG, WaitProgress.NONE);
    assertThat(gateway.decisions().enterCode(seen.requestId(), account.code().value()).result())
        .isEqualTo(CodeOutcome.Result.ENABLED);
    return app;
  }

  private static GatewayCredentials credentials(WelcomeApp app, String domain) {
    return new GatewayCredentials(
        domain, app.account(domain).account().sipUsername(), app.sipPassword(domain));
  }

  /** A SIP phone at the real portal SIP server with this key and certificate. */
  private SipPhone phone(PrivateKey key, X509Certificate certificate) throws Exception {
    SipPhone phone =
        SipPhone.start(
            SipPhoneConfig.of(
                key,
                List.of(certificate),
                portal.portal().caCertificate(),
                CertificateIdentity.of(certificate).instance().orElseThrow(),
                "localhost",
                portal.portal().sipAddress().getPort()),
            call -> {
              try {
                call.reject(486);
              } catch (SipPhoneException e) {
                // nobody calls these phones
              }
            });
    Instant deadline = Instant.now().plus(LONG);
    while (!phone.registered()) {
      if (Instant.now().isAfter(deadline)) {
        phone.close();
        throw new AssertionError(
            "not registered: " + phone.lastRegistrationFailure().orElse("no answer"));
      }
      Thread.sleep(100);
    }
    return phone;
  }

  /**
   * The b2b ({@code bin/b2b serve}) on the gateway agent's files, with a door station {@code door1}
   * added by {@code bin/ipgw door add}.
   */
  private Gateway startB2b(String domain) throws Exception {
    Path root = dir.resolve("gateway/root");
    ActorProcess.Result added =
        ActorProcess.run(
            dir,
            "",
            LONG,
            "ipgw",
            "door",
            "add",
            "door1",
            "--root=" + root,
            "--data=" + dir.resolve("gateway/data"));
    assertThat(added.exit()).as(added.output()).isZero();
    Matcher password = DOOR_PASSWORD.matcher(added.output());
    assertThat(password.find()).as(added.output()).isTrue();
    Path b2bDir = dir.resolve("b2b");
    ActorProcess b2b =
        ActorProcess.start(
            "b2b",
            b2bDir,
            Map.of(),
            "b2b",
            "serve",
            "--root=" + root,
            "--ready=" + b2bDir.resolve("ready.json"));
    Gateway gatewayB2b = new Gateway(b2b, SipPassword.of(password.group(1)));
    try {
      b2b.awaitReady(b2bDir.resolve("ready.json"), LONG);
      Instant deadline = Instant.now().plus(LONG);
      while (!gatewayB2b.log().contains("registered ipgw@" + domain + " at the portal")) {
        assertThat(Instant.now().isBefore(deadline))
            .as("the b2b registered at the portal\n" + b2b.tail())
            .isTrue();
        Thread.sleep(200);
      }
      return gatewayB2b;
    } catch (Exception | AssertionError e) {
      b2b.close();
      throw e;
    }
  }

  /** The running b2b and its door station's account. */
  private final class Gateway implements AutoCloseable {
    private final ActorProcess process;
    private final SipPassword doorPassword;

    Gateway(ActorProcess process, SipPassword doorPassword) {
      this.process = process;
      this.doorPassword = doorPassword;
    }

    String log() throws IOException {
      Path log = process.dir().resolve("b2b.log");
      return Files.exists(log) ? Files.readString(log) : "";
    }

    SipPassword doorPassword() {
      return doorPassword;
    }

    @Override
    public void close() {
      process.close();
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
