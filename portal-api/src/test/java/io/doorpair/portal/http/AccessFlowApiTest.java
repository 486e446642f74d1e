package io.doorpair.portal.http;

import static io.doorpair.portal.testing.RawApi.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.SipPasswordCipher;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.Actors.Device;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.portal.testing.RawApi;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The access flow over real HTTPS with real certificates (docs/access-flow.md): the happy path and
 * the authorization matrix, one cell per test.
 */
class AccessFlowApiTest {
  @RegisterExtension static final PortalExtension PORTAL = new PortalExtension();

  private static final String PASSWORD = "password of every test user";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A fresh portal user, so that tests never share state. */
  static String user() {
    return Actors.newUser(PORTAL, "user", PASSWORD);
  }

  static Device app(String user) {
    return Actors.app(PORTAL, user, PASSWORD);
  }

  static Device gateway(String owner) {
    return Actors.gateway(PORTAL, owner, PASSWORD);
  }

  static String domainOf(Device gateway) {
    return gateway.domain().orElseThrow();
  }

  static String error(RawApi.Exchange exchange) {
    return json(exchange).path("error").asText();
  }

  /** The portal answered {@code status} with the error code {@code code}. */
  static void assertError(RawApi.Exchange answer, int status, String code) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(error(answer)).isEqualTo(code);
  }

  static void invite(Device owner, String domain, String guest) {
    RawApi.Exchange answer = owner.on(PORTAL).put("/api/gateways/" + domain + "/guests/" + guest);
    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
  }

  static RawApi.Exchange approve(Device gateway, JsonNode request, Device app) throws Exception {
    String ciphertext =
        SipPasswordCipher.encrypt(
            SipPassword.generate(RANDOM), app.certificate().getPublicKey(), RANDOM);
    return approveWith(gateway, request, app, "app-1", ciphertext);
  }

  /** Approves {@code request} of {@code app} with this SIP account, at the app's GRUU. */
  static RawApi.Exchange approveWith(
      Device gateway, JsonNode request, Device app, String sipUsername, String ciphertext)
      throws Exception {
    long id = request.get("request_id").asLong();
    String gruu = app.gruu().orElseThrow();
    String body =
        Json.MAPPER.writeValueAsString(
            java.util.Map.of(
                "sip_username", sipUsername, "encrypted_password", ciphertext, "gruu", gruu));
    return gateway.on(PORTAL).postJson("/api/gateway/requests/" + id + "/approve", body);
  }

  static String eventBatch(String id) {
    return "{\"events\":[{\"id\":\""
        + id
        + "\",\"kind\":\"journal\",\"at\":\"2026-12-04T10:00:00Z\",\"payload\":{\"call\":\"missed\"}}]}";
  }

  // --- the happy path -------------------------------------------------------------------------

  @Test
  void an_owner_requests_the_gateway_approves_and_the_app_decrypts_its_password() throws Exception {
    String owner = user();
    Device gw = gateway(owner);
    Device phone = app(owner);
    String domain = domainOf(gw);

    RawApi.Exchange joinable = phone.on(PORTAL).get("/api/joinable_gateways");
    assertThat(joinable.status()).isEqualTo(200);
    assertThat(json(joinable).get(0).get("domain").asText()).isEqualTo(domain);
    assertThat(json(joinable).get(0).get("role").asText()).isEqualTo("owner");
    assertThat(json(joinable).get(0).get("friendly_name").asText())
        .isEqualTo("Gateway of " + owner);

    RawApi.Exchange created = phone.on(PORTAL).get("/api/create_sip_account/" + domain);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode request = json(created);
    assertThat(request.get("status").asText()).isEqualTo("pending");
    assertThat(request.get("domain").asText()).isEqualTo(domain);
    assertThat(request.get("gateway_uri").asText()).isEqualTo("sip:ipgw@" + domain);
    assertThat(request.get("sip_domain").asText()).isEqualTo("portal.localhost");
    assertThat(request.has("encrypted_password")).isFalse();

    RawApi.Exchange again = phone.on(PORTAL).get("/api/create_sip_account/" + domain);
    assertThat(again.status()).isEqualTo(200);
    assertThat(json(again).get("request_id")).isEqualTo(request.get("request_id"));

    RawApi.Exchange channel = gw.on(PORTAL).get("/api/gateway/channel?cursor=0");
    assertThat(channel.status()).isEqualTo(200);
    JsonNode item = json(channel).get("items").get(0);
    assertThat(json(channel).get("cursor").asLong()).isEqualTo(1);
    assertThat(item.get("seq").asLong()).isEqualTo(1);
    assertThat(item.get("type").asText()).isEqualTo("request");
    JsonNode pushed = item.get("request");
    assertThat(pushed.get("request_id")).isEqualTo(request.get("request_id"));
    assertThat(pushed.get("username").asText()).isEqualTo(owner);
    assertThat(pushed.get("friendly_name").asText()).isEqualTo("phone of " + owner);
    assertThat(pushed.get("instance").asText()).isEqualTo(phone.instance().orElseThrow());
    assertThat(pushed.get("gruu").asText()).isEqualTo(phone.gruu().orElseThrow());
    assertThat(Pem.parseCertificate(pushed.get("certificate").asText()))
        .isEqualTo(phone.certificate());
    assertThat(pushed.get("status").asText()).isEqualTo("pending");

    SipPassword password = SipPassword.generate(RANDOM);
    String ciphertext =
        SipPasswordCipher.encrypt(password, phone.certificate().getPublicKey(), RANDOM);
    RawApi.Exchange approved = approveWith(gw, request, phone, "alice-7f3a", ciphertext);
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    assertThat(json(approved).get("status").asText()).isEqualTo("approved");

    RawApi.Exchange account = phone.on(PORTAL).get("/api/get_approved_account/" + domain);
    assertThat(account.status()).isEqualTo(200);
    JsonNode status = json(account);
    assertThat(status.get("status").asText()).isEqualTo("approved");
    assertThat(status.get("sip_username").asText()).isEqualTo("alice-7f3a");
    assertThat(status.get("gruu").asText()).isEqualTo(phone.gruu().orElseThrow());
    assertThat(
            SipPasswordCipher.decrypt(
                    status.get("encrypted_password").asText(), phone.keys().getPrivate())
                .reveal())
        .isEqualTo(password.reveal());

    RawApi.Exchange afterApproval = phone.on(PORTAL).get("/api/create_sip_account/" + domain);
    assertThat(afterApproval.status()).isEqualTo(200);
    assertThat(json(afterApproval).get("status").asText()).isEqualTo("approved");

    RawApi.Exchange twice = approveWith(gw, request, phone, "alice-7f3a", ciphertext);
    assertError(twice, 409, "not_pending");
  }

  @Test
  void after_a_denial_asking_again_makes_a_new_request() {
    String owner = user();
    Device gw = gateway(owner);
    Device phone = app(owner);
    String domain = domainOf(gw);
    JsonNode first = json(phone.on(PORTAL).get("/api/create_sip_account/" + domain));

    RawApi.Exchange denied =
        gw.on(PORTAL)
            .postJson("/api/gateway/requests/" + first.get("request_id").asLong() + "/deny", "{}");
    assertThat(denied.status()).as(denied.body()).isEqualTo(200);
    assertThat(json(denied).get("status").asText()).isEqualTo("denied");
    assertThat(
            json(phone.on(PORTAL).get("/api/get_approved_account/" + domain))
                .get("status")
                .asText())
        .isEqualTo("denied");

    RawApi.Exchange second = phone.on(PORTAL).get("/api/create_sip_account/" + domain);
    assertThat(second.status()).isEqualTo(201);
    assertThat(json(second).get("request_id").asLong())
        .isGreaterThan(first.get("request_id").asLong());
    assertThat(json(gw.on(PORTAL).get("/api/gateway/channel?cursor=1")).get("items")).hasSize(1);
  }

  @Test
  void the_gateway_voids_an_approved_request_and_the_app_no_longer_gets_its_password()
      throws Exception {
    String owner = user();
    Device gw = gateway(owner);
    Device phone = app(owner);
    String domain = domainOf(gw);
    JsonNode request = json(phone.on(PORTAL).get("/api/create_sip_account/" + domain));
    long id = request.get("request_id").asLong();
    assertThat(approve(gw, request, phone).status()).isEqualTo(200);

    RawApi.Exchange voided = gw.on(PORTAL).postJson("/api/gateway/requests/" + id + "/void", "{}");

    assertThat(voided.status()).as(voided.body()).isEqualTo(200);
    assertThat(json(voided).get("status").asText()).isEqualTo("void");
    assertThat(json(voided).has("encrypted_password")).isFalse();
    JsonNode seen = json(phone.on(PORTAL).get("/api/get_approved_account/" + domain));
    assertThat(seen.get("status").asText()).isEqualTo("void");
    assertThat(seen.has("encrypted_password")).isFalse();
    assertThat(seen.has("sip_username")).isFalse();
    assertThat(seen.has("gruu")).isFalse();

    RawApi.Exchange again = gw.on(PORTAL).postJson("/api/gateway/requests/" + id + "/void", "{}");
    assertThat(again.status()).as("a retry after a lost answer").isEqualTo(200);
    assertThat(json(again).get("status").asText()).isEqualTo("void");
    assertError(approve(gw, request, phone), 409, "not_pending");

    RawApi.Exchange asked = phone.on(PORTAL).get("/api/create_sip_account/" + domain);
    assertThat(asked.status()).isEqualTo(201);
    assertThat(json(asked).get("request_id").asLong()).isGreaterThan(id);
    assertThat(json(gw.on(PORTAL).get("/api/gateway/channel?cursor=1")).get("items")).hasSize(1);
  }

  @Test
  void voiding_is_refused_for_a_denied_request_another_gateway_an_app_and_bad_bodies()
      throws Exception {
    String owner = user();
    Device gw = gateway(owner);
    Device other = gateway(owner);
    Device phone = app(owner);
    String domain = domainOf(gw);
    JsonNode request = json(phone.on(PORTAL).get("/api/create_sip_account/" + domain));
    long id = request.get("request_id").asLong();
    String path = "/api/gateway/requests/" + id + "/void";

    assertError(other.on(PORTAL).postJson(path, "{}"), 403, "not_your_request");
    assertError(phone.on(PORTAL).postJson(path, "{}"), 403, "wrong_certificate_kind");
    assertError(gw.on(PORTAL).postJson(path, "{\"reason\":1}"), 400, "bad_json");
    assertError(
        gw.on(PORTAL).postJson("/api/gateway/requests/999999999/void", "{}"),
        404,
        "unknown_request");
    assertError(RawApi.anonymous(PORTAL).postJson(path, "{}"), 401, "certificate_required");
    assertThat(PORTAL.portal().store().findRequest(id).orElseThrow().status().name())
        .isEqualTo("PENDING");

    assertThat(gw.on(PORTAL).postJson("/api/gateway/requests/" + id + "/deny", "{}").status())
        .isEqualTo(200);
    assertError(gw.on(PORTAL).postJson(path, "{}"), 409, "not_voidable");
    assertThat(
            json(phone.on(PORTAL).get("/api/get_approved_account/" + domain))
                .get("status")
                .asText())
        .isEqualTo("denied");
  }

  @Test
  void an_app_that_never_asked_gets_404_no_request() {
    String owner = user();
    Device gw = gateway(owner);
    RawApi.Exchange answer = app(owner).on(PORTAL).get("/api/get_approved_account/" + domainOf(gw));
    assertError(answer, 404, "no_request");
  }

  // --- app of user A against the gateway of owner B ---------------------------------------------

  @Test
  void a_gateway_of_another_owner_is_not_joinable() {
    String a = user();
    String b = user();
    gateway(b);
    Device phoneA = app(a);
    RawApi.Exchange answer = phoneA.on(PORTAL).get("/api/joinable_gateways");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(json(answer)).isEmpty();
  }

  @Test
  void asking_another_owners_gateway_for_an_account_is_403_and_stores_nothing() {
    String a = user();
    Device gwB = gateway(user());
    RawApi.Exchange answer = app(a).on(PORTAL).get("/api/create_sip_account/" + domainOf(gwB));
    assertError(answer, 403, "not_joinable");
    assertThat(PORTAL.portal().store().channelHead(domainOf(gwB))).isZero();
  }

  @Test
  void asking_another_owners_gateway_for_the_approved_account_is_403() {
    Device gwB = gateway(user());
    RawApi.Exchange answer =
        app(user()).on(PORTAL).get("/api/get_approved_account/" + domainOf(gwB));
    assertError(answer, 403, "not_joinable");
  }

  @Test
  void events_of_another_owners_gateway_are_invisible() {
    String a = user();
    Device phoneA = app(a);
    Device gwB = gateway(user());
    assertThat(gwB.on(PORTAL).postJson("/api/gateway/events", eventBatch("b-1")).status())
        .isEqualTo(200);
    RawApi.Exchange answer = phoneA.on(PORTAL).get("/api/events");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(json(answer).get("events")).isEmpty();
  }

  // --- a guest invited by B ---------------------------------------------------------------------

  @Test
  void a_guest_may_join_and_request_and_sees_events_only_after_approval() throws Exception {
    String b = user();
    String guest = user();
    Device gwB = gateway(b);
    Device ownersPhone = app(b);
    Device guestsPhone = app(guest);
    String domain = domainOf(gwB);
    gateway(guest); // the guest's own gateway is listed first
    invite(ownersPhone, domain, guest);

    JsonNode joinable = json(guestsPhone.on(PORTAL).get("/api/joinable_gateways"));
    assertThat(joinable).hasSize(2);
    assertThat(joinable.get(0).get("role").asText()).isEqualTo("owner");
    assertThat(joinable.get(1).get("domain").asText()).isEqualTo(domain);
    assertThat(joinable.get(1).get("role").asText()).isEqualTo("guest");

    assertThat(gwB.on(PORTAL).postJson("/api/gateway/events", eventBatch("e-1")).status())
        .isEqualTo(200);
    assertThat(json(guestsPhone.on(PORTAL).get("/api/events")).get("events")).isEmpty();

    RawApi.Exchange created = guestsPhone.on(PORTAL).get("/api/create_sip_account/" + domain);
    assertThat(created.status()).isEqualTo(201);
    assertThat(json(guestsPhone.on(PORTAL).get("/api/events")).get("events")).isEmpty();

    assertThat(approve(gwB, json(created), guestsPhone).status()).isEqualTo(200);
    JsonNode events = json(guestsPhone.on(PORTAL).get("/api/events")).get("events");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("id").asText()).isEqualTo("e-1");
    assertThat(events.get(0).get("domain").asText()).isEqualTo(domain);

    // Removed as a guest: no more events, not joinable, the approved account is refused.
    assertThat(
            ownersPhone.on(PORTAL).delete("/api/gateways/" + domain + "/guests/" + guest).status())
        .isEqualTo(204);
    assertThat(json(guestsPhone.on(PORTAL).get("/api/events")).get("events")).isEmpty();
    assertThat(json(guestsPhone.on(PORTAL).get("/api/joinable_gateways"))).hasSize(1);
    assertThat(guestsPhone.on(PORTAL).get("/api/get_approved_account/" + domain).status())
        .isEqualTo(403);
  }

  @Test
  void removing_a_guest_voids_their_pending_request_on_the_channel() {
    String b = user();
    String guest = user();
    Device gwB = gateway(b);
    Device ownersPhone = app(b);
    Device guestsPhone = app(guest);
    String domain = domainOf(gwB);
    invite(ownersPhone, domain, guest);
    JsonNode request = json(guestsPhone.on(PORTAL).get("/api/create_sip_account/" + domain));

    assertThat(
            ownersPhone.on(PORTAL).delete("/api/gateways/" + domain + "/guests/" + guest).status())
        .isEqualTo(204);

    JsonNode items = json(gwB.on(PORTAL).get("/api/gateway/channel?cursor=0")).get("items");
    assertThat(items).hasSize(2);
    assertThat(items.get(1).get("type").asText()).isEqualTo("voided");
    assertThat(items.get(1).get("request").get("request_id")).isEqualTo(request.get("request_id"));
    assertThat(items.get(1).get("request").get("status").asText()).isEqualTo("void");
    RawApi.Exchange approve =
        gwB.on(PORTAL)
            .postJson(
                "/api/gateway/requests/" + request.get("request_id").asLong() + "/deny", "{}");
    assertThat(approve.status()).isEqualTo(409);
  }

  @Test
  void only_the_owner_manages_guests() {
    String b = user();
    String other = user();
    Device gwB = gateway(b);
    Device ownersPhone = app(b);
    Device othersPhone = app(other);
    String domain = domainOf(gwB);
    String path = "/api/gateways/" + domain + "/guests";

    assertThat(othersPhone.on(PORTAL).get(path).status()).isEqualTo(403);
    assertThat(error(othersPhone.on(PORTAL).put(path + "/" + other))).isEqualTo("not_owner");
    assertThat(PORTAL.portal().store().listGuests(domain)).isEmpty();

    assertThat(ownersPhone.on(PORTAL).put(path + "/" + other).status()).isEqualTo(201);
    RawApi.Exchange twice = ownersPhone.on(PORTAL).put(path + "/" + other.toUpperCase());
    assertThat(twice.status()).isEqualTo(200);
    assertThat(json(twice).get("username").asText()).isEqualTo(other);
    JsonNode list = json(ownersPhone.on(PORTAL).get(path));
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("username").asText()).isEqualTo(other);
    assertThat(list.get(0).has("invited_at")).isTrue();

    // A guest cannot remove themselves or others: only the owner.
    assertThat(error(othersPhone.on(PORTAL).delete(path + "/" + other))).isEqualTo("not_owner");

    assertThat(error(ownersPhone.on(PORTAL).put(path + "/" + b)))
        .isEqualTo("owner_cannot_be_guest");
    assertThat(ownersPhone.on(PORTAL).put(path + "/nobody-here").status()).isEqualTo(404);
    assertThat(error(ownersPhone.on(PORTAL).put(path + "/nobody-here"))).isEqualTo("unknown_user");
    assertThat(error(ownersPhone.on(PORTAL).put(path + "/bad%20name"))).isEqualTo("bad_username");
    assertThat(error(ownersPhone.on(PORTAL).delete(path + "/nobody-here")))
        .isEqualTo("not_a_guest");
    assertThat(ownersPhone.on(PORTAL).delete(path + "/" + other).status()).isEqualTo(204);
    assertThat(ownersPhone.on(PORTAL).delete(path + "/" + other).status()).isEqualTo(404);
  }

  // --- the wrong kind of certificate, or none ---------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/joinable_gateways",
        "/api/create_sip_account/%s",
        "/api/get_approved_account/%s",
        "/api/events",
        "/api/gateways/%s/guests"
      })
  void a_gateway_certificate_on_an_app_endpoint_is_403(String path) {
    Device gw = gateway(user());
    RawApi.Exchange answer = gw.on(PORTAL).get(String.format(path, domainOf(gw)));
    assertError(answer, 403, "wrong_certificate_kind");
  }

  @Test
  void a_gateway_certificate_cannot_invite_or_remove_guests() {
    String owner = user();
    Device gw = gateway(owner);
    String path = "/api/gateways/" + domainOf(gw) + "/guests/" + user();
    assertThat(error(gw.on(PORTAL).put(path))).isEqualTo("wrong_certificate_kind");
    assertThat(error(gw.on(PORTAL).delete(path))).isEqualTo("wrong_certificate_kind");
  }

  @Test
  void an_app_certificate_on_a_gateway_endpoint_is_403() {
    String owner = user();
    Device gw = gateway(owner);
    Device phone = app(owner);
    long id =
        json(phone.on(PORTAL).get("/api/create_sip_account/" + domainOf(gw)))
            .get("request_id")
            .asLong();
    RawApi api = phone.on(PORTAL);
    for (RawApi.Exchange answer :
        List.of(
            api.get("/api/gateway/channel"),
            api.postJson("/api/gateway/requests/" + id + "/approve", "{}"),
            api.postJson("/api/gateway/requests/" + id + "/deny", "{}"),
            api.postJson("/api/gateway/events", eventBatch("x")))) {
      assertError(answer, 403, "wrong_certificate_kind");
    }
    assertThat(PORTAL.portal().store().findRequest(id).orElseThrow().status().name())
        .isEqualTo("PENDING");
    assertThat(PORTAL.portal().store().eventHead(domainOf(gw))).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/joinable_gateways",
        "/api/create_sip_account/abcdefghijkl",
        "/api/get_approved_account/abcdefghijkl",
        "/api/events",
        "/api/gateways/abcdefghijkl/guests",
        "/api/gateway/channel"
      })
  void no_certificate_is_401_certificate_required(String path) {
    RawApi.Exchange answer = RawApi.anonymous(PORTAL).get(path);
    assertError(answer, 401, "certificate_required");
  }

  @Test
  void a_gateway_cannot_decide_a_request_addressed_to_another_gateway() throws Exception {
    String owner = user();
    Device g1 = gateway(owner);
    Device g2 = gateway(owner);
    Device phone = app(owner);
    JsonNode request = json(phone.on(PORTAL).get("/api/create_sip_account/" + domainOf(g2)));
    long id = request.get("request_id").asLong();

    RawApi.Exchange approve = approve(g1, request, phone);
    assertError(approve, 403, "not_your_request");
    RawApi.Exchange deny = g1.on(PORTAL).postJson("/api/gateway/requests/" + id + "/deny", "{}");
    assertError(deny, 403, "not_your_request");
    assertThat(json(g1.on(PORTAL).get("/api/gateway/channel")).get("items")).isEmpty();
    assertThat(
            json(phone.on(PORTAL).get("/api/get_approved_account/" + domainOf(g2)))
                .get("status")
                .asText())
        .isEqualTo("pending");
  }

  @Test
  void a_certificate_of_another_ca_fails_the_handshake() {
    TestPki.Leaf rogue = TestPki.shared().issueRogueClient("ipgw@abcdefghijkl", Optional.empty());
    RawApi api =
        RawApi.forcingCertificate(PORTAL, rogue.keys().getPrivate(), List.of(rogue.certificate()));
    assertThatThrownBy(() -> api.get("/api/gateway/channel"))
        .isInstanceOf(UncheckedIOException.class);
    TestPki.Leaf rogueApp =
        TestPki.shared().issueRogueClient("someone@portal.localhost", Optional.empty());
    RawApi app =
        RawApi.forcingCertificate(
            PORTAL, rogueApp.keys().getPrivate(), List.of(rogueApp.certificate()));
    assertThatThrownBy(() -> app.get("/api/joinable_gateways"))
        .isInstanceOf(UncheckedIOException.class);
  }

  // --- revocation --------------------------------------------------------------------------------

  @Test
  void a_revoked_app_is_refused_everywhere_and_its_pending_request_is_voided() {
    String owner = user();
    Device gw = gateway(owner);
    Device phone = app(owner);
    Device stolen = app(owner);
    String domain = domainOf(gw);
    RawApi thief = stolen.on(PORTAL);
    JsonNode request = json(thief.get("/api/create_sip_account/" + domain));

    RawApi.Exchange revoke =
        phone.on(PORTAL).postJson("/api/devices/" + stolen.serialHex() + "/revoke", "{}");
    assertThat(revoke.status()).isEqualTo(200);

    // On its open connection (no new handshake) every endpoint answers 401.
    for (String path :
        List.of(
            "/api/joinable_gateways",
            "/api/create_sip_account/" + domain,
            "/api/get_approved_account/" + domain,
            "/api/events")) {
      RawApi.Exchange answer = thief.get(path);
      assertThat(answer.status()).as(path).isEqualTo(401);
      assertThat(error(answer)).isEqualTo("certificate_refused");
    }
    // A new connection fails the handshake.
    assertThatThrownBy(() -> stolen.on(PORTAL).get("/api/joinable_gateways"))
        .isInstanceOf(UncheckedIOException.class);

    JsonNode items = json(gw.on(PORTAL).get("/api/gateway/channel")).get("items");
    assertThat(items).hasSize(2);
    assertThat(items.get(1).get("type").asText()).isEqualTo("voided");
    assertThat(items.get(1).get("request").get("request_id")).isEqualTo(request.get("request_id"));
  }

  @Test
  void a_revoked_gateway_is_refused_on_its_endpoints() {
    String owner = user();
    Device gw = gateway(owner);
    RawApi open = gw.on(PORTAL);
    assertThat(open.get("/api/gateway/channel").status()).isEqualTo(200);
    assertThat(
            app(owner)
                .on(PORTAL)
                .postJson("/api/devices/" + gw.serialHex() + "/revoke", "{}")
                .status())
        .isEqualTo(200);
    RawApi.Exchange channel = open.get("/api/gateway/channel");
    assertError(channel, 401, "certificate_refused");
    assertThat(open.postJson("/api/gateway/events", eventBatch("late")).status()).isEqualTo(401);
    assertThat(PORTAL.portal().store().eventHead(domainOf(gw))).isZero();
  }

  @Test
  void deleting_a_user_voids_their_pending_requests() {
    String owner = user();
    String guest = user();
    Device gw = gateway(owner);
    Device guestsPhone = app(guest);
    invite(app(owner), domainOf(gw), guest);
    long id =
        json(guestsPhone.on(PORTAL).get("/api/create_sip_account/" + domainOf(gw)))
            .get("request_id")
            .asLong();
    PORTAL.deleteUser(guest);
    assertThat(PORTAL.portal().store().findRequest(id).orElseThrow().status().name())
        .isEqualTo("VOID");
    JsonNode items = json(gw.on(PORTAL).get("/api/gateway/channel")).get("items");
    assertThat(items.get(items.size() - 1).get("type").asText()).isEqualTo("voided");
  }
}
