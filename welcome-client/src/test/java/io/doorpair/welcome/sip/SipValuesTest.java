package io.doorpair.welcome.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.digest.DigestAlgorithm;
import io.doorpair.crypto.digest.DigestAuthorization;
import io.doorpair.crypto.digest.DigestChallenge;
import io.doorpair.crypto.digest.DigestMath;
import io.doorpair.crypto.digest.Ha1;
import io.doorpair.welcome.sip.EdgeFixture.Device;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The SIP package's values: door-open body, credentials, challenges, configuration, backoff. */
class SipValuesTest {
  private static final SipPassword PASSWORD = SipPassword.of("Zq8mT3vLx0aP7cN2bR5dK9wE");
  private static final GatewayCredentials ACCOUNT =
      new GatewayCredentials("abcdef123456", "alice-1", PASSWORD);

  @Test
  void door_open_body_is_dtmf_relay_and_reads_back() {
    assertThat(DoorOpen.DEFAULT.body()).isEqualTo("Signal=#\r\nDuration=250\r\n");
    assertThat(new DoorOpen('5', 160).body()).isEqualTo("Signal=5\r\nDuration=160\r\n");
    assertThat(DoorOpen.signalOf("Signal=1\r\nDuration=160\r\n")).isEqualTo('1');
    assertThatThrownBy(() -> new DoorOpen('x', 250)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DoorOpen('#', 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DoorOpen.signalOf("Signal=12\r\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void credentials_never_show_the_password() {
    assertThat(ACCOUNT.toString()).isEqualTo("GatewayCredentials[alice-1@abcdef123456]");
    assertThatThrownBy(() -> new GatewayCredentials("ABC", "alice", PASSWORD))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GatewayCredentials("abcdef123456", "a@b", PASSWORD))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sha256_is_preferred_and_the_answer_verifies() {
    List<String> offered =
        List.of(
            DigestChallenge.of("abcdef123456", "n0nce", DigestAlgorithm.MD5, false).toHeaderValue(),
            DigestChallenge.of("abcdef123456", "n0nce", DigestAlgorithm.SHA_256, false)
                .toHeaderValue());
    String value =
        Challenges.answer(offered, ACCOUNT, "INVITE", "sip:door@abcdef123456").orElseThrow();
    DigestAuthorization sent = DigestAuthorization.parse(value);
    assertThat(sent.algorithm()).isEqualTo(DigestAlgorithm.SHA_256);
    assertThat(sent.username()).isEqualTo("alice-1");
    assertThat(sent.uri()).isEqualTo("sip:door@abcdef123456");
    assertThat(value).doesNotContain(PASSWORD.reveal());
    Ha1 ha1 =
        Ha1.compute(
            DigestAlgorithm.SHA_256, "alice-1", "abcdef123456", PASSWORD.reveal().toCharArray());
    assertThat(DigestMath.verify(ha1, "INVITE", sent)).isTrue();
  }

  @Test
  void md5_alone_is_answered_and_another_realm_is_not() {
    List<String> md5 =
        List.of(
            DigestChallenge.of("abcdef123456", "n", DigestAlgorithm.MD5, false).toHeaderValue());
    assertThat(
            DigestAuthorization.parse(
                    Challenges.answer(md5, ACCOUNT, "INFO", "sip:x@y").orElseThrow())
                .algorithm())
        .isEqualTo(DigestAlgorithm.MD5);
    List<String> other =
        List.of(
            DigestChallenge.of("zzzzzz999999", "n", DigestAlgorithm.SHA_256, false)
                .toHeaderValue());
    assertThat(Challenges.answer(other, ACCOUNT, "INVITE", "sip:door@zzzzzz999999")).isEmpty();
    assertThat(Challenges.answer(List.of("Digest realm=\"unterminated"), ACCOUNT, "A", "sip:x"))
        .isEmpty();
    assertThat(Challenges.stale(List.of("Basic realm=\"x\""))).isFalse();
    assertThat(
            Challenges.stale(
                List.of(
                    DigestChallenge.of("abcdef123456", "n", DigestAlgorithm.SHA_256, true)
                        .toHeaderValue())))
        .isTrue();
  }

  @Test
  void configuration_checks_the_instance_and_hides_the_key() {
    Device device = Device.of("conf");
    SipPhoneConfig config = device.config("portal.example.com", 5061);
    assertThat(config.aor()).isEqualTo("conf@portal.test");
    assertThat(config.toString()).doesNotContain("PrivateKey").contains("conf@portal.test");
    assertThatThrownBy(
            () ->
                SipPhoneConfig.of(
                    device.leaf().keys().getPrivate(),
                    List.of(device.leaf().certificate()),
                    EdgeFixture.PKI.caCertificate(),
                    UUID.randomUUID(),
                    "portal.example.com",
                    5061))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not bind this instance");
    assertThatThrownBy(
            () ->
                config.withTimings(Duration.ofSeconds(5), Duration.ofSeconds(30), Backoff.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                SipPhoneConfig.of(
                    device.leaf().keys().getPrivate(),
                    List.of(device.leaf().certificate()),
                    EdgeFixture.PKI.caCertificate(),
                    device.instance(),
                    "bad host/",
                    5061))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Optional.of(config.portalPort())).contains(5061);
  }

  @Test
  void backoff_doubles_within_jitter_up_to_the_cap() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 50; i++) {
      assertThat(backoff.delay(0, random).toMillis()).isBetween(50L, 100L);
      assertThat(backoff.delay(2, random).toMillis()).isBetween(200L, 400L);
      assertThat(backoff.delay(30, random).toMillis()).isBetween(500L, 1000L);
    }
  }
}
