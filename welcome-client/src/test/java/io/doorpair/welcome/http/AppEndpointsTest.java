package io.doorpair.welcome.http;

import static io.doorpair.welcome.http.MockPortal.APPROVED;
import static io.doorpair.welcome.http.MockPortal.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.welcome.api.AccessStatus;
import io.doorpair.welcome.api.DeliveredEvent;
import io.doorpair.welcome.api.EventPage;
import io.doorpair.welcome.api.GatewayRole;
import io.doorpair.welcome.api.GuestInfo;
import io.doorpair.welcome.api.JoinableGateway;
import io.doorpair.welcome.api.RequestStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The app endpoints of docs/access-flow.md, on the wire: paths, queries, answers, errors. */
class AppEndpointsTest {
  private static final String PENDING =
      "{\"request_id\":42,\"domain\":\""
          + DOMAIN
          + "\",\"status\":\"pending\",\"gateway_uri\":\"sip:ipgw@"
          + DOMAIN
          + "\",\"sip_domain\":\"portal.test\"}";

  @RegisterExtension final MockPortal portal = new MockPortal();

  // --- joinable gateways --------------------------------------------------------------------

  @Test
  void joinable_gateways_lists_domains_names_and_roles() throws Exception {
    portal.enqueueJson(
        200,
        "[{\"domain\":\""
            + DOMAIN
            + "\",\"friendly_name\":\"Location: Loft\",\"role\":\"owner\"},"
            + "{\"domain\":\"zzzzzzzzzzzz\",\"friendly_name\":\"Bob's door\",\"role\":\"guest\"}]");

    List<JoinableGateway> gateways = portal.app().joinableGateways();

    assertThat(gateways)
        .containsExactly(
            new JoinableGateway(DOMAIN, "Location: Loft", GatewayRole.OWNER),
            new JoinableGateway("zzzzzzzzzzzz", "Bob's door", GatewayRole.GUEST));
    RecordedRequest request = portal.take();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getPath()).isEqualTo("/api/joinable_gateways");
    assertThat(request.getHandshake().peerCertificates())
        .containsExactly(MockPortal.APP.certificate());
  }

  @Test
  void joinable_gateways_may_be_empty() {
    portal.enqueueJson(200, "[]");

    assertThat(portal.app().joinableGateways()).isEmpty();
  }

  @Test
  void fields_and_roles_of_a_newer_portal_are_tolerated() {
    portal.enqueueJson(
        200,
        "[{\"domain\":\""
            + DOMAIN
            + "\",\"friendly_name\":\"Loft\",\"role\":\"installer\",\"colour\":\"red\"}]");

    assertThat(portal.app().joinableGateways())
        .containsExactly(new JoinableGateway(DOMAIN, "Loft", GatewayRole.UNKNOWN));
  }

  @Test
  void a_role_given_as_a_number_is_a_bad_response() {
    portal.enqueueJson(
        200, "[{\"domain\":\"" + DOMAIN + "\",\"friendly_name\":\"Loft\",\"role\":1}]");

    assertThatThrownBy(() -> portal.app().joinableGateways())
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> assertThat(e.code()).isEqualTo(PortalException.BAD_RESPONSE));
  }

  @Test
  void a_missing_required_field_is_a_bad_response() {
    portal.enqueueJson(200, "[{\"domain\":\"" + DOMAIN + "\",\"role\":\"owner\"}]");

    assertThatThrownBy(() -> portal.app().joinableGateways())
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.code()).isEqualTo(PortalException.BAD_RESPONSE);
              assertThat(e.status()).isEqualTo(200);
              assertThat(e.getMessage()).contains("friendly_name");
            });
  }

  // --- create_sip_account / get_approved_account --------------------------------------------

  @ParameterizedTest(name = "status {0}")
  @ValueSource(ints = {200, 201})
  void create_sip_account_returns_the_status_object(int status) throws Exception {
    portal.enqueueJson(status, PENDING);

    AccessStatus answer = portal.app().createSipAccount(DOMAIN);

    assertThat(answer)
        .isEqualTo(
            AccessStatus.undecided(
                42, DOMAIN, RequestStatus.PENDING, "sip:ipgw@" + DOMAIN, "portal.test"));
    assertThat(answer.account()).isEmpty();
    RecordedRequest request = portal.take();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getPath()).isEqualTo("/api/create_sip_account/" + DOMAIN);
  }

  @Test
  void not_joinable_carries_the_portals_code_and_message() {
    portal.enqueueError(403, "not_joinable", "the gateway is not joinable for alice");

    assertThatThrownBy(() -> portal.app().createSipAccount(DOMAIN))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.code()).isEqualTo("not_joinable");
              assertThat(e.getMessage()).isEqualTo("the gateway is not joinable for alice");
            });
  }

  @Test
  void an_answer_about_another_gateway_is_a_bad_response() {
    portal.enqueueJson(200, PENDING.replace("\"domain\":\"" + DOMAIN, "\"domain\":\"aaaaaaaaaaaa"));

    assertThatThrownBy(() -> portal.app().createSipAccount(DOMAIN))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> assertThat(e.code()).isEqualTo(PortalException.BAD_RESPONSE));
  }

  @Test
  void approved_account_without_wait_sends_no_query() throws Exception {
    portal.enqueueJson(200, APPROVED);

    AccessStatus answer = portal.app().approvedAccount(DOMAIN, Optional.empty());

    assertThat(answer.status()).isEqualTo(RequestStatus.APPROVED);
    assertThat(answer.account())
        .contains(
            new AccessStatus.Account("alice-7f3a", "QUJD", "sip:alice@portal.test;gr=urn:uuid:1"));
    assertThat(portal.take().getPath()).isEqualTo("/api/get_approved_account/" + DOMAIN);
  }

  @Test
  void approved_account_sends_the_wait_in_whole_seconds_rounded_up() throws Exception {
    portal.enqueueJson(200, PENDING);
    portal.enqueueJson(200, PENDING);

    portal.app().approvedAccount(DOMAIN, Optional.of(Duration.ofSeconds(60)));
    portal.app().approvedAccount(DOMAIN, Optional.of(Duration.ofMillis(1200)));

    assertThat(portal.take().getPath())
        .isEqualTo("/api/get_approved_account/" + DOMAIN + "?wait=60");
    assertThat(portal.take().getPath())
        .isEqualTo("/api/get_approved_account/" + DOMAIN + "?wait=2");
  }

  @ParameterizedTest(name = "{0} ms")
  @ValueSource(longs = {0, -1000, 60_001, 61_000, 3_600_000})
  void a_wait_out_of_range_is_refused_before_any_request(long millis) {
    assertThatThrownBy(
            () -> portal.app().approvedAccount(DOMAIN, Optional.of(Duration.ofMillis(millis))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("wait must be between 1 and 60 seconds");
    assertThat(portal.server.getRequestCount()).isZero();
  }

  @Test
  void no_request_is_a_404_with_its_code() {
    portal.enqueueError(404, "no_request", "this device never asked");

    assertThatThrownBy(() -> portal.app().approvedAccount(DOMAIN, Optional.empty()))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.code()).isEqualTo("no_request");
            });
  }

  @Test
  void an_approved_status_without_its_password_is_a_bad_response() {
    portal.enqueueJson(200, APPROVED.replace("\"encrypted_password\":\"QUJD\",", ""));

    assertThatThrownBy(() -> portal.app().approvedAccount(DOMAIN, Optional.empty()))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> assertThat(e.code()).isEqualTo(PortalException.BAD_RESPONSE));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {"", "short", "K3X9ABCD1234", "k3x9abcd123/", "../../api/x", "k3x9abcd12345"})
  void a_malformed_domain_never_reaches_the_network(String domain) {
    PortalClient app = portal.app();

    assertThatThrownBy(() -> app.createSipAccount(domain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("domain must be 12 characters of [a-z0-9]");
    assertThatThrownBy(() -> app.approvedAccount(domain, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> app.guests(domain)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> app.inviteGuest(domain, "bob"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(portal.server.getRequestCount()).isZero();
  }

  @Test
  void app_calls_need_a_certificate() {
    PortalClient anonymous = portal.anonymous(Duration.ofSeconds(5));

    assertThatThrownBy(anonymous::joinableGateways).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> anonymous.createSipAccount(DOMAIN))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> anonymous.events(Optional.empty(), Optional.empty(), 100))
        .isInstanceOf(IllegalStateException.class);
    assertThat(portal.server.getRequestCount()).isZero();
  }

  // --- events -------------------------------------------------------------------------------

  @Test
  void events_from_the_beginning_send_only_the_limit() throws Exception {
    portal.enqueueJson(
        200,
        "{\"events\":[{\"domain\":\""
            + DOMAIN
            + "\",\"seq\":1,\"id\":\"ev-1\",\"kind\":\"journal\",\"at\":\"2026-12-04T10:00:00Z\","
            + "\"payload\":{\"call\":\"missed\",\"door\":{\"name\":\"Front\"}}}],"
            + "\"cursor\":\"eyJrM3g5YWJjZDEyMzQiOjF9\"}");

    EventPage page = portal.app().events(Optional.empty(), Optional.empty(), 100);

    assertThat(page.cursor()).isEqualTo("eyJrM3g5YWJjZDEyMzQiOjF9");
    assertThat(page.events())
        .containsExactly(
            new DeliveredEvent(
                DOMAIN,
                1,
                "ev-1",
                "journal",
                Instant.parse("2026-12-04T10:00:00Z"),
                "{\"call\":\"missed\",\"door\":{\"name\":\"Front\"}}"));
    assertThat(portal.take().getPath()).isEqualTo("/api/events?limit=100");
  }

  @Test
  void events_send_cursor_wait_and_limit() throws Exception {
    portal.enqueueJson(200, "{\"events\":[],\"cursor\":\"e30\"}");

    EventPage page =
        portal.app().events(Optional.of("e30"), Optional.of(Duration.ofSeconds(25)), 500);

    assertThat(page.events()).isEmpty();
    assertThat(portal.take().getPath()).isEqualTo("/api/events?cursor=e30&wait=25&limit=500");
  }

  @Test
  void an_event_time_with_an_offset_is_read_as_the_same_instant() {
    portal.enqueueJson(
        200,
        "{\"events\":[{\"domain\":\""
            + DOMAIN
            + "\",\"seq\":3,\"id\":\"x\",\"kind\":\"acl\",\"at\":\"2026-12-04T11:00:00+01:00\","
            + "\"payload\":{}}],\"cursor\":\"e30\"}");

    DeliveredEvent event =
        portal.app().events(Optional.empty(), Optional.empty(), 1).events().get(0);

    assertThat(event.at()).isEqualTo(Instant.parse("2026-12-04T10:00:00Z"));
    assertThat(event.payload()).isEqualTo("{}");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "\"payload\":[1,2]",
        "\"payload\":\"text\"",
        "\"payload\":null",
        "\"payload\":{\"a\":1,\"a\":2}",
      })
  void an_event_payload_that_is_not_one_object_is_a_bad_response(String payload) {
    portal.enqueueJson(
        200,
        "{\"events\":[{\"domain\":\""
            + DOMAIN
            + "\",\"seq\":3,\"id\":\"x\",\"kind\":\"acl\",\"at\":\"2026-12-04T10:00:00Z\","
            + payload
            + "}],\"cursor\":\"e30\"}");

    assertThatThrownBy(() -> portal.app().events(Optional.empty(), Optional.empty(), 1))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> assertThat(e.code()).isEqualTo(PortalException.BAD_RESPONSE));
  }

  @Test
  void bad_cursor_carries_the_portals_code() {
    portal.enqueueError(400, "bad_cursor", "the cursor names a seq from the future");

    assertThatThrownBy(() -> portal.app().events(Optional.of("e30"), Optional.empty(), 100))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo("bad_cursor");
            });
  }

  @ParameterizedTest(name = "limit {0}")
  @ValueSource(ints = {0, -1, 501})
  void a_limit_out_of_range_is_refused(int limit) {
    assertThatThrownBy(() -> portal.app().events(Optional.empty(), Optional.empty(), limit))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be between 1 and 500");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "a b", "a&wait=1", "e30=", "ab/cd"})
  void a_cursor_that_is_not_base64url_is_refused(String cursor) {
    assertThatThrownBy(() -> portal.app().events(Optional.of(cursor), Optional.empty(), 100))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(portal.server.getRequestCount()).isZero();
  }

  // --- guests -------------------------------------------------------------------------------

  @Test
  void guests_are_listed_with_their_invitation_time() throws Exception {
    portal.enqueueJson(200, "[{\"username\":\"bob\",\"invited_at\":\"2026-12-04T10:00:00Z\"}]");

    List<GuestInfo> guests = portal.app().guests(DOMAIN);

    assertThat(guests).containsExactly(new GuestInfo("bob", Instant.parse("2026-12-04T10:00:00Z")));
    RecordedRequest request = portal.take();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getPath()).isEqualTo("/api/gateways/" + DOMAIN + "/guests");
  }

  @Test
  void invite_puts_the_lowercased_user_and_tells_new_from_existing() throws Exception {
    portal.enqueue(new MockResponse().setResponseCode(201).setBody("{\"username\":\"bob\"}"));
    portal.enqueue(new MockResponse().setResponseCode(200).setBody("{\"username\":\"bob\"}"));

    assertThat(portal.app().inviteGuest(DOMAIN, "Bob")).isTrue();
    assertThat(portal.app().inviteGuest(DOMAIN, "bob")).isFalse();

    RecordedRequest first = portal.take();
    assertThat(first.getMethod()).isEqualTo("PUT");
    assertThat(first.getPath()).isEqualTo("/api/gateways/" + DOMAIN + "/guests/bob");
    assertThat(first.getBodySize()).isZero();
    assertThat(portal.take().getPath()).isEqualTo("/api/gateways/" + DOMAIN + "/guests/bob");
  }

  @Test
  void remove_deletes_the_guest() throws Exception {
    portal.enqueue(new MockResponse().setResponseCode(204));

    portal.app().removeGuest(DOMAIN, "bob");

    RecordedRequest request = portal.take();
    assertThat(request.getMethod()).isEqualTo("DELETE");
    assertThat(request.getPath()).isEqualTo("/api/gateways/" + DOMAIN + "/guests/bob");
  }

  @Test
  void guest_errors_carry_the_portals_codes() {
    portal.enqueueError(403, "not_owner", "only the owner manages guests");
    portal.enqueueError(404, "unknown_user", "no such user");
    portal.enqueueError(404, "not_a_guest", "bob is not a guest");

    PortalClient app = portal.app();
    assertThatThrownBy(() -> app.guests(DOMAIN))
        .isInstanceOfSatisfying(
            PortalException.class, e -> assertThat(e.code()).isEqualTo("not_owner"));
    assertThatThrownBy(() -> app.inviteGuest(DOMAIN, "zed"))
        .isInstanceOfSatisfying(
            PortalException.class, e -> assertThat(e.code()).isEqualTo("unknown_user"));
    assertThatThrownBy(() -> app.removeGuest(DOMAIN, "bob"))
        .isInstanceOfSatisfying(
            PortalException.class, e -> assertThat(e.code()).isEqualTo("not_a_guest"));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "bob/x", "-bob", "bob smith", "..", "bob?x=1"})
  void a_malformed_guest_name_never_reaches_the_network(String username) {
    assertThatThrownBy(() -> portal.app().inviteGuest(DOMAIN, username))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> portal.app().removeGuest(DOMAIN, username))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(portal.server.getRequestCount()).isZero();
  }
}
