package io.doorpair.portal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.crypto.digest.DigestAlgorithm;
import io.doorpair.crypto.digest.DigestAuthorization;
import io.doorpair.crypto.digest.DigestChallenge;
import io.doorpair.crypto.digest.Ha1;
import io.doorpair.crypto.tls.TlsMaterial;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.welcome.api.PairRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP Digest as a hostile client sees it, over the real HTTPS endpoint: hand-made Authorization
 * headers, replays, throttling, and racing pairings of one DOMAIN.
 */
class DigestOverHttpsTest {
  @RegisterExtension static final PortalExtension PORTAL = new PortalExtension();

  private static final String PASSWORD = "erin's long password";
  private static final MediaType JSON = MediaType.get("application/json");
  private static KeyPair keys;
  private static OkHttpClient http;

  @BeforeAll
  static void setUp() {
    PORTAL.addUser("erin", PASSWORD);
    PORTAL.addUser("frank", "frank's long password");
    PORTAL.addUser("grace", "grace's long password");
    keys = RsaKeys.generate(2048);
    X509TrustManager trust = TlsMaterial.trustManager(List.of(PORTAL.portal().caCertificate()));
    SSLContext context = TlsMaterial.context(Optional.empty(), trust);
    http =
        new OkHttpClient.Builder()
            .sslSocketFactory(context.getSocketFactory(), trust)
            .retryOnConnectionFailure(false)
            .build();
  }

  private record Answer(int status, String body, List<String> challenges, String retryAfter) {}

  private static Answer post(String body, Optional<String> authorization) {
    Request.Builder request =
        new Request.Builder().url(PORTAL.url() + "/api/pair").post(RequestBody.create(body, JSON));
    authorization.ifPresent(value -> request.header("Authorization", value));
    try (Response response = http.newCall(request.build()).execute()) {
      return new Answer(
          response.code(),
          response.body().string(),
          response.headers("WWW-Authenticate"),
          response.header("Retry-After"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String pairBody(String cn) throws Exception {
    String csr = CertificateRequest.create(keys, cn, Optional.empty()).pem();
    return Json.MAPPER.writeValueAsString(new PairRequest(csr, "phone"));
  }

  private static DigestChallenge sha256Challenge(String body) {
    Answer first = post(body, Optional.empty());
    assertThat(first.status()).isEqualTo(401);
    return DigestChallenge.parseAll(first.challenges()).stream()
        .filter(c -> c.algorithm() == DigestAlgorithm.SHA_256)
        .findFirst()
        .orElseThrow();
  }

  private static String authorization(
      DigestChallenge challenge, String user, String password, long nc) {
    Ha1 ha1 = Ha1.compute(challenge.algorithm(), user, challenge.realm(), password.toCharArray());
    return DigestAuthorization.answer(
            challenge, user, ha1, "POST", "/api/pair", "0a4f113b" + nc, nc)
        .toHeaderValue();
  }

  private static int certificatesOf(String user) {
    return PORTAL.portal().store().listCertificatesOf(user).size();
  }

  @Test
  void a_replayed_authorization_is_refused_and_issues_nothing() throws Exception {
    String body = pairBody("erin@portal.localhost");
    DigestChallenge challenge = sha256Challenge(body);
    String header = authorization(challenge, "erin", PASSWORD, 1);

    assertThat(post(body, Optional.of(header)).status()).isEqualTo(201);
    int issued = certificatesOf("erin");

    Answer replay = post(body, Optional.of(header));
    assertThat(replay.status()).as(replay.body()).isEqualTo(401);
    assertThat(replay.challenges()).isNotEmpty();
    assertThat(certificatesOf("erin")).isEqualTo(issued);

    Answer next = post(body, Optional.of(authorization(challenge, "erin", PASSWORD, 2)));
    assertThat(next.status()).as("nc=2 on the same nonce is fresh").isEqualTo(201);
  }

  @Test
  void a_made_up_nonce_gets_a_new_challenge() throws Exception {
    String body = pairBody("erin@portal.localhost");
    DigestChallenge real = sha256Challenge(body);
    DigestChallenge forged =
        DigestChallenge.of(real.realm(), "bm90IGEgcmVhbCBub25jZQ", real.algorithm(), false);
    Answer answer = post(body, Optional.of(authorization(forged, "erin", PASSWORD, 1)));
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.challenges()).isNotEmpty();
  }

  @Test
  void a_malformed_authorization_header_is_400() throws Exception {
    Answer answer = post(pairBody("erin@portal.localhost"), Optional.of("Digest username=\"erin"));
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.body()).contains("bad_authorization");
  }

  @Test
  void repeated_wrong_passwords_are_throttled_with_retry_after() throws Exception {
    String body = pairBody("frank@portal.localhost");
    Answer last = null;
    for (int attempt = 0; attempt < 12 && (last == null || last.status() != 429); attempt++) {
      DigestChallenge challenge = sha256Challenge(body);
      last = post(body, Optional.of(authorization(challenge, "frank", "wrong password", 1)));
    }
    assertThat(last.status()).as(last.body()).isEqualTo(429);
    assertThat(Long.parseLong(last.retryAfter())).isPositive();

    DigestChallenge challenge = sha256Challenge(body);
    Answer right =
        post(body, Optional.of(authorization(challenge, "frank", "frank's long password", 1)));
    assertThat(right.status()).as("locked out even with the right password").isEqualTo(429);
    assertThat(certificatesOf("frank")).isZero();
  }

  @Test
  void two_racing_pairings_of_one_domain_never_both_succeed() throws Exception {
    int racers = 6;
    String cn = "ipgw@race0domain1";
    List<String> bodies = new ArrayList<>();
    List<String> headers = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      String body = pairBody(cn);
      bodies.add(body);
      headers.add(authorization(sha256Challenge(body), "grace", "grace's long password", 1));
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        int n = i;
        Callable<Integer> racer =
            () -> {
              start.await();
              return post(bodies.get(n), Optional.of(headers.get(n))).status();
            };
        results.add(pool.submit(racer));
      }
      start.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> result : results) {
        statuses.add(result.get());
      }
      assertThat(statuses).containsOnly(201, 409);
      assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(PORTAL.portal().store().listGatewaysOf("grace")).hasSize(1);
    assertThat(certificatesOf("grace")).isEqualTo(1);
  }
}
