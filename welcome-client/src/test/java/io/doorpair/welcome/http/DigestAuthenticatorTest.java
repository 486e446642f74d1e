package io.doorpair.welcome.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.digest.DigestAlgorithm;
import io.doorpair.crypto.digest.DigestAuthorization;
import io.doorpair.crypto.digest.DigestChallenge;
import io.doorpair.crypto.digest.DigestMath;
import io.doorpair.crypto.digest.Ha1;
import java.security.SecureRandom;
import java.util.Arrays;
import okhttp3.Headers;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestAuthenticatorTest {
  private static final String REALM = "doorpair";
  private static final char[] PASSWORD = "correct horse".toCharArray();

  private final DigestAuthenticator digest =
      new DigestAuthenticator("alice", PASSWORD, new SecureRandom());

  private static Request post(String url) {
    return new Request.Builder()
        .url(url)
        .post(okhttp3.RequestBody.create(new byte[0], null))
        .build();
  }

  private static Response unauthorized(Request request, Response prior, String... challenges) {
    Headers.Builder headers = new Headers.Builder();
    for (String c : challenges) {
      headers.addUnsafeNonAscii("WWW-Authenticate", c); // as OkHttp reads them off the wire
    }
    return new Response.Builder()
        .request(request)
        .protocol(Protocol.HTTP_1_1)
        .code(401)
        .message("Unauthorized")
        .headers(headers.build())
        .priorResponse(prior)
        .build();
  }

  private static String challenge(String nonce, DigestAlgorithm algorithm, boolean stale) {
    return DigestChallenge.of(REALM, nonce, algorithm, stale).toHeaderValue();
  }

  private static DigestAuthorization authorizationOf(Request request) {
    assertThat(request).isNotNull();
    return DigestAuthorization.parse(request.header("Authorization"));
  }

  private static boolean verifies(Request request) {
    DigestAuthorization a = authorizationOf(request);
    return DigestMath.verify(
        Ha1.compute(a.algorithm(), "alice", REALM, "correct horse".toCharArray()),
        request.method(),
        a);
  }

  @Test
  void answers_sha256_even_when_md5_is_offered_first() {
    Request request = post("https://portal.test/api/pair");

    Request answered =
        digest.authenticate(
            null,
            unauthorized(
                request,
                null,
                challenge("n1", DigestAlgorithm.MD5, false),
                challenge("n1", DigestAlgorithm.SHA_256, false)));

    DigestAuthorization a = authorizationOf(answered);
    assertThat(a.algorithm()).isEqualTo(DigestAlgorithm.SHA_256);
    assertThat(a.username()).isEqualTo("alice");
    assertThat(a.uri()).isEqualTo("/api/pair");
    assertThat(a.nc()).isEqualTo("00000001");
    assertThat(a.qop()).isEqualTo("auth");
    assertThat(verifies(answered)).isTrue();
  }

  @Test
  void falls_back_to_md5_and_skips_what_it_cannot_answer() {
    Request request = post("https://portal.test/api/pair");

    Request answered =
        digest.authenticate(
            null,
            unauthorized(
                request,
                null,
                "Digest realm=\"doorpair\", qop=\"auth\", algorithm=SHA-512-256, nonce=\"x\"",
                "Basic realm=\"doorpair\", " + challenge("n1", DigestAlgorithm.MD5, false)));

    assertThat(authorizationOf(answered).algorithm()).isEqualTo(DigestAlgorithm.MD5);
    assertThat(verifies(answered)).isTrue();
  }

  @Test
  void uri_covers_path_and_query_as_sent() {
    Request request = post("https://portal.test/api/pair?x=%20y&z");

    Request answered =
        digest.authenticate(
            null, unauthorized(request, null, challenge("n1", DigestAlgorithm.SHA_256, false)));

    assertThat(authorizationOf(answered).uri()).isEqualTo("/api/pair?x=%20y&z");
    assertThat(verifies(answered)).isTrue();
  }

  @Test
  void nonce_count_increases_per_nonce_and_cnonce_changes() {
    String n1 = challenge("n1", DigestAlgorithm.SHA_256, false);
    String n2 = challenge("n2", DigestAlgorithm.SHA_256, false);

    DigestAuthorization first =
        authorizationOf(
            digest.authenticate(null, unauthorized(post("https://p.test/a"), null, n1)));
    DigestAuthorization second =
        authorizationOf(
            digest.authenticate(null, unauthorized(post("https://p.test/b"), null, n1)));
    DigestAuthorization other =
        authorizationOf(
            digest.authenticate(null, unauthorized(post("https://p.test/c"), null, n2)));

    assertThat(first.nc()).isEqualTo("00000001");
    assertThat(second.nc()).isEqualTo("00000002");
    assertThat(other.nc()).isEqualTo("00000001");
    assertThat(first.cnonce()).isNotEqualTo(second.cnonce()).hasSize(32);
  }

  @Test
  void after_its_answer_a_401_that_is_not_stale_is_final() {
    Request first = post("https://portal.test/api/pair");
    Response firstResponse =
        unauthorized(first, null, challenge("n1", DigestAlgorithm.SHA_256, false));
    Request answered = digest.authenticate(null, firstResponse);

    Request again =
        digest.authenticate(
            null,
            unauthorized(answered, firstResponse, challenge("n2", DigestAlgorithm.SHA_256, false)));

    assertThat(again).isNull();
  }

  @Test
  void a_stale_nonce_is_retried_once_with_the_new_nonce() {
    Request first = post("https://portal.test/api/pair");
    Response r1 = unauthorized(first, null, challenge("n1", DigestAlgorithm.SHA_256, false));
    Request a1 = digest.authenticate(null, r1);
    Response r2 = unauthorized(a1, r1, challenge("n2", DigestAlgorithm.SHA_256, true));

    Request a2 = digest.authenticate(null, r2);
    Response r3 = unauthorized(a2, r2, challenge("n3", DigestAlgorithm.SHA_256, true));

    assertThat(authorizationOf(a2).nonce()).isEqualTo("n2");
    assertThat(verifies(a2)).isTrue();
    assertThat(digest.authenticate(null, r3)).isNull();
  }

  @Test
  void a_stale_challenge_repeating_the_used_nonce_is_final() {
    Request first = post("https://portal.test/api/pair");
    Response r1 = unauthorized(first, null, challenge("n1", DigestAlgorithm.SHA_256, false));
    Request a1 = digest.authenticate(null, r1);

    Response r2 = unauthorized(a1, r1, challenge("n1", DigestAlgorithm.SHA_256, true));

    assertThat(digest.authenticate(null, r2)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Basic realm=\"doorpair\"",
        "Digest realm=\"doorpair\", nonce=\"n\"",
        "Digest realm=\"doorpair\", nonce=\"n\", qop=auth, algorithm=MD5-sess",
        "Digest realm=\"unterminated",
        "Digest realm=\"é\", nonce=\"n\", qop=auth"
      })
  void challenges_it_cannot_answer_give_up(String header) {
    assertThat(digest.authenticate(null, unauthorized(post("https://p.test/"), null, header)))
        .isNull();
  }

  @Test
  void no_challenge_at_all_gives_up() {
    assertThat(digest.authenticate(null, unauthorized(post("https://p.test/"), null))).isNull();
  }

  @Test
  void closed_authenticator_gives_up() {
    digest.close();

    assertThat(
            digest.authenticate(
                null,
                unauthorized(
                    post("https://p.test/"), null, challenge("n", DigestAlgorithm.MD5, false))))
        .isNull();
  }

  @Test
  void keeps_its_own_copy_of_the_password() {
    char[] mine = "correct horse".toCharArray();
    DigestAuthenticator own = new DigestAuthenticator("alice", mine, new SecureRandom());
    Arrays.fill(mine, 'x');

    Request answered =
        own.authenticate(
            null,
            unauthorized(
                post("https://p.test/"), null, challenge("n", DigestAlgorithm.MD5, false)));

    assertThat(verifies(answered)).isTrue();
  }

  @Test
  void to_string_never_shows_the_password() {
    assertThat(digest.toString()).doesNotContain("horse").contains("<redacted>");
  }
}
