package io.doorpair.welcome.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.doorpair.crypto.digest.DigestAlgorithm;
import io.doorpair.crypto.digest.DigestAuthorization;
import io.doorpair.crypto.digest.DigestChallenge;
import io.doorpair.crypto.digest.DigestMath;
import io.doorpair.crypto.digest.Ha1;
import io.doorpair.welcome.api.CertificateResponse;
import io.doorpair.welcome.api.DeviceInfo;
import io.doorpair.welcome.api.DeviceList;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okhttp3.tls.HeldCertificate;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortalClientTest {
  private static final String REALM = "doorpair";
  private static final String PASSWORD = "correct horse";
  private static final String CSR =
      "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Two CAs with the same name: only the key tells them apart. */
  private static final HeldCertificate CA =
      new HeldCertificate.Builder().certificateAuthority(0).commonName("Portal CA").build();

  private static final HeldCertificate OTHER_CA =
      new HeldCertificate.Builder().certificateAuthority(0).commonName("Portal CA").build();

  private static final HeldCertificate SERVER = MockPortal.serverCertificate(CA);

  private static final HeldCertificate DEVICE =
      new HeldCertificate.Builder().signedBy(CA).commonName("alice@portal.test").build();

  private static final HeldCertificate OTHER_DEVICE =
      new HeldCertificate.Builder().signedBy(OTHER_CA).commonName("alice@portal.test").build();

  private MockWebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    MockPortal.useHttps(server, SERVER, CA);
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  private String baseUrl() {
    return server.url("/").toString();
  }

  /** First contact: the test CA is the trust anchor, nothing pinned, no identity. */
  private PortalClient firstContact() {
    return PortalClient.builder(baseUrl())
        .trustAnchors(List.of(CA.certificate()))
        .callTimeout(Duration.ofSeconds(10))
        .build();
  }

  private PortalClient paired() {
    return firstContact()
        .withIdentity(
            DEVICE.keyPair().getPrivate(), List.of(DEVICE.certificate()), CA.certificate());
  }

  private static MockResponse unauthorized(String... challenges) {
    MockResponse r =
        new MockResponse()
            .setResponseCode(401)
            .setHeader("Content-Type", "application/json")
            .setBody("{\"error\":\"unauthorized\",\"message\":\"wrong username or password\"}");
    for (String c : challenges) {
      r.addHeader("WWW-Authenticate", c);
    }
    return r;
  }

  private static String challenge(String nonce, DigestAlgorithm algorithm, boolean stale) {
    return DigestChallenge.of(REALM, nonce, algorithm, stale).toHeaderValue();
  }

  private static MockResponse json(int status, Object body) throws Exception {
    return new MockResponse()
        .setResponseCode(status)
        .setHeader("Content-Type", "application/json")
        .setBody(JSON.writeValueAsString(body));
  }

  private static MockResponse issued(HeldCertificate certificate, HeldCertificate ca)
      throws Exception {
    return json(
        200,
        Map.of(
            "certificate",
            certificate.certificatePem(),
            "ca_certificate",
            ca.certificatePem(),
            "instance",
            "urn:uuid:0b6c0f54-5f1b-4d0e-9a4e-8e2f4c1f6a11",
            "gruu",
            "sip:alice@portal.test;gr=urn:uuid:0b6c0f54-5f1b-4d0e-9a4e-8e2f4c1f6a11"));
  }

  /** The server side of digest, done by the test: the header must verify for alice. */
  private static DigestAuthorization verifiedDigest(RecordedRequest request) {
    DigestAuthorization a = DigestAuthorization.parse(request.getHeader("Authorization"));
    Ha1 ha1 = Ha1.compute(a.algorithm(), "alice", REALM, PASSWORD.toCharArray());
    assertThat(DigestMath.verify(ha1, request.getMethod(), a)).as("digest verifies").isTrue();
    assertThat(a.uri()).isEqualTo(request.getPath());
    return a;
  }

  private CertificateResponse pairAlice(PortalClient client) {
    return client.pair("Alice", PASSWORD.toCharArray(), CSR, "John's iphone");
  }

  // --- digest -------------------------------------------------------------------------------

  @Test
  void pair_answers_the_sha256_challenge_and_returns_the_certificate() throws Exception {
    server.enqueue(
        unauthorized(
            challenge("n1", DigestAlgorithm.SHA_256, false),
            challenge("n1", DigestAlgorithm.MD5, false)));
    server.enqueue(issued(DEVICE, CA));

    CertificateResponse response = pairAlice(firstContact());

    assertThat(response.certificate()).isEqualTo(DEVICE.certificatePem());
    assertThat(response.caCertificate()).isEqualTo(CA.certificatePem());
    assertThat(response.instance()).startsWith("urn:uuid:");
    RecordedRequest first = server.takeRequest();
    assertThat(first.getHeader("Authorization")).isNull();
    RecordedRequest second = server.takeRequest();
    assertThat(second.getMethod()).isEqualTo("POST");
    assertThat(second.getPath()).isEqualTo("/api/pair");
    DigestAuthorization digest = verifiedDigest(second);
    assertThat(digest.algorithm()).isEqualTo(DigestAlgorithm.SHA_256);
    assertThat(digest.username()).isEqualTo("alice");
    assertThat(digest.nonce()).isEqualTo("n1");
    assertThat(JSON.readTree(second.getBody().readUtf8()))
        .isEqualTo(
            JSON.readTree(
                "{\"csr\":"
                    + JSON.writeValueAsString(CSR)
                    + ",\"friendly_name\":\"John's iphone\"}"));
  }

  @Test
  void pair_falls_back_to_md5() throws Exception {
    server.enqueue(unauthorized(challenge("n1", DigestAlgorithm.MD5, false)));
    server.enqueue(issued(DEVICE, CA));

    pairAlice(firstContact());

    server.takeRequest();
    assertThat(verifiedDigest(server.takeRequest()).algorithm()).isEqualTo(DigestAlgorithm.MD5);
  }

  @Test
  void stale_nonce_is_answered_again_with_the_new_nonce() throws Exception {
    server.enqueue(unauthorized(challenge("n1", DigestAlgorithm.SHA_256, false)));
    server.enqueue(unauthorized(challenge("n2", DigestAlgorithm.SHA_256, true)));
    server.enqueue(issued(DEVICE, CA));

    pairAlice(firstContact());

    server.takeRequest();
    assertThat(verifiedDigest(server.takeRequest()).nonce()).isEqualTo("n1");
    DigestAuthorization retry = verifiedDigest(server.takeRequest());
    assertThat(retry.nonce()).isEqualTo("n2");
    assertThat(retry.nc()).isEqualTo("00000001");
  }

  @Test
  void stale_twice_is_not_retried_again() throws Exception {
    server.enqueue(unauthorized(challenge("n1", DigestAlgorithm.SHA_256, false)));
    server.enqueue(unauthorized(challenge("n2", DigestAlgorithm.SHA_256, true)));
    server.enqueue(unauthorized(challenge("n3", DigestAlgorithm.SHA_256, true)));
    server.enqueue(issued(DEVICE, CA));

    assertThatThrownBy(() -> pairAlice(firstContact()))
        .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void wrong_password_gives_401_portal_exception_without_looping() throws Exception {
    server.enqueue(unauthorized(challenge("n1", DigestAlgorithm.SHA_256, false)));
    server.enqueue(unauthorized(challenge("n2", DigestAlgorithm.SHA_256, false)));
    server.enqueue(issued(DEVICE, CA));

    assertThatThrownBy(
            () -> firstContact().pair("alice", "wrong horse".toCharArray(), CSR, "phone"))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.code()).isEqualTo("unauthorized");
              assertThat(e.getMessage()).isEqualTo("wrong username or password");
            });
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void pair_leaves_the_callers_password_untouched() throws Exception {
    server.enqueue(unauthorized(challenge("n1", DigestAlgorithm.SHA_256, false)));
    server.enqueue(issued(DEVICE, CA));
    char[] password = PASSWORD.toCharArray();

    firstContact().pair("alice", password, CSR, "phone");

    assertThat(password).containsExactly(PASSWORD.toCharArray());
  }

  @Test
  void ill_formed_username_is_refused_before_any_request() {
    assertThatThrownBy(() -> firstContact().pair("al ice", PASSWORD.toCharArray(), CSR, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("username must match [a-z0-9][a-z0-9._-]{0,63}");
    assertThat(server.getRequestCount()).isZero();
  }

  // --- CA pinning and answer checks ---------------------------------------------------------

  @Test
  void pinned_ca_refuses_a_pairing_answer_with_another_ca() throws Exception {
    server.enqueue(unauthorized(challenge("n1", DigestAlgorithm.SHA_256, false)));
    server.enqueue(issued(OTHER_DEVICE, OTHER_CA));
    PortalClient pinned = PortalClient.builder(baseUrl()).pinnedCa(CA.certificate()).build();

    assertThatThrownBy(() -> pairAlice(pinned))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.code()).isEqualTo("ca_changed");
              assertThat(e.status()).isEqualTo(200);
            });
  }

  @Test
  void pinned_ca_is_trusted_for_the_server_and_refuses_a_changed_ca_pem() throws Exception {
    server.enqueue(new MockResponse().setBody(CA.certificatePem()));
    server.enqueue(new MockResponse().setBody(OTHER_CA.certificatePem()));
    PortalClient pinned = PortalClient.builder(baseUrl()).pinnedCa(CA.certificate()).build();

    assertThat(pinned.caPem()).isEqualTo(CA.certificatePem());
    assertThatThrownBy(pinned::caPem)
        .isInstanceOfSatisfying(
            PortalException.class, e -> assertThat(e.code()).isEqualTo("ca_changed"));
  }

  @Test
  void without_anchors_or_pin_the_test_ca_is_not_trusted() {
    PortalClient systemTrust = PortalClient.builder(baseUrl()).build();

    assertThatThrownBy(systemTrust::caPem)
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.code()).isEqualTo("io");
              assertThat(e.status()).isZero();
            });
  }

  @Test
  void first_contact_accepts_the_ca_it_is_given() throws Exception {
    server.enqueue(new MockResponse().setBody(OTHER_CA.certificatePem()));

    assertThat(firstContact().caPem()).isEqualTo(OTHER_CA.certificatePem());
  }

  @Test
  void certificate_not_signed_by_the_returned_ca_is_a_bad_response() throws Exception {
    server.enqueue(unauthorized(challenge("n1", DigestAlgorithm.SHA_256, false)));
    server.enqueue(issued(OTHER_DEVICE, CA));

    assertThatThrownBy(() -> pairAlice(firstContact()))
        .isInstanceOfSatisfying(
            PortalException.class, e -> assertThat(e.code()).isEqualTo("bad_response"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "garbage | not json at all",
        "truncated | {\"certificate\":\"-----BEGIN CERT",
        "trailing tokens | {} {}",
        "null | null",
        "array | []",
        "missing certificate | {\"ca_certificate\":\"x\"}",
        "certificate that does not parse | {\"certificate\":\"x\",\"ca_certificate\":\"y\"}",
      })
  void malformed_pairing_answer_is_a_bad_response(String what, String body) {
    server.enqueue(new MockResponse().setBody(body));

    PortalClient client =
        firstContact()
            .withIdentity(
                DEVICE.keyPair().getPrivate(), List.of(DEVICE.certificate()), CA.certificate());
    assertThatThrownBy(() -> client.renew(CSR))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.code()).isEqualTo("bad_response");
              assertThat(e.status()).isEqualTo(200);
            });
  }

  @Test
  void body_over_1_mib_is_a_bad_response() {
    server.enqueue(new MockResponse().setBody("[" + " ".repeat(1024 * 1024) + "]"));

    assertThatThrownBy(paired()::devices)
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.code()).isEqualTo("bad_response");
              assertThat(e.getMessage()).isEqualTo("response body larger than 1 MiB");
            });
  }

  @Test
  void chunked_body_over_1_mib_is_a_bad_response() {
    server.enqueue(new MockResponse().setChunkedBody("x".repeat(1024 * 1024 + 1), 64 * 1024));

    assertThatThrownBy(paired()::caPem)
        .isInstanceOfSatisfying(
            PortalException.class, e -> assertThat(e.code()).isEqualTo("bad_response"));
  }

  @Test
  void connection_cut_in_the_body_is_an_io_error() {
    server.enqueue(
        new MockResponse()
            .setBody("{\"devices\": [" + " ".repeat(10_000) + "]}")
            .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

    assertThatThrownBy(paired()::devices)
        .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.code()).isEqualTo("io"));
  }

  @Test
  void closed_port_is_an_io_error() throws Exception {
    PortalClient client = firstContact();
    server.shutdown();

    assertThatThrownBy(client::caPem)
        .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.code()).isEqualTo("io"));
  }

  // --- errors -------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} {1} → {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "409 | {\"error\":\"domain_taken\",\"message\":\"pick another domain\"} | domain_taken | pick another domain",
        "429 | {\"error\":\"throttled\"} | throttled | HTTP 429",
        "500 | <html>oops</html> | http_500 | HTTP 500",
        "502 | '' | http_502 | HTTP 502",
        "400 | {\"error\":\"Bad Code!\",\"message\":\"x\"} | http_400 | HTTP 400",
        "404 | {\"error\":\"not_found\",\"message\":\"a\\u0007b\"} | not_found | a?b",
      })
  void error_answers_carry_the_portals_code(int status, String body, String code, String message) {
    server.enqueue(new MockResponse().setResponseCode(status).setBody(body));

    assertThatThrownBy(firstContact()::caPem)
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.status()).isEqualTo(status);
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  // --- mutual TLS ---------------------------------------------------------------------------

  @Test
  void mutual_tls_presents_the_client_certificate() throws Exception {
    server.requireClientAuth();
    DeviceInfo phone =
        new DeviceInfo(
            "0a1b",
            "app",
            "alice@portal.test",
            "John's iphone",
            "urn:uuid:x",
            null,
            "2026-01-01T00:00:00Z",
            "2027-01-01T00:00:00Z",
            null);
    server.enqueue(json(200, new DeviceList(List.of(phone))));

    DeviceList devices = paired().devices();

    assertThat(devices.devices()).containsExactly(phone);
    RecordedRequest request = server.takeRequest();
    assertThat(request.getPath()).isEqualTo("/api/devices");
    assertThat(request.getHandshake().peerCertificates()).first().isEqualTo(DEVICE.certificate());
    assertThat(request.getHandshake().tlsVersion().javaName()).isIn("TLSv1.3", "TLSv1.2");
  }

  @Test
  void renew_posts_the_csr_over_mutual_tls() throws Exception {
    server.requireClientAuth();
    server.enqueue(issued(DEVICE, CA));

    CertificateResponse renewed = paired().renew(CSR);

    assertThat(renewed.certificate()).isEqualTo(DEVICE.certificatePem());
    RecordedRequest request = server.takeRequest();
    assertThat(request.getPath()).isEqualTo("/api/renew");
    assertThat(request.getHeader("Authorization")).isNull();
    assertThat(JSON.readTree(request.getBody().readUtf8()).get("csr").asText()).isEqualTo(CSR);
    assertThat(request.getHandshake().peerCertificates()).first().isEqualTo(DEVICE.certificate());
  }

  @Test
  void revoke_device_posts_to_the_serials_path() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(204));

    paired().revokeDevice("0A1B2C");

    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getPath()).isEqualTo("/api/devices/0a1b2c/revoke");
  }

  @ParameterizedTest
  @CsvSource({"../ca.pem", "''", "0x12", "12 34"})
  void revoke_refuses_what_is_not_a_hex_serial(String serial) {
    assertThatThrownBy(() -> paired().revokeDevice(serial))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("serial must be 1 to 64 hex digits");
  }

  @Test
  void calls_that_need_a_certificate_fail_fast_without_one() {
    PortalClient anonymous = firstContact();

    assertThatThrownBy(anonymous::devices).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> anonymous.renew(CSR)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> anonymous.revokeDevice("01"))
        .isInstanceOf(IllegalStateException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void with_identity_pins_the_ca() {
    assertThat(paired().pinnedCa()).contains(CA.certificate());
    assertThat(firstContact().pinnedCa()).isEmpty();
  }

  // --- CRL ----------------------------------------------------------------------------------

  @Test
  void crl_signed_by_the_pinned_ca_is_returned_and_another_is_refused() throws Exception {
    String good = crlPem(CA);
    server.enqueue(new MockResponse().setBody(good));
    server.enqueue(new MockResponse().setBody(crlPem(OTHER_CA)));
    server.enqueue(
        new MockResponse().setBody("-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n"));
    PortalClient client = paired();

    assertThat(client.crlPem()).isEqualTo(good);
    assertThatThrownBy(client::crlPem)
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> assertThat(e.getMessage()).isEqualTo("the CRL is not signed by the pinned CA"));
    assertThatThrownBy(client::crlPem)
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> assertThat(e.getMessage()).isEqualTo("the CRL does not parse"));
  }

  private static String crlPem(HeldCertificate ca) throws Exception {
    X509Certificate issuer = ca.certificate();
    X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(issuer, new Date());
    builder.setNextUpdate(new Date(System.currentTimeMillis() + 86_400_000L));
    builder.addCRLEntry(BigInteger.valueOf(0x0a1b), new Date(), CRLReason.keyCompromise);
    byte[] der =
        builder
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.keyPair().getPrivate()))
            .getEncoded();
    return "-----BEGIN X509 CRL-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END X509 CRL-----\n";
  }

  // --- builder ------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({
    "http://portal.test/",
    "https://portal.test/?a=b",
    "https://portal.test/#x",
    "portal.test"
  })
  void base_url_must_be_plain_https(String url) {
    assertThatThrownBy(() -> PortalClient.builder(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("baseUrl must be an https URL without query or fragment");
  }

  @Test
  void base_url_prefix_is_kept() throws Exception {
    server.enqueue(new MockResponse().setBody(CA.certificatePem()));
    PortalClient client =
        PortalClient.builder(server.url("/portal/").toString())
            .trustAnchors(List.of(CA.certificate()))
            .build();

    client.caPem();

    assertThat(server.takeRequest().getPath()).isEqualTo("/portal/api/ca.pem");
  }
}
