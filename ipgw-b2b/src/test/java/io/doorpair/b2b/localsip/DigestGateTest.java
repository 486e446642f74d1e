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

  private static String answer(DigestChallenge challenge, long nc, String cnonce) {
    Ha1 ha1 = Ha1.compute(challenge.algorithm(), "door1", DOMAIN, PASSWORD.reveal().toCharArray());
    return DigestAuthorization.answer(challenge, "door1", ha1, "REGISTER", URI, cnonce, nc)
        .toHeaderValue();
  }

  private static void assertStale(DigestGate.Verdict verdict) {
    assertThat(verdict).isInstanceOf(DigestGate.Challenge.class);
    assertThat(((DigestGate.Challenge) verdict).headerValues())
        .allSatisfy(h -> assertThat(h).contains("stale=true"));
  }

  @Test
  void two_challenges_in_the_same_millisecond_get_different_nonces() {
    assertThat(challenge(DigestAlgorithm.MD5).nonce())
        .isNotEqualTo(challenge(DigestAlgorithm.MD5).nonce());
  }

  @Test
  void a_replayed_nonce_count_is_stale_and_the_next_count_passes() {
    DigestChallenge c = challenge(DigestAlgorithm.SHA_256);
    String first = answer(c, 1, "cnonce-a");
    assertThat(gate.check("REGISTER", URI, Optional.of(first)))
        .isEqualTo(new DigestGate.Accepted("door1"));
    // the captured request again: same nonce, nc and cnonce
    assertStale(gate.check("REGISTER", URI, Optional.of(first)));
    // the same count with another cnonce is a replay too
    assertStale(gate.check("REGISTER", URI, Optional.of(answer(c, 1, "cnonce-b"))));
    // an honest client counts up, also out of order within the window
    assertThat(gate.check("REGISTER", URI, Optional.of(answer(c, 3, "cnonce-a"))))
        .isInstanceOf(DigestGate.Accepted.class);
    assertThat(gate.check("REGISTER", URI, Optional.of(answer(c, 2, "cnonce-a"))))
        .isInstanceOf(DigestGate.Accepted.class);
    assertStale(gate.check("REGISTER", URI, Optional.of(answer(c, 2, "cnonce-a"))));
    assertStale(gate.check("REGISTER", URI, Optional.of(answer(c, 3, "cnonce-a"))));
    // far beyond: accepted, and what fell out of the window is refused
    assertThat(gate.check("REGISTER", URI, Optional.of(answer(c, 500, "cnonce-a"))))
        .isInstanceOf(DigestGate.Accepted.class);
    assertStale(gate.check("REGISTER", URI, Optional.of(answer(c, 100, "cnonce-a"))));
    assertThat(gate.trackedNonces()).isEqualTo(1);
  }

  @Test
  void a_retransmission_passes_within_the_transaction_time_a_replay_after_it_does_not() {
    DigestChallenge c = challenge(DigestAlgorithm.SHA_256);
    String credentials = answer(c, 1, "cnonce-r");
    String key = "z9hG4bK-1|call-1|1 INVITE";
    assertThat(gate.check("REGISTER", URI, Optional.of(credentials), key))
        .isInstanceOf(DigestGate.Accepted.class);
    clock.move(Duration.ofSeconds(4));
    assertThat(gate.check("REGISTER", URI, Optional.of(credentials), key))
        .isInstanceOf(DigestGate.Accepted.class);
    // another transaction with the captured credentials: a replay
    assertStale(gate.check("REGISTER", URI, Optional.of(credentials), "z9hG4bK-2|call-2|1 INVITE"));
    clock.move(Duration.ofSeconds(40));
    assertStale(gate.check("REGISTER", URI, Optional.of(credentials), key));
  }

  @Test
  void a_nonce_used_too_often_is_stale() {
    DigestChallenge c = challenge(DigestAlgorithm.MD5);
    assertThat(gate.check("REGISTER", URI, Optional.of(answer(c, 10_000, "x"))))
        .isInstanceOf(DigestGate.Accepted.class);
    assertStale(gate.check("REGISTER", URI, Optional.of(answer(c, 10_001, "x"))));
  }

  @Test
  void the_table_is_bounded_and_a_forgotten_nonce_is_stale_not_replayable() {
    DigestChallenge oldest = challenge(DigestAlgorithm.MD5);
    String captured = answer(oldest, 1, "old");
    assertThat(gate.check("REGISTER", URI, Optional.of(captured)))
        .isInstanceOf(DigestGate.Accepted.class);
    for (int i = 0; i < DigestGate.TRACKED_NONCES + 10; i++) {
      clock.move(Duration.ofMillis(1));
      DigestChallenge c = challenge(DigestAlgorithm.MD5);
      assertThat(gate.check("REGISTER", URI, Optional.of(answer(c, 1, "n" + i))))
          .isInstanceOf(DigestGate.Accepted.class);
    }
    assertThat(gate.trackedNonces()).isEqualTo(DigestGate.TRACKED_NONCES);
    // forgotten, so neither the capture nor the next count of that nonce passes any more
    assertStale(gate.check("REGISTER", URI, Optional.of(captured)));
    assertStale(gate.check("REGISTER", URI, Optional.of(answer(oldest, 2, "old"))));
    // and expired nonces leave the table
    clock.move(DigestGate.NONCE_LIFETIME.plusSeconds(1));
    DigestChallenge fresh = challenge(DigestAlgorithm.MD5);
    assertThat(gate.check("REGISTER", URI, Optional.of(answer(fresh, 1, "f"))))
        .isInstanceOf(DigestGate.Accepted.class);
    assertThat(gate.trackedNonces()).isEqualTo(1);
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
