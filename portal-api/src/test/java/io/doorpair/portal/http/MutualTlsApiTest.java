package io.doorpair.portal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.portal.testing.RawApi;
import io.doorpair.welcome.api.PairRequest;
import io.doorpair.welcome.api.RenewRequest;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Endpoints authenticated by a client certificate: renewal, devices, revocation, the CRL. */
class MutualTlsApiTest {
  @RegisterExtension static final PortalExtension PORTAL = new PortalExtension();

  private static final String PASSWORD = "carol's password";
  private static KeyPair keys;

  @BeforeAll
  static void users() {
    PORTAL.addUser("carol", PASSWORD);
    PORTAL.addUser("dave", "dave's password");
    keys = RsaKeys.generate(2048);
  }

  private static X509Certificate pair(String user, String password, String cn) throws Exception {
    String csr = CertificateRequest.create(keys, cn, Optional.empty()).pem();
    RawApi.Exchange answer =
        RawApi.withDigest(PORTAL, user, password)
            .postJson("/api/pair", Json.MAPPER.writeValueAsString(new PairRequest(csr, "phone")));
    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    return Pem.parseCertificate(Json.MAPPER.readTree(answer.body()).get("certificate").asText());
  }

  private static RawApi as(X509Certificate cert) {
    return RawApi.withCertificate(PORTAL, keys.getPrivate(), List.of(cert));
  }

  @Test
  void renewal_over_mutual_tls_keeps_cn_and_instance() throws Exception {
    X509Certificate cert = pair("carol", PASSWORD, "carol@portal.localhost");
    String csr = CertificateRequest.create(keys, "carol@portal.localhost", Optional.empty()).pem();
    RawApi.Exchange answer =
        as(cert).postJson("/api/renew", Json.MAPPER.writeValueAsString(new RenewRequest(csr)));
    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    JsonNode node = Json.MAPPER.readTree(answer.body());
    X509Certificate renewed = Pem.parseCertificate(node.get("certificate").asText());
    assertThat(renewed.getSubjectX500Principal()).isEqualTo(cert.getSubjectX500Principal());
    assertThat(renewed.getSerialNumber()).isNotEqualTo(cert.getSerialNumber());
    assertThat(List.copyOf(renewed.getSubjectAlternativeNames()))
        .isEqualTo(List.copyOf(cert.getSubjectAlternativeNames()));
  }

  @Test
  void renewal_for_another_cn_is_403() throws Exception {
    X509Certificate cert = pair("carol", PASSWORD, "carol@portal.localhost");
    String csr = CertificateRequest.create(keys, "dave@portal.localhost", Optional.empty()).pem();
    RawApi.Exchange answer =
        as(cert).postJson("/api/renew", Json.MAPPER.writeValueAsString(new RenewRequest(csr)));
    assertThat(answer.status()).isEqualTo(403);
  }

  @Test
  void renewal_without_a_certificate_is_401() throws Exception {
    String csr = CertificateRequest.create(keys, "carol@portal.localhost", Optional.empty()).pem();
    RawApi.Exchange answer =
        RawApi.anonymous(PORTAL)
            .postJson("/api/renew", Json.MAPPER.writeValueAsString(new RenewRequest(csr)));
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.body()).contains("certificate_required");
  }

  @Test
  void an_owner_lists_and_revokes_a_device_which_is_then_refused_everywhere() throws Exception {
    X509Certificate phone = pair("carol", PASSWORD, "carol@portal.localhost");
    X509Certificate stolen = pair("carol", PASSWORD, "carol@portal.localhost");
    String stolenSerial = stolen.getSerialNumber().toString(16);

    RawApi.Exchange list = as(phone).get("/api/devices");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).contains(stolenSerial);

    assertThat(as(stolen).get("/api/devices").status()).isEqualTo(200);
    RawApi.Exchange revoke = as(phone).postJson("/api/devices/" + stolenSerial + "/revoke", "{}");
    assertThat(revoke.status()).as(revoke.body()).isEqualTo(200);

    // Refused at once: on a new connection (handshake) and never served on any endpoint.
    assertThatThrownBy(() -> as(stolen).get("/api/devices"))
        .isInstanceOf(UncheckedIOException.class);
    X509CRL crl = Pem.parseCrl(RawApi.anonymous(PORTAL).get("/api/crl.pem").body());
    crl.verify(PORTAL.portal().caCertificate().getPublicKey());
    assertThat(crl.getRevokedCertificate(stolen.getSerialNumber())).isNotNull();
    assertThat(crl.getRevokedCertificate(phone.getSerialNumber())).isNull();

    RawApi.Exchange twice = as(phone).postJson("/api/devices/" + stolenSerial + "/revoke", "{}");
    assertThat(twice.status()).isEqualTo(409);
  }

  @Test
  void a_revoked_certificate_is_refused_on_its_already_open_connection() throws Exception {
    X509Certificate phone = pair("carol", PASSWORD, "carol@portal.localhost");
    RawApi client = as(phone);
    assertThat(client.get("/api/devices").status()).isEqualTo(200);
    RawApi.Exchange revoke =
        client.postJson("/api/devices/" + phone.getSerialNumber().toString(16) + "/revoke", "{}");
    assertThat(revoke.status()).isEqualTo(200);
    RawApi.Exchange after = client.get("/api/devices");
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.body()).contains("certificate_refused");
  }

  @Test
  void a_user_cannot_revoke_another_users_device() throws Exception {
    X509Certificate carols = pair("carol", PASSWORD, "carol@portal.localhost");
    X509Certificate daves = pair("dave", "dave's password", "dave@portal.localhost");
    RawApi.Exchange answer =
        as(carols)
            .postJson("/api/devices/" + daves.getSerialNumber().toString(16) + "/revoke", "{}");
    assertThat(answer.status()).isEqualTo(404);
    assertThat(PORTAL.portal().store().isRevoked(daves.getSerialNumber())).isFalse();
  }

  @Test
  void an_owner_without_a_phone_revokes_with_digest_credentials() throws Exception {
    X509Certificate lost = pair("dave", "dave's password", "dave@portal.localhost");
    RawApi.Exchange answer =
        RawApi.withDigest(PORTAL, "dave", "dave's password")
            .postJson("/api/devices/" + lost.getSerialNumber().toString(16) + "/revoke", "{}");
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(PORTAL.portal().store().isRevoked(lost.getSerialNumber())).isTrue();
  }

  @Test
  void a_certificate_of_another_ca_fails_the_handshake() {
    TestPki.Leaf rogue =
        TestPki.shared().issueRogueClient("carol@portal.localhost", Optional.empty());
    assertThatThrownBy(
            () ->
                RawApi.forcingCertificate(
                        PORTAL, rogue.keys().getPrivate(), List.of(rogue.certificate()))
                    .get("/api/devices"))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void a_gateway_certificate_cannot_manage_devices() throws Exception {
    X509Certificate gateway = pair("carol", PASSWORD, "ipgw@zz9plural0zz");
    assertThat(as(gateway).get("/api/devices").status()).isEqualTo(403);
  }

  @Test
  void bad_serials_are_400() throws Exception {
    X509Certificate cert = pair("carol", PASSWORD, "carol@portal.localhost");
    assertThat(as(cert).postJson("/api/devices/not-hex/revoke", "{}").status()).isEqualTo(400);
    assertThat(
            as(cert)
                .postJson("/api/devices/" + BigInteger.TWO.pow(200).toString(16) + "/revoke", "{}")
                .status())
        .isEqualTo(400);
  }

  @Test
  void the_ca_certificate_is_public() throws Exception {
    RawApi.Exchange answer = RawApi.anonymous(PORTAL).get("/api/ca.pem");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(Pem.parseCertificate(answer.body())).isEqualTo(PORTAL.portal().caCertificate());
  }
}
