package io.doorpair.portal.http;

import static io.doorpair.portal.testing.RawApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.SipPasswordCipher;
import io.doorpair.portal.store.AccessRequest;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.Actors.Device;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.portal.testing.RawApi;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile input on the access-flow endpoints: clear 4xx answers, and nothing stored. */
class AccessBadInputApiTest {
  @RegisterExtension static final PortalExtension PORTAL = new PortalExtension();

  private static final String PASSWORD = "owner's long password";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static Device gateway;
  private static Device phone;
  private static Device otherPhone;
  private static String domain;
  private static long requestId;
  private static String goodCiphertext;

  @BeforeAll
  static void pairAndAsk() {
    PORTAL.addUser("owner", PASSWORD);
    gateway = Actors.gateway(PORTAL, "owner", PASSWORD);
    phone = Actors.app(PORTAL, "owner", PASSWORD);
    otherPhone = Actors.app(PORTAL, "owner", PASSWORD);
    domain = gateway.domain().orElseThrow();
    RawApi.Exchange created = phone.on(PORTAL).get("/api/create_sip_account/" + domain);
    requestId = json(created).get("request_id").asLong();
    goodCiphertext =
        SipPasswordCipher.encrypt(
            SipPassword.generate(RANDOM), phone.certificate().getPublicKey(), RANDOM);
  }

  @AfterEach
  void the_request_is_still_pending_and_no_event_was_stored() {
    AccessRequest request = PORTAL.portal().store().findRequest(requestId).orElseThrow();
    assertThat(request.status()).isEqualTo(AccessRequest.Status.PENDING);
    assertThat(PORTAL.portal().store().eventHead(domain)).isZero();
    assertThat(PORTAL.portal().store().channelHead(domain)).isEqualTo(1);
  }

  static void assertError(RawApi.Exchange answer, int status, String code) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(json(answer).get("error").asText()).as(answer.body()).isEqualTo(code);
    assertThat(json(answer).get("message").asText()).isNotBlank();
  }

  static RawApi.Exchange approve(String body) {
    return gateway.on(PORTAL).postJson("/api/gateway/requests/" + requestId + "/approve", body);
  }

  static String approval(String sipUsername, String ciphertext, String gruu) throws Exception {
    return Json.MAPPER.writeValueAsString(
        Map.of("sip_username", sipUsername, "encrypted_password", ciphertext, "gruu", gruu));
  }

  // --- DOMAIN in the path ----------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "short",
        "ABCDEFGHIJKL",
        "abcdefghijk-",
        "abcdefghijklm",
        "abcdef%20ijkl",
        "abcdefghijk%C3%A9",
        "abcdefghijk%20",
        "abcdefghijk%2B"
      })
  void a_malformed_domain_in_a_path_is_400_bad_domain(String bad) {
    for (String path :
        new String[] {
          "/api/create_sip_account/", "/api/get_approved_account/", "/api/gateways/",
        }) {
      String url = path + bad + (path.equals("/api/gateways/") ? "/guests" : "");
      RawApi.Exchange answer = phone.on(PORTAL).get(url);
      assertError(answer, 400, "bad_domain");
    }
    assertError(
        phone.on(PORTAL).put("/api/gateways/" + bad + "/guests/someone"), 400, "bad_domain");
  }

  @ParameterizedTest
  @ValueSource(strings = {"%2e%2e", "abcdefghijk%00", "abc%2Fdefghijk", "%ZZ"})
  void hostile_path_encodings_get_a_json_4xx(String bad) {
    RawApi.Exchange answer = phone.on(PORTAL).get("/api/create_sip_account/" + bad);
    assertThat(answer.status()).as(answer.body()).isBetween(400, 499);
    assertThat(json(answer).get("error").asText()).isNotBlank();
  }

  @Test
  void an_unknown_domain_is_404_unknown_gateway() {
    assertError(
        phone.on(PORTAL).get("/api/create_sip_account/zzzzzzzzzzzz"), 404, "unknown_gateway");
    assertError(
        phone.on(PORTAL).get("/api/get_approved_account/zzzzzzzzzzzz"), 404, "unknown_gateway");
    assertError(
        phone.on(PORTAL).put("/api/gateways/zzzzzzzzzzzz/guests/owner"), 404, "unknown_gateway");
  }

  // --- approvals ---------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"999999", "0", "-1", "abc", "99999999999999999999", "1e3", "%20"})
  void an_unknown_request_id_is_404_unknown_request(String id) throws Exception {
    String body = approval("app", goodCiphertext, phone.gruu().orElseThrow());
    assertError(
        gateway.on(PORTAL).postJson("/api/gateway/requests/" + id + "/approve", body),
        404,
        "unknown_request");
    assertError(
        gateway.on(PORTAL).postJson("/api/gateway/requests/" + id + "/deny", "{}"),
        404,
        "unknown_request");
  }

  @Test
  void implausible_ciphertexts_are_400_bad_ciphertext() throws Exception {
    int size =
        (((RSAPublicKey) phone.certificate().getPublicKey()).getModulus().bitLength() + 7) / 8;
    byte[] allOnes = new byte[size];
    java.util.Arrays.fill(allOnes, (byte) 0xff);
    byte[] modulus =
        toFixed(
            ((RSAPublicKey) phone.certificate().getPublicKey()).getModulus().toByteArray(), size);
    String urlSafe =
        Base64.getUrlEncoder().encodeToString(goodCiphertext.getBytes(StandardCharsets.UTF_8));
    String forALargerKey = Base64.getEncoder().encodeToString(new byte[size + 128]);
    for (String bad :
        new String[] {
          "",
          "not base64 at all",
          goodCiphertext.substring(0, goodCiphertext.length() - 4),
          goodCiphertext + "AAAA",
          goodCiphertext.replace("=", ""),
          goodCiphertext.replace('+', '-').replace('/', '_'),
          " " + goodCiphertext,
          goodCiphertext.substring(0, 64) + "\n" + goodCiphertext.substring(64),
          Base64.getEncoder().encodeToString(allOnes),
          Base64.getEncoder().encodeToString(modulus),
          Base64.getEncoder().encodeToString(new byte[size - 1]),
          urlSafe,
          forALargerKey,
          "A".repeat(5000)
        }) {
      assertError(approve(approval("app", bad, phone.gruu().orElseThrow())), 400, "bad_ciphertext");
    }
  }

  private static byte[] toFixed(byte[] unsigned, int size) {
    byte[] out = new byte[size];
    System.arraycopy(
        unsigned,
        Math.max(0, unsigned.length - size),
        out,
        Math.max(0, size - unsigned.length),
        Math.min(size, unsigned.length));
    return out;
  }

  @Test
  void a_gruu_that_is_not_the_requesting_apps_is_400_bad_gruu() throws Exception {
    String gruu = phone.gruu().orElseThrow();
    for (String bad :
        new String[] {
          otherPhone.gruu().orElseThrow(),
          "sip:owner@portal.localhost;gr=urn:uuid:" + UUID.randomUUID(),
          gruu.toUpperCase(java.util.Locale.ROOT),
          gruu.replace("owner@", "other@"),
          gruu + " ",
          "sip:owner@portal.localhost",
          ""
        }) {
      assertError(approve(approval("app", goodCiphertext, bad)), 400, "bad_gruu");
    }
  }

  @Test
  void a_bad_sip_username_is_400() throws Exception {
    for (String bad : new String[] {"", "a b", "a@b", "x".repeat(65), "é", "a/b", "a:b"}) {
      assertError(
          approve(approval(bad, goodCiphertext, phone.gruu().orElseThrow())),
          400,
          "bad_sip_username");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "[]",
        "null",
        "{\"sip_username\":\"a\",\"encrypted_password\":\"b\"}",
        "{\"sip_username\":\"a\",\"encrypted_password\":\"b\",\"gruu\":\"c\",\"admin\":true}",
        "{\"sip_username\":1,\"encrypted_password\":\"b\",\"gruu\":\"c\"}",
        "{\"sip_username\":null,\"encrypted_password\":\"b\",\"gruu\":\"c\"}",
        "{\"sip_username\":\"a\",\"sip_username\":\"a\",\"encrypted_password\":\"b\",\"gruu\":\"c\"}",
        "{\"sip_username\":\"a\""
      })
  void malformed_approval_bodies_are_400_bad_json(String body) {
    assertError(approve(body), 400, "bad_json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[]", "{\"reason\":\"no\"}", "null", "{"})
  void a_denial_body_other_than_the_empty_object_is_400(String body) {
    assertError(
        gateway.on(PORTAL).postJson("/api/gateway/requests/" + requestId + "/deny", body),
        400,
        "bad_json");
  }

  @Test
  void a_body_that_is_not_json_is_415() {
    RawApi.Exchange answer =
        gateway.on(PORTAL).post("/api/gateway/requests/" + requestId + "/deny", "text/plain", "{}");
    assertError(answer, 415, "unsupported_media_type");
  }

  // --- events ------------------------------------------------------------------------------------

  static String event(String id, String kind, String at, String payload) {
    return "{\"id\":"
        + id
        + ",\"kind\":"
        + kind
        + ",\"at\":"
        + at
        + ",\"payload\":"
        + payload
        + "}";
  }

  static String good(int i) {
    return event("\"e" + i + "\"", "\"journal\"", "\"2026-12-04T10:00:00Z\"", "{\"n\":" + i + "}");
  }

  static RawApi.Exchange post(String body) {
    return gateway.on(PORTAL).postJson("/api/gateway/events", body);
  }

  static String batch(String... events) {
    return "{\"events\":[" + String.join(",", events) + "]}";
  }

  @Test
  void a_batch_of_more_than_100_events_is_400_and_stores_nothing() {
    String[] events = new String[101];
    for (int i = 0; i < events.length; i++) {
      events[i] = good(i);
    }
    assertError(post(batch(events)), 400, "bad_batch");
    assertError(post(batch()), 400, "bad_batch");
  }

  @Test
  void one_bad_event_refuses_the_whole_batch() {
    String ok = good(1);
    assertError(
        post(batch(ok, event("\"e2\"", "\"weather\"", "\"2026-12-04T10:00:00Z\"", "{}"))),
        400,
        "unknown_kind");
    assertError(
        post(batch(ok, event("\"e2\"", "\"JOURNAL\"", "\"2026-12-04T10:00:00Z\"", "{}"))),
        400,
        "unknown_kind");
    assertError(
        post(batch(ok, event("\"e 2\"", "\"journal\"", "\"2026-12-04T10:00:00Z\"", "{}"))),
        400,
        "bad_event_id");
    assertError(
        post(
            batch(
                ok,
                event("\"" + "i".repeat(65) + "\"", "\"acl\"", "\"2026-12-04T10:00:00Z\"", "{}"))),
        400,
        "bad_event_id");
    assertError(post(batch(ok, good(1))), 400, "duplicate_event_id");
    assertError(post(batch(ok, "null")), 400, "bad_event");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"yesterday\"",
        "\"2026-12-04\"",
        "\"2026-12-04 10:00:00Z\"",
        "\"2026-12-04T10:00:00\"",
        "\"2026-13-04T10:00:00Z\"",
        "\"2026-02-30T10:00:00Z\"",
        "\"+12026-12-04T10:00:00Z\"",
        "\"2026-12-04t10:00:00z\""
      })
  void a_time_that_is_not_rfc3339_is_400(String at) {
    assertError(post(batch(event("\"t\"", "\"topology\"", at, "{}"))), 400, "bad_time");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "\"text\"", "1", "true", "null"})
  void a_payload_that_is_not_an_object_is_400(String payload) {
    assertError(
        post(batch(event("\"p\"", "\"acl\"", "\"2026-12-04T10:00:00Z\"", payload))),
        400,
        "bad_payload");
  }

  @Test
  void an_oversized_payload_is_400_and_a_huge_body_413() {
    String big = "{\"text\":\"" + "x".repeat(4096) + "\"}";
    assertError(
        post(batch(event("\"big\"", "\"journal\"", "\"2026-12-04T10:00:00Z\"", big))),
        400,
        "payload_too_large");
    String huge =
        "{\"events\":[" + "{}".repeat(1) + "]," + "\"pad\":\"" + "y".repeat(1_100_000) + "\"}";
    RawApi.Exchange answer = post(huge);
    assertThat(answer.status()).isEqualTo(413);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"events\":null}",
        "{\"events\":{}}",
        "{\"events\":[],\"more\":1}",
        "{\"events\":[{\"id\":\"a\",\"kind\":\"acl\",\"at\":\"2026-12-04T10:00:00Z\"}]}",
        "{\"events\":[{\"id\":\"a\",\"kind\":\"acl\",\"at\":\"2026-12-04T10:00:00Z\",\"payload\":{},\"x\":1}]}",
        "{\"events\":[{\"id\":7,\"kind\":\"acl\",\"at\":\"2026-12-04T10:00:00Z\",\"payload\":{}}]}",
        "{\"events\":[{\"id\":\"a\",\"kind\":\"acl\",\"at\":\"2026-12-04T10:00:00Z\",\"payload\":{\"a\":1,\"a\":2}}]}",
        "{\"events\":[{\"id\":\"a\",\"kind\":\"acl\",\"at\":\"2026-12-04T10:00:00Z\",\"payload\":"
            + "{\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}}]}"
      })
  void malformed_batches_are_400_bad_json(String body) {
    assertError(post(body), 400, "bad_json");
  }

  // --- cursors, waits, limits --------------------------------------------------------------------

  @Test
  void a_channel_cursor_from_the_future_or_malformed_is_400_bad_cursor() {
    RawApi api = gateway.on(PORTAL);
    assertError(api.get("/api/gateway/channel?cursor=2"), 400, "bad_cursor");
    for (String bad : new String[] {"-1", "abc", "1.0", "", "99999999999999999999", "1&cursor=0"}) {
      assertError(api.get("/api/gateway/channel?cursor=" + bad), 400, "bad_cursor");
    }
    assertThat(api.get("/api/gateway/channel?cursor=1").status()).isEqualTo(200);
  }

  static String cursorOf(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void an_events_cursor_from_the_future_is_400_bad_cursor() {
    String future = cursorOf("{\"" + domain + "\":1}");
    assertError(phone.on(PORTAL).get("/api/events?cursor=" + future), 400, "bad_cursor");
    assertThat(
            phone
                .on(PORTAL)
                .get("/api/events?cursor=" + cursorOf("{\"" + domain + "\":0}"))
                .status())
        .isEqualTo(200);
  }

  @Test
  void malformed_events_cursors_are_400_bad_cursor() {
    String valid = cursorOf("{\"" + domain + "\":0}");
    for (String bad :
        new String[] {
          "",
          "!!!!",
          valid + "=",
          valid.substring(0, 4) + "/" + valid.substring(4),
          valid.substring(0, 4) + "+" + valid.substring(4),
          cursorOf("[]"),
          cursorOf("{\"" + domain + "\":-1}"),
          cursorOf("{\"" + domain + "\":1.5}"),
          cursorOf("{\"" + domain + "\":\"0\"}"),
          cursorOf("{\"" + domain + "\":null}"),
          cursorOf("{\"" + domain + "\":99999999999999999999999}"),
          cursorOf("{\"UPPERCASE123\":0}"),
          cursorOf("{\"" + domain + "\":0,\"" + domain + "\":0}"),
          cursorOf("{\"" + domain + "\":0} x"),
          cursorOf("not json"),
          "A".repeat(6201)
        }) {
      assertError(phone.on(PORTAL).get("/api/events?cursor=" + bad), 400, "bad_cursor");
    }
  }

  @Test
  void waits_and_limits_out_of_range_are_400() {
    RawApi api = phone.on(PORTAL);
    for (String wait : new String[] {"0", "61", "-5", "x", "1.5"}) {
      assertError(api.get("/api/events?wait=" + wait), 400, "bad_wait");
      assertError(gateway.on(PORTAL).get("/api/gateway/channel?wait=" + wait), 400, "bad_wait");
      assertError(
          api.get("/api/get_approved_account/" + domain + "?wait=" + wait), 400, "bad_wait");
    }
    for (String limit : new String[] {"0", "501", "x"}) {
      assertError(api.get("/api/events?limit=" + limit), 400, "bad_limit");
      assertError(gateway.on(PORTAL).get("/api/gateway/channel?limit=" + limit), 400, "bad_limit");
    }
  }
}
