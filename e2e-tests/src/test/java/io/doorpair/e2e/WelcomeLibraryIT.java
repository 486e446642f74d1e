package io.doorpair.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.SipPassword;
import io.doorpair.e2e.harness.GatewayAgent;
import io.doorpair.ipgw.requests.CodeOutcome;
import io.doorpair.ipgw.store.Account;
import io.doorpair.ipgw.store.Rights;
import io.doorpair.ipgw.store.StoredRequest;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.welcome.api.DeviceInfo;
import io.doorpair.welcome.api.EventPage;
import io.doorpair.welcome.api.GuestInfo;
import io.doorpair.welcome.api.JoinableGateway;
import io.doorpair.welcome.flow.Pairing;
import io.doorpair.welcome.flow.PairingRequest;
import io.doorpair.welcome.flow.ReceivedAccount;
import io.doorpair.welcome.flow.WaitProgress;
import io.doorpair.welcome.flow.WelcomeApp;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.http.PortalException;
import io.doorpair.welcome.profile.Profile;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of welcome-client/README.md, run against a real portal (in-process, SQLite) and a
 * real gateway agent (ipgw's core): pair, gateways, request, wait, code, password, events, renewal,
 * guests, devices, revocation, cancellation of a held wait.
 */
class WelcomeLibraryIT {
  private static final String PASSWORD = "alice's long password";
  private static final Duration LONG = Duration.ofSeconds(90);

  @RegisterExtension static PortalExtension portal = new PortalExtension();

  @TempDir Path dir;

  @Test
  void the_readme_examples_run_against_the_real_portal_and_gateway() throws Exception {
    portal.addUser("alice", PASSWORD);
    portal.addUser("bob", "bob's own long password");
    X509Certificate portalCa = portal.portal().caCertificate();
    String sipDomain = portal.portal().config().domain();
    try (GatewayAgent gateway =
        GatewayAgent.start(dir.resolve("gateway"), portal.url(), portalCa)) {
      String domain = gateway.pair("alice", PASSWORD);
      char[] password = PASSWORD.toCharArray();

      // --- README: pairing ---
      Profile profile = Profile.at(dir.resolve("welcome"));
      PortalClient firstContact =
          PortalClient.builder(portal.url()).trustAnchors(List.of(portalCa)).build();
      new Pairing(new SecureRandom())
          .pair(
              firstContact,
              profile,
              new PairingRequest("alice", sipDomain, "Alice's phone"),
              password);

      // --- README: access ---
      WelcomeApp app = WelcomeApp.open(profile);
      List<JoinableGateway> gateways = app.gateways();
      assertThat(gateways).extracting(JoinableGateway::domain).contains(domain);
      app.request(domain);

      // The owner approves on the gateway meanwhile.
      StoredRequest seen = gateway.awaitPending(r -> r.username().equals("alice"), LONG);
      gateway.decisions().approve(seen.requestId(), Rights.ALL);

      ReceivedAccount account = app.awaitAccount(domain, Duration.ofMinutes(15), WaitProgress.NONE);
      String code = account.code().value(); // show it; the owner types it on the gateway
      assertThat(gateway.decisions().enterCode(seen.requestId(), code).result())
          .isEqualTo(CodeOutcome.Result.ENABLED);
      SipPassword sipPassword = app.sipPassword(domain); // when registering or calling
      Account onGateway =
          gateway.decisions().accounts().stream()
              .filter(a -> a.requestId() == seen.requestId())
              .findFirst()
              .orElseThrow();
      assertThat(onGateway.enabled()).isTrue();
      assertThat(sipPassword).isEqualTo(onGateway.password());
      assertThat(account.account().sipUsername()).isEqualTo(onGateway.sipUsername());

      // --- README: events (the cursor is stored after each page) ---
      List<EventPage> pages = new ArrayList<>();
      Instant deadline = Instant.now().plus(LONG);
      while (pages.stream().allMatch(p -> p.events().isEmpty())
          && Instant.now().isBefore(deadline)) {
        app.nextEvents(Optional.of(Duration.ofSeconds(5)), pages::add);
      }
      assertThat(pages.stream().flatMap(p -> p.events().stream()))
          .anySatisfy(e -> assertThat(e.domain()).isEqualTo(domain));
      assertThat(profile.cursor()).contains(pages.get(pages.size() - 1).cursor());

      // Following: a page arrives when the gateway posts an event (the owner disables the account).
      ExecutorService follower = Executors.newSingleThreadExecutor();
      try {
        java.util.concurrent.BlockingQueue<EventPage> followed =
            new java.util.concurrent.LinkedBlockingQueue<>();
        Future<?> following = follower.submit(() -> app.followEvents(followed::add));
        gateway.decisions().disable(onGateway.sipUsername());
        EventPage next = followed.poll(LONG.toSeconds(), TimeUnit.SECONDS);
        assertThat(next).as("a page after the account was disabled").isNotNull();
        assertThat(next.events()).anySatisfy(e -> assertThat(e.domain()).isEqualTo(domain));
        following.cancel(true);
        follower.shutdown();
        assertThat(follower.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        gateway.decisions().enable(onGateway.sipUsername());
      } finally {
        follower.shutdownNow();
      }

      // --- README: renewal ---
      X509Certificate before = app.identity().certificate();
      assertThat(app.renewIfDue(Duration.ofDays(1))).isEmpty();
      X509Certificate renewed = app.renew();
      assertThat(renewed.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
      WelcomeApp afterRenewal = WelcomeApp.open(profile);
      assertThat(afterRenewal.identity().certificate()).isEqualTo(renewed);
      assertThat(CertificateIdentity.of(renewed).instance())
          .isEqualTo(CertificateIdentity.of(before).instance());

      // --- README: guests ---
      assertThat(afterRenewal.inviteGuest(domain, "bob")).isTrue();
      assertThat(afterRenewal.guests(domain)).extracting(GuestInfo::username).contains("bob");
      afterRenewal.removeGuest(domain, "bob");
      assertThat(afterRenewal.guests(domain)).extracting(GuestInfo::username).doesNotContain("bob");

      // --- README: devices and revocation (a stolen phone) ---
      Profile stolen = Profile.at(dir.resolve("old-phone"));
      new Pairing(new SecureRandom())
          .pair(
              firstContact, stolen, new PairingRequest("alice", sipDomain, "Old phone"), password);
      String stolenSerial =
          WelcomeApp.open(stolen).identity().certificate().getSerialNumber().toString(16);
      assertThat(afterRenewal.devices()).extracting(DeviceInfo::serial).contains(stolenSerial);
      afterRenewal.revoke(stolenSerial);
      assertThatThrownBy(() -> WelcomeApp.open(stolen).gateways())
          .isInstanceOf(PortalException.class);

      // --- README: cancelling a wait ---
      ExecutorService background = Executors.newSingleThreadExecutor();
      try {
        Profile other = Profile.at(dir.resolve("tablet"));
        new Pairing(new SecureRandom())
            .pair(firstContact, other, new PairingRequest("alice", sipDomain, "Tablet"), password);
        WelcomeApp tablet = WelcomeApp.open(other);
        tablet.request(domain);
        Future<ReceivedAccount> waiting =
            background.submit(() -> tablet.awaitAccount(domain, LONG, WaitProgress.NONE));
        gateway.awaitPending(r -> r.friendlyName().equals("Tablet"), LONG);
        waiting.cancel(true);
        background.shutdown();
        assertThat(background.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(waiting::get)
            .isInstanceOfAny(
                java.util.concurrent.CancellationException.class, ExecutionException.class);
        assertThat(other.accounts()).isEmpty();
      } finally {
        background.shutdownNow();
      }
    }
  }
}
