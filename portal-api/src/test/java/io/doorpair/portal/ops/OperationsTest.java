package io.doorpair.portal.ops;

import static io.doorpair.portal.testing.RawApi.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.SipPasswordCipher;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.portal.http.Json;
import io.doorpair.portal.store.UserRecord;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.Actors.Device;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.portal.testing.RawApi;
import io.doorpair.sipedge.testing.Scrape;
import io.doorpair.sipedge.testing.SipTlsClient;
import io.doorpair.welcome.api.PairRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The portal's management listener over real HTTP, after real pairings, an access request and its
 * approval, and handshakes that fail on the API and SIP ports: the counters moved, and the log of
 * the whole flow holds no secret.
 */
class OperationsTest {
  @RegisterExtension static final PortalExtension PORTAL = new PortalExtension().withManagement();

  private static final String PASSWORD = "the password of an operations test user";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PAIRINGS = "doorpair_portal_pairings_total";
  private static final String HANDSHAKES = "doorpair_portal_tls_handshake_failures_total";

  private static String management() {
    return PORTAL.portal().managementHostPort().orElseThrow();
  }

  private static double value(String name, String... labels) {
    return Scrape.value(management(), name, labels);
  }

  /** Waits (generously) until the sample reaches {@code expected}; returns the last value. */
  private static double awaitValue(double expected, String name, String... labels)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    double seen = value(name, labels);
    while (seen < expected && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
      seen = value(name, labels);
    }
    return seen;
  }

  @Test
  void metrics_are_prometheus_text_with_every_counter_at_zero_or_more() {
    Scrape.Answer answer = Scrape.get(management(), "/metrics");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("text/plain").contains("version=0.0.4");
    assertThat(answer.body())
        .contains("# TYPE doorpair_portal_pairings_total counter")
        .contains("# HELP doorpair_portal_access_requests_total")
        .contains("doorpair_portal_sip_registrations")
        // the in-process SIP server's meters are those of a separate portal-sip node, on the same
        // registry and scrape
        .contains("doorpair_portal_sip_register_outcomes_total{outcome=\"identity_mismatch\"}")
        .contains("doorpair_portal_sip_identity_mismatches_total")
        .contains("doorpair_portal_sip_calls_started_total")
        .contains("doorpair_portal_sip_crl_age_seconds")
        .contains("jvm_memory_used_bytes");
    for (String listener : List.of("api", "sip")) {
      for (String reason :
          List.of("no_certificate", "unknown_ca", "revoked", "expired", "timeout", "other")) {
        assertThat(
                Scrape.value(
                    answer.body(), HANDSHAKES, Map.of("listener", listener, "reason", reason)))
            .as(listener + " " + reason)
            .isGreaterThanOrEqualTo(0);
      }
    }
    assertThat(answer.body().split("# TYPE jvm_memory_used_bytes ", -1))
        .as("one registry")
        .hasSize(2);
  }

  @Test
  void health_is_up_on_both_listeners() {
    Scrape.Answer management = Scrape.get(management(), "/health");
    assertThat(management.status()).isEqualTo(200);
    assertThat(management.body())
        .isEqualTo(
            "{\"status\":\"up\",\"checks\":{\"store\":\"up\",\"ca\":\"up\",\"crl\":\"up\"}}");
    RawApi.Exchange api = RawApi.anonymous(PORTAL).get("/api/health");
    assertThat(api.status()).isEqualTo(200);
    assertThat(api.body()).isEqualTo(management.body());
  }

  @Test
  void counters_move_through_pairing_approval_revocation_and_refused_handshakes() throws Exception {
    double appsPaired = value(PAIRINGS, "kind", "app", "outcome", "success");
    double gatewaysPaired = value(PAIRINGS, "kind", "gateway", "outcome", "success");
    double appsRefused = value(PAIRINGS, "kind", "app", "outcome", "failure");
    double requests = value("doorpair_portal_access_requests_total");
    double approved = value("doorpair_portal_access_decisions_total", "decision", "approved");
    double denied = value("doorpair_portal_access_decisions_total", "decision", "denied");
    double revocations = value("doorpair_portal_revocations_total");
    double crls = value("doorpair_portal_crl_published_total");
    double apiRevoked = value(HANDSHAKES, "listener", "api", "reason", "revoked");
    double apiUnknown = value(HANDSHAKES, "listener", "api", "reason", "unknown_ca");
    double sipNoCertificate = value(HANDSHAKES, "listener", "sip", "reason", "no_certificate");

    List<String> secrets = new ArrayList<>(List.of(PASSWORD, "PRIVATE KEY"));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      String owner = Actors.newUser(PORTAL, "ops", PASSWORD);
      UserRecord record = PORTAL.portal().store().findUser(owner).orElseThrow();
      secrets.add(record.ha1Sha256());
      secrets.add(record.ha1Md5());
      Device gateway = Actors.gateway(PORTAL, owner, PASSWORD);
      Device phone = Actors.app(PORTAL, owner, PASSWORD);
      Device tablet = Actors.app(PORTAL, owner, PASSWORD);
      String domain = gateway.domain().orElseThrow();

      // a CSR for another user's CN: refused, counted as a failed app pairing
      String foreign =
          CertificateRequest.create(TestPki.nextKey(), "mallory@portal.localhost", Optional.empty())
              .pem();
      RawApi.Exchange refused =
          RawApi.withDigest(PORTAL, owner, PASSWORD)
              .postJson(
                  "/api/pair",
                  Json.MAPPER.writeValueAsString(new PairRequest(foreign, "not mine")));
      assertThat(refused.status()).isEqualTo(403);

      // the phone asks, the gateway approves with an encrypted password; the tablet is denied
      assertThat(phone.on(PORTAL).get("/api/create_sip_account/" + domain).status()).isEqualTo(201);
      assertThat(tablet.on(PORTAL).get("/api/create_sip_account/" + domain).status())
          .isEqualTo(201);
      JsonNode items = json(gateway.on(PORTAL).get("/api/gateway/channel?cursor=0")).get("items");
      assertThat(items).hasSize(2);
      SipPassword password = SipPassword.generate(RANDOM);
      String ciphertext =
          SipPasswordCipher.encrypt(password, phone.certificate().getPublicKey(), RANDOM);
      secrets.add(password.reveal());
      secrets.add(ciphertext);
      for (JsonNode item : items) {
        JsonNode request = item.get("request");
        long id = request.get("request_id").asLong();
        if (request.get("gruu").asText().equals(phone.gruu().orElseThrow())) {
          String body =
              Json.MAPPER.writeValueAsString(
                  Map.of(
                      "sip_username",
                      "ops-phone",
                      "encrypted_password",
                      ciphertext,
                      "gruu",
                      phone.gruu().orElseThrow()));
          assertThat(
                  gateway
                      .on(PORTAL)
                      .postJson("/api/gateway/requests/" + id + "/approve", body)
                      .status())
              .isEqualTo(200);
        } else {
          assertThat(
                  gateway
                      .on(PORTAL)
                      .postJson("/api/gateway/requests/" + id + "/deny", "{}")
                      .status())
              .isEqualTo(200);
        }
      }
      assertThat(
              json(phone.on(PORTAL).get("/api/get_approved_account/" + domain))
                  .get("encrypted_password")
                  .asText())
          .isEqualTo(ciphertext);

      // the owner revokes the tablet: a new CRL; the tablet's next handshake fails as revoked
      assertThat(
              phone
                  .on(PORTAL)
                  .postJson("/api/devices/" + tablet.serialHex() + "/revoke", "{}")
                  .status())
          .isEqualTo(200);
      assertThatThrownBy(() -> tablet.on(PORTAL).get("/api/joinable_gateways"))
          .isInstanceOf(UncheckedIOException.class);
      // a certificate of another CA fails as unknown_ca
      TestPki.Leaf rogue =
          TestPki.shared().issueRogueClient(owner + "@portal.localhost", Optional.empty());
      assertThatThrownBy(
              () ->
                  RawApi.forcingCertificate(
                          PORTAL, rogue.keys().getPrivate(), List.of(rogue.certificate()))
                      .get("/api/joinable_gateways"))
          .isInstanceOf(UncheckedIOException.class);
      // SIP over TLS without a client certificate
      assertThatThrownBy(
              () -> {
                try (SipTlsClient client =
                    SipTlsClient.connect(
                        PORTAL.portal().sipAddress(),
                        Optional.empty(),
                        PORTAL.portal().caCertificate())) {
                  client.send(
                      SipTlsClient.request(
                          "OPTIONS",
                          "sip:portal.localhost",
                          "<sip:" + owner + "@portal.localhost>",
                          "<sip:portal.localhost>"));
                }
              })
          .isInstanceOf(IOException.class);
    } finally {
      System.setErr(stderr);
    }

    assertThat(value(PAIRINGS, "kind", "app", "outcome", "success")).isEqualTo(appsPaired + 2);
    assertThat(value(PAIRINGS, "kind", "gateway", "outcome", "success"))
        .isEqualTo(gatewaysPaired + 1);
    assertThat(value(PAIRINGS, "kind", "app", "outcome", "failure")).isEqualTo(appsRefused + 1);
    assertThat(value("doorpair_portal_access_requests_total")).isEqualTo(requests + 2);
    assertThat(value("doorpair_portal_access_decisions_total", "decision", "approved"))
        .isEqualTo(approved + 1);
    assertThat(value("doorpair_portal_access_decisions_total", "decision", "denied"))
        .isEqualTo(denied + 1);
    assertThat(value("doorpair_portal_revocations_total")).isEqualTo(revocations + 1);
    assertThat(value("doorpair_portal_crl_published_total")).isGreaterThanOrEqualTo(crls + 1);
    assertThat(awaitValue(apiRevoked + 1, HANDSHAKES, "listener", "api", "reason", "revoked"))
        .isEqualTo(apiRevoked + 1);
    assertThat(awaitValue(apiUnknown + 1, HANDSHAKES, "listener", "api", "reason", "unknown_ca"))
        .isEqualTo(apiUnknown + 1);
    assertThat(
            awaitValue(
                sipNoCertificate + 1, HANDSHAKES, "listener", "sip", "reason", "no_certificate"))
        .isEqualTo(sipNoCertificate + 1);

    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged).contains("paired app user=").contains("approved by domain=");
    assertThat(secrets).allSatisfy(secret -> assertThat(logged).doesNotContain(secret));
  }
}
