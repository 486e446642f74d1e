package io.doorpair.ipgw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.b2b.conf.B2bFiles;
import io.doorpair.b2b.conf.GatewayPaths;
import io.doorpair.crypto.Pem;
import io.doorpair.ipgw.accounts.B2bSignal;
import io.doorpair.ipgw.pairing.GatewayIdentity;
import io.doorpair.ipgw.pairing.PairingException;
import io.doorpair.ipgw.store.Pairing;
import io.doorpair.ipgw.testing.FreePorts;
import io.doorpair.ipgw.testing.TestGateway;
import io.doorpair.portal.Portal;
import io.doorpair.portal.PortalConfig;
import io.doorpair.portal.RunningPortal;
import io.doorpair.portal.cli.PortalCommand;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.portal.users.UserAdmin;
import io.doorpair.welcome.api.JoinableGateway;
import io.doorpair.welcome.cli.WelcomeCommand;
import io.doorpair.welcome.flow.PairingRequest;
import io.doorpair.welcome.flow.WelcomeApp;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.http.PortalException;
import io.doorpair.welcome.profile.PairedIdentity;
import io.doorpair.welcome.profile.Profile;
import io.doorpair.welcome.sip.SipPhone;
import io.doorpair.welcome.sip.SipPhoneConfig;
import io.doorpair.welcome.sip.SipPhoneException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A portal CA rotation with the shipped clients against a real portal restarted on its data folder
 * (same port, as a real deployment): an app (welcome-client's profile) and a gateway (the whole
 * {@link GatewayCore}) paired under the old CA renew during the overlap over the cross-certificate,
 * then pin the new CA; after {@code portal ca retire-old} they keep working while an app that did
 * not renew is refused. And a portal whose CA was replaced without a rotation (no
 * cross-certificate) gets no renewal accepted: nothing of the gateway or the app changes.
 */
class PortalCaRotationTest {
  private static final String OWNER = "olga";
  private static final String PASSWORD = "olga's long password";

  @TempDir Path dir;

  private final int apiPort = FreePorts.tcp();
  private final int sipPort = FreePorts.tcp();
  private final AtomicInteger restarts = new AtomicInteger();
  private RunningPortal running;

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  private Path data() {
    return dir.resolve("portal");
  }

  private void startPortal() throws InterruptedException {
    PortalConfig base = PortalConfig.defaults(data());
    PortalConfig config =
        new PortalConfig(
            data(),
            new InetSocketAddress("127.0.0.1", apiPort),
            new InetSocketAddress("127.0.0.1", sipPort),
            PortalConfig.DEFAULT_DOMAIN,
            base.databaseUrl(),
            List.of(),
            base.tlsCertificate(),
            base.tlsKey(),
            base.realm(),
            PortalExtension.TEST_CA);
    // the ports were just released by the previous run: retry while the kernel lets them go
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        running = Portal.start(config, Clock.systemUTC(), new SecureRandom());
        return;
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  private void stopPortal() {
    running.close();
    running = null;
  }

  private static void portalCommand(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
      status = PortalCommand.run(args);
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    assertThat(status).as(out.toString(StandardCharsets.UTF_8)).isZero();
  }

  /** Runs {@code bin/welcome} in-process: its standard output, or an error naming the exit code. */
  private static String welcome(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      status = WelcomeCommand.run(args);
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    if (status != 0) {
      throw new AssertionError("exit " + status + ": " + err.toString(StandardCharsets.UTF_8));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private PortalClient firstContact(X509Certificate ca) {
    return PortalClient.builder(running.apiUrl())
        .trustAnchors(List.of(ca))
        .callTimeout(Duration.ofSeconds(30))
        .build();
  }

  private Profile pairApp(String name, X509Certificate ca) {
    Profile profile = Profile.at(dir.resolve(name));
    new io.doorpair.welcome.flow.Pairing(new SecureRandom())
        .pair(
            firstContact(ca),
            profile,
            new PairingRequest(OWNER, PortalConfig.DEFAULT_DOMAIN, name),
            PASSWORD.toCharArray());
    return profile;
  }

  private GatewayCore.Settings gatewaySettings(X509Certificate ca) {
    B2bSignal signal =
        new B2bSignal() {
          @Override
          public void reload() {}

          @Override
          public void restart() {
            restarts.incrementAndGet();
          }
        };
    return new GatewayCore.Settings(
        dir.resolve("gateway/root"),
        dir.resolve("gateway/data"),
        firstContact(ca),
        TestGateway.SETTINGS,
        signal,
        Duration.ofSeconds(5),
        Duration.ofMillis(50),
        Duration.ofMillis(500));
  }

  private static List<String> gatewaysOf(Profile app) {
    return WelcomeApp.open(app).gateways().stream().map(JoinableGateway::domain).toList();
  }

  @Test
  void an_app_and_a_gateway_renew_during_the_overlap_and_keep_working_after_retire_old()
      throws Exception {
    startPortal();
    new UserAdmin(running.store(), running.config().realm(), Clock.systemUTC())
        .add(OWNER, PASSWORD.toCharArray());
    X509Certificate oldCa = running.caCertificate();
    Profile app = pairApp("app", oldCa);
    Profile stale = pairApp("stale", oldCa);
    GatewayPaths paths = GatewayPaths.under(dir.resolve("gateway/root"));
    try (GatewayCore gateway = GatewayCore.start(gatewaySettings(oldCa))) {
      String domain = gateway.pair(OWNER, PASSWORD.toCharArray(), "Location: Loft").domain();
      int restartsAfterPairing = restarts.get();
      assertThat(gatewaysOf(app)).containsExactly(domain);
      assertThat(gateway.renewIfDue()).as("a fresh certificate is not due").isEmpty();

      stopPortal();
      portalCommand("ca", "rotate", "--data", data().toString(), "--key-bits", "2048");
      startPortal();
      X509Certificate newCa = running.caCertificate();
      assertThat(newCa).isNotEqualTo(oldCa);
      // the overlap: every old-CA client is still admitted, pinned to the old CA
      assertThat(gatewaysOf(stale)).containsExactly(domain);

      // the gateway sees the portal's new CA, renews over its old certificate, pins the new CA
      Pairing renewed = gateway.renewIfDue().orElseThrow();
      assertThat(renewed.domain()).isEqualTo(domain);
      assertThat(Pem.parseCertificate(renewed.caPem())).isEqualTo(newCa);
      GatewayIdentity identity = GatewayIdentity.of(renewed);
      identity.certificate().verify(newCa.getPublicKey());
      assertThat(Pem.parseCertificates(Files.readString(paths.caFile()))).containsExactly(newCa);
      assertThat(Files.readString(paths.agentPem())).isEqualTo(renewed.agentPem());
      B2bFiles.load(paths, Instant.now()); // the b2b accepts its new files
      assertThat(restarts.get()).as("the b2b restarted").isEqualTo(restartsAfterPairing + 1);

      // the app (bin/welcome renew) renews over its old certificate and pins the new CA
      assertThat(welcome("--profile", app.folder().toString(), "--json", "renew"))
          .contains("\"renewed\":true");
      X509Certificate appCertificate = WelcomeApp.open(app).identity().certificate();
      assertThat(WelcomeApp.open(app).renewIfCaRotated()).isEmpty();
      assertThat(gateway.renewIfDue()).isEmpty();
      appCertificate.verify(newCa.getPublicKey());
      assertThat(WelcomeApp.open(app).identity().ca()).isEqualTo(newCa);

      stopPortal();
      portalCommand("ca", "retire-old", "--data", data().toString());
      startPortal();

      // after retire-old: both renewed clients work, the one that did not renew is refused
      assertThat(gatewaysOf(app)).containsExactly(domain);
      assertThat(identity.client(firstContact(newCa)).channel(0, Optional.empty(), 10).items())
          .isNotNull();
      // the gateway's own threads follow the portal with the new identity: an access request
      // made by the renewed app reaches its pending list
      WelcomeApp.open(app).request(domain);
      await(() -> !gateway.decisions().pending().isEmpty());
      assertThatThrownBy(() -> gatewaysOf(stale))
          .isInstanceOfSatisfying(
              PortalException.class, e -> assertThat(e.code()).isEqualTo(PortalException.IO));

      // SIP: the renewed app registers with the portal SIP server (TLS, new certificate, new CA
      // pinned); the one that did not renew does not
      try (SipPhone renewedPhone = phone(app);
          SipPhone stalePhone = phone(stale)) {
        await(renewedPhone::registered);
        await(() -> stalePhone.lastRegistrationFailure().isPresent());
        assertThat(stalePhone.registered()).isFalse();
      }
    }
  }

  private SipPhone phone(Profile profile) throws IOException {
    PairedIdentity identity = profile.identity();
    return SipPhone.start(
        SipPhoneConfig.of(
            identity.key(),
            List.of(identity.certificate()),
            identity.ca(),
            identity.settings().instance(),
            "localhost",
            running.sipAddress().getPort()),
        call -> {
          try {
            call.reject(486);
          } catch (SipPhoneException e) {
            throw new AssertionError(e);
          }
        });
  }

  @Test
  void a_portal_ca_replaced_without_rotation_gets_no_renewal_accepted() throws Exception {
    startPortal();
    new UserAdmin(running.store(), running.config().realm(), Clock.systemUTC())
        .add(OWNER, PASSWORD.toCharArray());
    X509Certificate oldCa = running.caCertificate();
    Profile app = pairApp("app", oldCa);
    try (GatewayCore gateway = GatewayCore.start(gatewaySettings(oldCa))) {
      gateway.pair(OWNER, PASSWORD.toCharArray(), "Location: Loft");
      Pairing before = gateway.pairing().orElseThrow();
      Map<String, String> gatewayFiles = files(dir.resolve("gateway/root"));
      Map<String, String> appFiles = files(app.folder());
      int restartsBefore = restarts.get();

      // an impostor CA: the CA files replaced, no previous CA, no cross-certificate
      stopPortal();
      try (Stream<Path> files = Files.list(data())) {
        for (Path file : files.toList()) {
          String name = file.getFileName().toString();
          if (name.startsWith("ca") || name.startsWith("server") || name.startsWith("crl")) {
            Files.delete(file);
          }
        }
      }
      startPortal();
      assertThat(running.caCertificate()).isNotEqualTo(oldCa);

      assertThatThrownBy(gateway::renew)
          .isInstanceOfSatisfying(
              PairingException.class, e -> assertThat(e.code()).isEqualTo(PortalException.IO));
      assertThatThrownBy(() -> WelcomeApp.open(app).renew())
          .isInstanceOfSatisfying(
              PortalException.class, e -> assertThat(e.code()).isEqualTo(PortalException.IO));
      assertThatThrownBy(() -> welcome("--profile", app.folder().toString(), "renew", "--now"))
          .hasMessageContaining("exit 1");
      Pairing after = gateway.pairing().orElseThrow();
      assertThat(after.agentPem()).isEqualTo(before.agentPem());
      assertThat(after.caPem()).isEqualTo(before.caPem());
      assertThat(files(dir.resolve("gateway/root"))).isEqualTo(gatewayFiles);
      assertThat(files(app.folder())).isEqualTo(appFiles);
      assertThat(restarts.get()).isEqualTo(restartsBefore);
    }
  }

  private static Map<String, String> files(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        out.put(root.relativize(p).toString(), Files.readString(p));
      }
    }
    return out;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition before the deadline").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
