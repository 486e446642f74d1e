package io.doorpair.portal.http;

import static io.doorpair.portal.testing.RawApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.portal.testing.HostileCsrs;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.portal.testing.RawApi;
import io.doorpair.welcome.api.PairRequest;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /api/pair} over real HTTPS with digest: what is issued, and what is refused. */
class PairingApiTest {
  @RegisterExtension static final PortalExtension PORTAL = new PortalExtension();

  private static final String PASSWORD = "correct horse battery";
  private static KeyPair keys;
  private static RawApi alice;

  @BeforeAll
  static void users() {
    PORTAL.addUser("alice", PASSWORD);
    PORTAL.addUser("bob", "bob's long password");
    keys = RsaKeys.generate(2048);
    alice = RawApi.withDigest(PORTAL, "alice", PASSWORD);
  }

  private static String body(String csr, String friendlyName) throws Exception {
    return Json.MAPPER.writeValueAsString(new PairRequest(csr, friendlyName));
  }

  private static String appCsr(String cn) {
    return CertificateRequest.create(keys, cn, Optional.empty()).pem();
  }

  @Test
  void app_pairing_issues_a_client_certificate_with_instance_and_gruu() throws Exception {
    UUID instance = UUID.randomUUID();
    String csr =
        CertificateRequest.create(keys, "alice@portal.localhost", Optional.of(instance)).pem();
    RawApi.Exchange answer = alice.postJson("/api/pair", body(csr, "John's iphone"));

    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    JsonNode node = json(answer);
    X509Certificate cert = Pem.parseCertificate(node.get("certificate").asText());
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=alice@portal.localhost");
    assertThat(cert.getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(CertificateIdentity.of(cert).instance()).contains(instance);
    assertThat(node.get("instance").asText()).isEqualTo("urn:uuid:" + instance);
    assertThat(node.get("gruu").asText())
        .isEqualTo("sip:alice@portal.localhost;gr=urn:uuid:" + instance);
    assertThat(Pem.parseCertificate(node.get("ca_certificate").asText()))
        .isEqualTo(PORTAL.portal().caCertificate());
    cert.verify(PORTAL.portal().caCertificate().getPublicKey());
  }

  @Test
  void app_without_a_proposed_instance_gets_a_random_v4_one() throws Exception {
    RawApi.Exchange answer =
        alice.postJson("/api/pair", body(appCsr("alice@portal.localhost"), "tablet"));
    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    String urn = json(answer).get("instance").asText();
    assertThat(UUID.fromString(urn.substring("urn:uuid:".length())).version()).isEqualTo(4);
  }

  @Test
  void gateway_pairing_then_the_same_domain_again_is_409() throws Exception {
    String csr = appCsr("ipgw@a1b2c3d4e5f6");
    RawApi.Exchange first = alice.postJson("/api/pair", body(csr, "Location: Loft"));
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(json(first).get("domain").asText()).isEqualTo("a1b2c3d4e5f6");
    assertThat(json(first).has("gruu")).isFalse();

    RawApi.Exchange again = alice.postJson("/api/pair", body(csr, "Location: Loft"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(json(again).get("error").asText()).isEqualTo("domain_taken");
    assertThat(PORTAL.portal().store().listGatewaysOf("alice")).hasSize(1);
  }

  @Test
  void wrong_password_gets_401_with_both_digest_challenges() throws Exception {
    RawApi.Exchange answer =
        RawApi.withDigest(PORTAL, "alice", "not the password")
            .postJson("/api/pair", body(appCsr("alice@portal.localhost"), "x"));
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.headers().values("WWW-Authenticate"))
        .anySatisfy(h -> assertThat(h).contains("algorithm=SHA-256"))
        .anySatisfy(h -> assertThat(h).contains("algorithm=MD5"));
  }

  @Test
  void no_credentials_gets_401() throws Exception {
    RawApi.Exchange answer =
        RawApi.anonymous(PORTAL).postJson("/api/pair", body(appCsr("alice@portal.localhost"), "x"));
    assertThat(answer.status()).isEqualTo(401);
    assertThat(json(answer).get("error").asText()).isEqualTo("unauthorized");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bob@portal.localhost",
        "alice@other.example",
        "alice%40portal.localhost",
        "portal.localhost",
        "alice",
        "@portal.localhost",
        "alice@portal.localhost.evil.example"
      })
  void a_cn_that_is_not_the_authenticated_user_is_403(String cn) throws Exception {
    RawApi.Exchange answer = alice.postJson("/api/pair", body(appCsr(cn), "x"));
    assertThat(answer.status()).as(answer.body()).isEqualTo(403);
    assertThat(json(answer).get("error").asText()).isEqualTo("cn_forbidden");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ipgw@short", "ipgw@UPPERCASE1234", "ipgw@a1b2c3d4e5f6a", "ipgw@a1b2-3d4e5f6"})
  void a_gateway_cn_with_a_malformed_domain_is_400(String cn) throws Exception {
    RawApi.Exchange answer = alice.postJson("/api/pair", body(appCsr(cn), "x"));
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(json(answer).get("error").asText()).isEqualTo("bad_domain");
  }

  @Test
  void greedy_extensions_are_ignored_and_absent_from_the_certificate() throws Exception {
    String csr =
        HostileCsrs.csr(
            keys, HostileCsrs.cn("alice@portal.localhost"), HostileCsrs.greedyExtensions());
    RawApi.Exchange answer = alice.postJson("/api/pair", body(csr, "greedy"));
    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    X509Certificate cert = Pem.parseCertificate(json(answer).get("certificate").asText());
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(cert.getSubjectAlternativeNames())
        .allSatisfy(san -> assertThat(san.get(0)).isEqualTo(6));
  }

  @Test
  void a_second_cn_is_400() throws Exception {
    String csr =
        HostileCsrs.csr(
            keys, HostileCsrs.twoCns("alice@portal.localhost", "bob@portal.localhost"), null);
    RawApi.Exchange answer = alice.postJson("/api/pair", body(csr, "two"));
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
  }

  @Test
  void ec_keys_are_refused_with_400() throws Exception {
    String csr =
        HostileCsrs.csr(HostileCsrs.ecKeys(), HostileCsrs.cn("alice@portal.localhost"), null);
    RawApi.Exchange answer = alice.postJson("/api/pair", body(csr, "ec"));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(json(answer).get("error").asText()).isEqualTo("unsupported_key");
    assertThat(json(answer).get("message").asText()).containsIgnoringCase("RSA");
  }

  @Test
  void rsa_1024_is_refused_with_400() throws Exception {
    String csr =
        HostileCsrs.csr(HostileCsrs.rsaKeys(1024), HostileCsrs.cn("alice@portal.localhost"), null);
    RawApi.Exchange answer = alice.postJson("/api/pair", body(csr, "weak"));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(json(answer).get("error").asText()).isEqualTo("weak_key");
  }

  @Test
  void a_csr_whose_signature_does_not_verify_is_400() throws Exception {
    String csr = HostileCsrs.withBrokenSignature(appCsr("alice@portal.localhost"));
    RawApi.Exchange answer = alice.postJson("/api/pair", body(csr, "forged"));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(json(answer).get("error").asText()).isEqualTo("bad_signature");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not a csr",
        "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n",
        "-----BEGIN CERTIFICATE REQUEST-----\n"
      })
  void non_pem_or_truncated_csrs_are_400(String csr) throws Exception {
    RawApi.Exchange answer = alice.postJson("/api/pair", body(csr, "broken"));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(json(answer).get("error").asText()).isIn("bad_csr", "bad_pem");
  }

  @Test
  void a_truncated_real_csr_is_400() throws Exception {
    String pem = appCsr("alice@portal.localhost");
    RawApi.Exchange answer =
        alice.postJson("/api/pair", body(pem.substring(0, pem.length() / 2), "cut"));
    assertThat(answer.status()).isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "tab\there",
        "bell\u0007",
        "a-very-long-friendly-name-that-goes-on-and-on-and-on-past-sixty-four-characters"
      })
  void bad_friendly_names_are_400(String name) throws Exception {
    RawApi.Exchange answer =
        alice.postJson("/api/pair", body(appCsr("alice@portal.localhost"), name));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(json(answer).get("error").asText()).isEqualTo("bad_friendly_name");
  }

  @Test
  void unknown_json_fields_are_400() {
    RawApi.Exchange answer =
        alice.postJson("/api/pair", "{\"csr\":\"x\",\"friendly_name\":\"y\",\"ca\":true}");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body()).contains("bad_json").contains("ca");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"csr\":null,\"friendly_name\":\"x\"}",
        "[]",
        "{",
        "{\"csr\":\"a\",\"friendly_name\":\"b\"} trailing",
        "{\"csr\":\"a\",\"csr\":\"b\",\"friendly_name\":\"c\"}"
      })
  void malformed_json_is_400(String json) {
    RawApi.Exchange answer = alice.postJson("/api/pair", json);
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.body()).contains("bad_json");
  }

  @Test
  void a_wrong_content_type_is_415() throws Exception {
    RawApi.Exchange answer =
        alice.post("/api/pair", "text/plain", body(appCsr("alice@portal.localhost"), "x"));
    assertThat(answer.status()).isEqualTo(415);
  }

  @Test
  void an_oversized_body_is_413_and_nothing_is_stored() throws Exception {
    int before = PORTAL.portal().store().listCertificatesOf("alice").size();
    String huge =
        body(appCsr("alice@portal.localhost"), "x")
            .replace("\"x\"", "\"" + "x".repeat(70_000) + "\"");
    RawApi.Exchange answer = alice.postJson("/api/pair", huge);
    assertThat(answer.status()).isEqualTo(413);
    assertThat(PORTAL.portal().store().listCertificatesOf("alice")).hasSize(before);
  }

  @Test
  void the_certificate_lists_only_the_sip_and_uuid_names() throws Exception {
    RawApi.Exchange answer =
        alice.postJson("/api/pair", body(appCsr("alice@portal.localhost"), "names"));
    X509Certificate cert = Pem.parseCertificate(json(answer).get("certificate").asText());
    List<Object> names =
        cert.getSubjectAlternativeNames().stream()
            .map(san -> san.get(1))
            .map(Object.class::cast)
            .toList();
    assertThat(names).hasSize(2).contains("sip:alice@portal.localhost");
  }
}
