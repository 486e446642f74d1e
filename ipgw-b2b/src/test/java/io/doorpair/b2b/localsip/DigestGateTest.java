package io.doorpair.b2b.localsip;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.digest.DigestAlgorithm;
import io.doorpair.crypto.digest.DigestAuthorization;
import io.doorpair.crypto.digest.DigestChallenge;
import io.doorpair.crypto.digest.Ha1;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DigestGateTest {
  private static final String DOMAIN = "gatetest0001";
  private static final String URI = "sip:" + DOMAIN;
  private static final SipPassword PASSWORD = SipPassword.of("DoorPassw0rd");

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-04T19:00:00Z"));
  private final DigestGate gate =
      new DigestGate(
          DOMAIN, List.of(new PasswdEntry("door1", DOMAIN, PASSWORD)), clock, new SecureRandom());

  private DigestChallenge challenge(DigestAlgorithm algorithm) {
    DigestGate.Verdict verdict = gate.check("REGISTER", URI, Optional.empty());
    assertThat(verdict).isInstanceOf(DigestGate.Challenge.class);
    return ((DigestGate.Challenge) verdict)
        .headerValues().stream()
            .map(v -> DigestChallenge.parseAll(v).get(0))
            .filter(c -> c.algorithm() == algorithm)
            .findFirst()
            .orElseThrow();
  }

  private static String answer(
      DigestChallenge challenge, String user, String realm, SipPassword password, String uri) {
    Ha1 ha1 = Ha1.compute(challenge.algorithm(), user, realm, password.reveal().toCharArray());
    return DigestAuthorization.answer(challenge, user, ha1, "REGISTER", uri, "abcdef012345", 1)
        .toHeaderValue();
  }

  @Test
  void the_right_password_passes_with_either_algorithm() {
    for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
      String credentials = answer(challenge(algorithm), "door1", DOMAIN, PASSWORD, URI);
      assertThat(gate.check("REGISTER", URI, Optional.of(credentials)))
          .isEqualTo(new DigestGate.Accepted("door1"));
    }
  }

  @Test
  void a_wrong_password_an_unknown_user_or_another_method_are_challenged() {
    DigestChallenge c = challenge(DigestAlgorithm.SHA_256);
    assertThat(
            gate.check(
                "REGISTER",
                URI,
                Optional.of(answer(c, "door1", DOMAIN, SipPassword.of("Wrong0000000"), URI))))
        .isInstanceOf(DigestGate.Challenge.class);
    assertThat(gate.check("REGISTER", URI, Optional.of(answer(c, "nobody", DOMAIN, PASSWORD, URI))))
        .isInstanceOf(DigestGate.Challenge.class);
    assertThat(gate.check("INVITE", URI, Optional.of(answer(c, "door1", DOMAIN, PASSWORD, URI))))
        .isInstanceOf(DigestGate.Challenge.class);
  }

  @Test
  void another_uri_or_realm_is_challenged() {
    DigestChallenge c = challenge(DigestAlgorithm.MD5);
    assertThat(
            gate.check(
                "REGISTER",
                URI,
                Optional.of(answer(c, "door1", DOMAIN, PASSWORD, "sip:elsewhere.example"))))
        .isInstanceOf(DigestGate.Challenge.class);
    DigestChallenge otherRealm =
        DigestChallenge.of("otherrealm00", c.nonce(), DigestAlgorithm.MD5, false);
    assertThat(
            gate.check(
                "REGISTER",
                URI,
                Optional.of(answer(otherRealm, "door1", "otherrealm00", PASSWORD, URI))))
        .isInstanceOf(DigestGate.Challenge.class);
  }

  @Test
  void an_old_nonce_gets_stale_and_a_forged_one_does_not_pass() {
    DigestChallenge c = challenge(DigestAlgorithm.SHA_256);
    String credentials = answer(c, "door1", DOMAIN, PASSWORD, URI);
    clock.move(DigestGate.NONCE_LIFETIME.plusSeconds(1));
    DigestGate.Verdict verdict = gate.check("REGISTER", URI, Optional.of(credentials));
    assertThat(verdict).isInstanceOf(DigestGate.Challenge.class);
    assertThat(((DigestGate.Challenge) verdict).headerValues().get(0)).contains("stale=true");

    DigestChallenge forged =
        DigestChallenge.of(
            DOMAIN, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", DigestAlgorithm.SHA_256, false);
    DigestGate.Verdict refused =
        gate.check("REGISTER", URI, Optional.of(answer(forged, "door1", DOMAIN, PASSWORD, URI)));
    assertThat(refused).isInstanceOf(DigestGate.Challenge.class);
    assertThat(((DigestGate.Challenge) refused).headerValues().get(0)).contains("stale=true");
  }

  @Test
  void malformed_credentials_are_challenged_not_thrown() {
    for (String bad :
        List.of(
            "", "Digest", "Basic Zm9vOmJhcg==", "Digest username=\"door1\", realm=", "\u0000")) {
      assertThat(gate.check("REGISTER", URI, Optional.of(bad)))
          .isInstanceOf(DigestGate.Challenge.class);
    }
  }

  private static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void move(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
