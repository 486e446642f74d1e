package io.doorpair.portal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.Actors.Device;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.portal.testing.RawApi;
import io.doorpair.portal.testing.SettableClock;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Expired certificates of the portal CA: refused at the handshake (the JDK checks validity by the
 * real clock) and, on a session that outlives the certificate, on every request (by the portal's
 * clock).
 */
class CertificateExpiryApiTest {
  private static final SettableClock CLOCK = new SettableClock();

  @RegisterExtension static final PortalExtension PORTAL = new PortalExtension().withClock(CLOCK);

  private static final String PASSWORD = "expiry password";

  @BeforeAll
  static void users() {
    PORTAL.addUser("old", PASSWORD);
  }

  @AfterEach
  void back_to_now() {
    CLOCK.shift(Duration.ZERO);
  }

  @Test
  void a_certificate_that_expired_fails_the_handshake() {
    // Issued 800 days ago with the test CA's 730-day validity: expired 70 days ago.
    CLOCK.shift(Duration.ofDays(-800));
    Device phone = Actors.app(PORTAL, "old", PASSWORD);
    Device gateway = Actors.gateway(PORTAL, "old", PASSWORD);
    CLOCK.shift(Duration.ZERO);

    assertThatThrownBy(() -> phone.on(PORTAL).get("/api/joinable_gateways"))
        .isInstanceOf(UncheckedIOException.class);
    assertThatThrownBy(() -> gateway.on(PORTAL).get("/api/gateway/channel"))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void a_certificate_expiring_during_a_session_is_refused_with_401() {
    Device phone = Actors.app(PORTAL, "old", PASSWORD);
    Device gateway = Actors.gateway(PORTAL, "old", PASSWORD);
    RawApi app = phone.on(PORTAL);
    RawApi gw = gateway.on(PORTAL);
    assertThat(app.get("/api/joinable_gateways").status()).isEqualTo(200);
    assertThat(gw.get("/api/gateway/channel").status()).isEqualTo(200);

    CLOCK.shift(Duration.ofDays(731));

    RawApi.Exchange refused = app.get("/api/joinable_gateways");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.body()).contains("certificate_refused").contains("expired");
    assertThat(gw.get("/api/gateway/channel").status()).isEqualTo(401);
  }
}
