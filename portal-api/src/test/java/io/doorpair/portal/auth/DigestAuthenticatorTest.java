package io.doorpair.portal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.digest.DigestAlgorithm;
import io.doorpair.crypto.digest.DigestAuthorization;
import io.doorpair.crypto.digest.DigestChallenge;
import io.doorpair.crypto.digest.Ha1;
import io.doorpair.portal.auth.DigestOutcome.Authenticated;
import io.doorpair.portal.auth.DigestOutcome.BadRequest;
import io.doorpair.portal.auth.DigestOutcome.Challenge;
import io.doorpair.portal.auth.DigestOutcome.Throttled;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class DigestAuthenticatorTest {
  private static final String REALM = "doorpair";
  private static final String PAIR = "/api/pair";
  private static final String ADDRESS = "192.0.2.7";
  private static final String PASSWORD = "correct horse";

  /** Where the test client fetches its challenges from, apart from the address under test. */
  private static final String NONCE_SOURCE = "192.0.2.250";

  private final SecureRandom random = new SecureRandom();
  private final Map<String, String> passwords = new HashMap<>();
  private final Ha1Source users =
      (username, algorithm) ->
          Optional.ofNullable(passwords.get(username))
              .map(p -> Ha1.compute(algorithm, username, REALM, p.toCharArray()));
  private MutableClock clock;
  private DigestAuthenticator portal;

  @BeforeEach
  void setUp() {
    passwords.put("alice", PASSWORD);
    passwords.put("bob", "bob's password");
    clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
    portal = new DigestAuthenticator(DigestSettings.defaults(), users, clock, random);
  }

  // --- a client that follows the protocol ----------------------------------------------------

  /** The first round trip: a request without credentials and its challenge. */
  private Challenge firstContact() {
    return (Challenge) portal.authenticate("POST", PAIR, Optional.empty(), NONCE_SOURCE);
  }

  private static DigestChallenge pick(Challenge challenge, DigestAlgorithm algorithm) {
    return DigestChallenge.parseAll(challenge.wwwAuthenticateValues()).stream()
        .filter(c -> c.algorithm() == algorithm)
        .findFirst()
        .orElseThrow();
  }

  private static String answer(
      DigestChallenge challenge, String username, String password, String uri, long nc) {
    Ha1 ha1 =
        Ha1.compute(challenge.algorithm(), username, challenge.realm(), password.toCharArray());
    return DigestAuthorization.answer(challenge, username, ha1, "POST", uri, "cnonce" + nc, nc)
        .toHeaderValue();
  }

  private String answerFresh(String username, String password) {
    return answer(pick(firstContact(), DigestAlgorithm.SHA_256), username, password, PAIR, 1);
  }

  private DigestOutcome send(String authorization) {
    return send(authorization, ADDRESS);
  }

  private DigestOutcome send(String authorization, String address) {
    return portal.authenticate("POST", PAIR, Optional.of(authorization), address);
  }

  private static void assertChallenge(DigestOutcome outcome, String reason, boolean stale) {
    assertThat(outcome).isInstanceOf(Challenge.class);
    Challenge challenge = (Challenge) outcome;
    assertThat(challenge.reason()).isEqualTo(reason);
    List<DigestChallenge> parsed = DigestChallenge.parseAll(challenge.wwwAuthenticateValues());
    assertThat(parsed).extracting(DigestChallenge::stale).containsOnly(stale);
  }

  // --- the protocol ---------------------------------------------------------------------------

  @Test
  void request_without_credentials_gets_sha256_then_md5_challenges_with_one_fresh_nonce() {
    Challenge challenge = firstContact();

    assertThat(challenge.reason()).isEqualTo("missing_credentials");
    assertThat(challenge.wwwAuthenticateValues())
        .hasSize(2)
        .satisfiesExactly(
            v ->
                assertThat(v)
                    .startsWith(
                        "Digest realm=\"doorpair\", qop=\"auth\", algorithm=SHA-256, nonce=\""),
            v ->
                assertThat(v)
                    .startsWith(
                        "Digest realm=\"doorpair\", qop=\"auth\", algorithm=MD5, nonce=\""));
    List<DigestChallenge> parsed = DigestChallenge.parseAll(challenge.wwwAuthenticateValues());
    assertThat(parsed.get(0).nonce()).isEqualTo(parsed.get(1).nonce());
    assertThat(parsed).noneMatch(DigestChallenge::stale);
    assertThat(pick(firstContact(), DigestAlgorithm.MD5).nonce())
        .isNotEqualTo(parsed.get(0).nonce());
  }

  @ParameterizedTest
  @EnumSource(DigestAlgorithm.class)
  void correct_digest_authenticates(DigestAlgorithm algorithm) {
    DigestChallenge challenge = pick(firstContact(), algorithm);

    DigestOutcome outcome = send(answer(challenge, "alice", PASSWORD, PAIR, 1));

    assertThat(outcome).isEqualTo(new Authenticated("alice"));
  }

  @Test
  void wrong_password_gets_401() {
    assertChallenge(send(answerFresh("alice", "wrong horse")), "bad_credentials", false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mallory", "Alice", "ALICE", "-alice", "al ice", "é"})
  void unknown_or_ill_formed_user_gets_401_like_a_wrong_password(String username) {
    assertChallenge(send(answerFresh(username, PASSWORD)), "bad_credentials", false);
  }

  @Test
  void user_without_an_ha1_for_that_algorithm_gets_401() {
    Ha1Source sha256Only = (u, a) -> a == DigestAlgorithm.MD5 ? Optional.empty() : users.find(u, a);
    portal = new DigestAuthenticator(DigestSettings.defaults(), sha256Only, clock, random);

    DigestOutcome outcome =
        send(answer(pick(firstContact(), DigestAlgorithm.MD5), "alice", PASSWORD, PAIR, 1));

    assertChallenge(outcome, "bad_credentials", false);
  }

  @Test
  void expired_nonce_with_a_correct_digest_gets_stale_true_and_the_retry_succeeds() {
    DigestChallenge challenge = pick(firstContact(), DigestAlgorithm.SHA_256);
    clock.advance(Duration.ofMinutes(5));

    DigestOutcome outcome = send(answer(challenge, "alice", PASSWORD, PAIR, 1));

    assertChallenge(outcome, "stale_nonce", true);
    DigestChallenge fresh = pick((Challenge) outcome, DigestAlgorithm.SHA_256);
    assertThat(send(answer(fresh, "alice", PASSWORD, PAIR, 1)))
        .isEqualTo(new Authenticated("alice"));
  }

  @Test
  void nonce_just_before_expiry_is_accepted() {
    DigestChallenge challenge = pick(firstContact(), DigestAlgorithm.SHA_256);
    clock.advance(Duration.ofMinutes(5).minusMillis(1));

    assertThat(send(answer(challenge, "alice", PASSWORD, PAIR, 1)))
        .isEqualTo(new Authenticated("alice"));
  }

  @Test
  void expired_nonce_with_a_wrong_digest_is_bad_credentials_not_stale() {
    DigestChallenge challenge = pick(firstContact(), DigestAlgorithm.SHA_256);
    clock.advance(Duration.ofMinutes(6));

    assertChallenge(send(answer(challenge, "alice", "wrong", PAIR, 1)), "bad_credentials", false);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "made up,           made-up-nonce",
    "one character off, FLIP",
    "truncated,         TRUNCATE",
    "other portal key,  OTHER_KEY",
    "not base64,        ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ!",
  })
  void forged_nonce_gets_a_fresh_challenge(String what, String how) {
    String genuine = pick(firstContact(), DigestAlgorithm.SHA_256).nonce();
    String forged =
        switch (how) {
          case "FLIP" ->
              genuine.substring(0, 20)
                  + (genuine.charAt(20) == 'A' ? 'B' : 'A')
                  + genuine.substring(21);
          case "TRUNCATE" -> genuine.substring(0, genuine.length() - 1);
          case "OTHER_KEY" ->
              pick(
                      (Challenge)
                          new DigestAuthenticator(DigestSettings.defaults(), users, clock, random)
                              .authenticate("POST", PAIR, Optional.empty(), ADDRESS),
                      DigestAlgorithm.SHA_256)
                  .nonce();
          default -> how;
        };
    DigestChallenge challenge = DigestChallenge.of(REALM, forged, DigestAlgorithm.SHA_256, false);

    DigestOutcome outcome = send(answer(challenge, "alice", PASSWORD, PAIR, 1));

    assertChallenge(outcome, "bad_nonce", false);
  }

  @Test
  void processes_sharing_the_nonce_key_accept_each_others_nonces() {
    byte[] key = new byte[32];
    random.nextBytes(key);
    DigestAuthenticator first =
        new DigestAuthenticator(DigestSettings.defaults(), users, clock, random, key);
    DigestAuthenticator second =
        new DigestAuthenticator(DigestSettings.defaults(), users, clock, random, key);
    Challenge challenge = (Challenge) first.authenticate("POST", PAIR, Optional.empty(), ADDRESS);

    String authorization =
        answer(pick(challenge, DigestAlgorithm.SHA_256), "alice", PASSWORD, PAIR, 1);

    assertThat(second.authenticate("POST", PAIR, Optional.of(authorization), ADDRESS))
        .isEqualTo(new Authenticated("alice"));
  }

  @Test
  void short_nonce_key_is_refused() {
    assertThatThrownBy(
            () ->
                new DigestAuthenticator(
                    DigestSettings.defaults(), users, clock, random, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the nonce key must have at least 32 bytes");
  }

  @Test
  void replayed_nc_gets_replay() {
    String authorization = answerFresh("alice", PASSWORD);
    assertThat(send(authorization)).isEqualTo(new Authenticated("alice"));

    assertChallenge(send(authorization), "replay", false);
  }

  @Test
  void increasing_nc_on_one_nonce_is_accepted_and_going_backwards_is_refused() {
    DigestChallenge challenge = pick(firstContact(), DigestAlgorithm.SHA_256);

    assertThat(send(answer(challenge, "alice", PASSWORD, PAIR, 1)))
        .isInstanceOf(Authenticated.class);
    assertThat(send(answer(challenge, "alice", PASSWORD, PAIR, 3)))
        .isInstanceOf(Authenticated.class);
    assertChallenge(send(answer(challenge, "alice", PASSWORD, PAIR, 2)), "replay", false);
    assertChallenge(send(answer(challenge, "alice", PASSWORD, PAIR, 3)), "replay", false);
    assertThat(send(answer(challenge, "alice", PASSWORD, PAIR, 4)))
        .isInstanceOf(Authenticated.class);
  }

  @Test
  void uri_mismatch_gets_400() {
    DigestChallenge challenge = pick(firstContact(), DigestAlgorithm.SHA_256);

    DigestOutcome outcome = send(answer(challenge, "alice", PASSWORD, "/api/renew", 1));

    assertThat(outcome).isEqualTo(new BadRequest("uri mismatch"));
  }

  @Test
  void realm_mismatch_gets_400() {
    DigestChallenge genuine = pick(firstContact(), DigestAlgorithm.SHA_256);
    DigestChallenge otherRealm =
        DigestChallenge.of("elsewhere", genuine.nonce(), DigestAlgorithm.SHA_256, false);

    DigestOutcome outcome = send(answer(otherRealm, "alice", PASSWORD, PAIR, 1));

    assertThat(outcome).isEqualTo(new BadRequest("realm mismatch"));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Digest | missing parameter: username",
        "Digest username=\"alice\" | missing parameter: realm",
        "Digest username=\"alice\", username=\"bob\" | duplicate parameter: username",
        "Digest username=\"alice | malformed authorization header",
        "Digest username=\"alice\", userhash=true | unsupported userhash",
        "Digest username=\"a\", realm=\"doorpair\", nonce=\"n\", uri=\"/api/pair\", response=\"00\", cnonce=\"c\", nc=00000001, qop=auth | invalid response",
        "Digest username=\"a\", realm=\"doorpair\", algorithm=MD5-sess | unsupported algorithm",
      })
  void malformed_headers_get_400_with_exact_messages(String header, String message) {
    assertThat(send(header)).isEqualTo(new BadRequest(message));
  }

  @Test
  void header_over_4_kib_gets_400() {
    String header = "Digest username=\"" + "a".repeat(5000) + "\"";

    assertThat(send(header)).isEqualTo(new BadRequest("authorization header too long"));
  }

  @Test
  void messages_never_quote_the_header() {
    String secretish = "s3cr3t-Value";
    DigestOutcome outcome = send("Digest " + secretish + "=\"" + "x".repeat(2000) + "\"");

    assertThat(outcome).isEqualTo(new BadRequest("parameter too long"));
    assertThat(outcome.toString()).doesNotContain(secretish);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Basic YWxpY2U6cGFzcw==", "Bearer abc", "Digestive x=1"})
  void other_schemes_get_a_challenge(String header) {
    assertChallenge(send(header), "unsupported_scheme", false);
  }

  // --- throttling -----------------------------------------------------------------------------

  @Test
  void ten_failures_for_one_user_lock_that_user_with_retry_after() {
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofSeconds(10));
      assertChallenge(
          send(answerFresh("alice", "guess" + i), "198.51.100." + i), "bad_credentials", false);
    }

    DigestOutcome outcome = send(answerFresh("alice", PASSWORD), "203.0.113.1");

    assertThat(outcome).isEqualTo(new Throttled(Duration.ofMinutes(15)));
    assertThat(((Throttled) outcome).retryAfterSeconds()).isEqualTo(900);
    assertThat(send(answerFresh("bob", "bob's password"), "203.0.113.1"))
        .isEqualTo(new Authenticated("bob"));
    clock.advance(Duration.ofMinutes(15));
    assertThat(send(answerFresh("alice", PASSWORD), "203.0.113.1"))
        .isEqualTo(new Authenticated("alice"));
  }

  @Test
  void retry_after_counts_down_and_rounds_up() {
    for (int i = 0; i < 10; i++) {
      send(answerFresh("alice", "guess" + i), "198.51.100." + i);
    }
    clock.advance(Duration.ofSeconds(100).plusMillis(500));

    Throttled throttled = (Throttled) send(answerFresh("alice", PASSWORD), "203.0.113.1");

    assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(799).plusMillis(500));
    assertThat(throttled.retryAfterSeconds()).isEqualTo(800);
  }

  @Test
  void thirty_failures_from_one_address_lock_that_address() {
    for (int i = 0; i < 30; i++) {
      send(answerFresh("user" + i, "guess"));
    }

    DigestOutcome outcome = portal.authenticate("POST", PAIR, Optional.empty(), ADDRESS);

    assertThat(outcome).isEqualTo(new Throttled(Duration.ofMinutes(15)));
    assertThat(send(answerFresh("alice", PASSWORD), "203.0.113.9"))
        .isEqualTo(new Authenticated("alice"));
  }

  @Test
  void failures_outside_the_window_are_forgotten() {
    for (int i = 0; i < 9; i++) {
      send(answerFresh("alice", "guess" + i));
    }
    clock.advance(Duration.ofMinutes(15));
    for (int i = 0; i < 9; i++) {
      send(answerFresh("alice", "guess" + i));
    }

    assertThat(send(answerFresh("alice", PASSWORD))).isEqualTo(new Authenticated("alice"));
  }

  @Test
  void success_clears_the_users_failures_but_not_the_addresss() {
    for (int i = 0; i < 9; i++) {
      send(answerFresh("alice", "guess" + i));
    }
    assertThat(send(answerFresh("alice", PASSWORD))).isEqualTo(new Authenticated("alice"));
    for (int i = 0; i < 9; i++) {
      send(answerFresh("alice", "guess" + i));
    }
    assertThat(send(answerFresh("alice", PASSWORD))).isEqualTo(new Authenticated("alice"));
    for (int i = 0; i < 12; i++) {
      send(answerFresh("bob", "guess" + i % 5));
      if (i % 5 == 4) {
        send(answerFresh("bob", "bob's password"));
      }
    }

    assertThat(send(answerFresh("alice", PASSWORD))).isInstanceOf(Throttled.class);
  }

  @Test
  void malformed_requests_bad_nonces_and_replays_are_not_counted() {
    String used = answerFresh("alice", PASSWORD);
    send(used);
    for (int i = 0; i < 40; i++) {
      send("Digest username=\"alice\"");
      send(
          answer(
              DigestChallenge.of(REALM, "forged", DigestAlgorithm.MD5, false),
              "alice",
              "x",
              PAIR,
              1));
      send(used);
    }

    assertThat(send(answerFresh("alice", PASSWORD))).isEqualTo(new Authenticated("alice"));
  }

  // --- bounded memory -------------------------------------------------------------------------

  @Test
  void full_nonce_table_refuses_new_nonces_until_entries_expire() {
    DigestSettings small =
        new DigestSettings(
            REALM,
            Duration.ofMinutes(5),
            10,
            30,
            Duration.ofMinutes(15),
            Duration.ofMinutes(15),
            2);
    portal = new DigestAuthenticator(small, users, clock, random);
    assertThat(send(answerFresh("alice", PASSWORD))).isInstanceOf(Authenticated.class);
    clock.advance(Duration.ofMinutes(1));
    assertThat(send(answerFresh("alice", PASSWORD))).isInstanceOf(Authenticated.class);

    assertChallenge(send(answerFresh("alice", PASSWORD)), "nonce_table_full", false);
    clock.advance(Duration.ofMinutes(4));
    assertThat(send(answerFresh("alice", PASSWORD))).isInstanceOf(Authenticated.class);
  }

  @Test
  void settings_are_validated() {
    DigestSettings d = DigestSettings.defaults();
    assertThat(d.realm()).isEqualTo("doorpair");
    assertThatThrownBy(() -> d.withRealm(""))
        .hasMessage("realm must be 1 to 128 printable ASCII characters");
    assertThatThrownBy(() -> d.withRealm("a\nb"))
        .hasMessage("realm must be 1 to 128 printable ASCII characters");
    assertThatThrownBy(
            () ->
                new DigestSettings(
                    REALM, Duration.ZERO, 10, 30, Duration.ofMinutes(1), Duration.ofMinutes(1), 1))
        .hasMessage("nonceLifetime must be from 1 second to 1 day");
    assertThatThrownBy(
            () ->
                new DigestSettings(
                    REALM,
                    Duration.ofMinutes(1),
                    0,
                    30,
                    Duration.ofMinutes(1),
                    Duration.ofMinutes(1),
                    1))
        .hasMessage("maxFailuresPerUser must be at least 1");
    assertThatThrownBy(
            () ->
                new DigestSettings(
                    REALM, Duration.ofMinutes(1), 1, 1, Duration.ofMinutes(1), Duration.ZERO, 1))
        .hasMessage("lockout must be positive");
  }
}
