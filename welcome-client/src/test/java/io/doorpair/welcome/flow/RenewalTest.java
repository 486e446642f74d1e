package io.doorpair.welcome.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.profile.Profile;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renewal before expiry: nothing while far from it, a checked new certificate when near it. */
class RenewalTest {
  @TempDir Path dir;

  private final ScriptedPortal portal = new ScriptedPortal();
  private final SecureRandom random = new SecureRandom();

  RenewalTest() throws IOException {}

  @AfterEach
  void stop() throws IOException {
    portal.close();
  }

  @Test
  void the_certificate_is_renewed_only_when_its_end_is_near() {
    Profile profile = Profile.at(dir.resolve("profile"));
    new Pairing(random)
        .pair(
            PortalClient.builder(portal.url())
                .trustAnchors(List.of(portal.pki.caCertificate()))
                .build(),
            profile,
            new PairingRequest("alice", ScriptedPortal.SIP_DOMAIN, "Alice's phone"),
            "pw".toCharArray());
    portal.answer("/api/renew", r -> ScriptedPortal.json(200, portal.issue(r, Optional.empty())));
    X509Certificate first = WelcomeApp.open(profile).identity().certificate();

    WelcomeApp now = WelcomeApp.open(profile, random, Clock.systemUTC(), Duration.ofSeconds(5));
    assertThat(now.renewIfDue()).isEmpty();
    assertThat(portal.server.getRequestCount()).isEqualTo(1);

    Clock nearTheEnd =
        Clock.fixed(first.getNotAfter().toInstant().minus(Duration.ofDays(2)), ZoneOffset.UTC);
    WelcomeApp later = WelcomeApp.open(profile, random, nearTheEnd, Duration.ofSeconds(5));
    X509Certificate renewed = later.renewIfDue().orElseThrow();
    assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
    assertThat(WelcomeApp.open(profile).identity().certificate()).isEqualTo(renewed);
    assertThat(renewed.getPublicKey()).isEqualTo(first.getPublicKey());
  }
}
