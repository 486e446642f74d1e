package io.doorpair.welcome.http;

import static io.doorpair.welcome.http.MockPortal.APPROVED;
import static io.doorpair.welcome.http.MockPortal.DOMAIN;
import static io.doorpair.welcome.http.MockPortal.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.welcome.api.AccessStatus;
import io.doorpair.welcome.api.ChannelEntry;
import io.doorpair.welcome.api.ChannelPage;
import io.doorpair.welcome.api.ChannelRequest;
import io.doorpair.welcome.api.EventBatchResult;
import io.doorpair.welcome.api.PostedEvent;
import io.doorpair.welcome.api.RequestStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The gateway endpoints of docs/access-flow.md, on the wire. */
class GatewayEndpointsTest {
  private static final String REQUEST =
      "{\"request_id\":42,\"username\":\"alice\",\"friendly_name\":\"Alice's phone\","
          + "\"instance\":\"urn:uuid:0b6c0f54-5f1b-4d0e-9a4e-8e2f4c1f6a11\","
          + "\"gruu\":\"sip:alice@portal.test;gr=urn:uuid:0b6c0f54-5f1b-4d0e-9a4e-8e2f4c1f6a11\","
          + "\"certificate\":\"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n\","
          + "\"created_at\":\"2026-12-04T10:00:00Z\",\"status\":\"pending\"}";

  @RegisterExtension final MockPortal portal = new MockPortal();

  // --- channel ------------------------------------------------------------------------------

  @Test
  void channel_sends_cursor_wait_and_limit_and_reads_the_items() throws Exception {
    portal.enqueueJson(
        200,
        "{\"items\":[{\"seq\":8,\"type\":\"request\",\"request\":"
            + REQUEST
            + "},{\"seq\":9,\"type\":\"voided\",\"request\":"
            + REQUEST.replace("pending", "void")
            + "}],\"cursor\":9}");

    ChannelPage page = portal.gateway().channel(7, Optional.of(Duration.ofSeconds(30)), 100);

    assertThat(page.cursor()).isEqualTo(9);
    assertThat(page.items()).extracting(ChannelEntry::seq).containsExactly(8L, 9L);
    assertThat(page.items())
        .extracting(ChannelEntry::type)
        .containsExactly(ChannelEntry.Type.REQUEST, ChannelEntry.Type.VOIDED);
    ChannelRequest request = page.items().get(0).request();
    assertThat(request.requestId()).isEqualTo(42);
    assertThat(request.username()).isEqualTo("alice");
    assertThat(request.friendlyName()).isEqualTo("Alice's phone");
    assertThat(request.certificate()).startsWith("-----BEGIN CERTIFICATE-----\n");
    assertThat(request.createdAt()).isEqualTo(Instant.parse("2026-12-04T10:00:00Z"));
    assertThat(request.status()).isEqualTo(RequestStatus.PENDING);
    assertThat(page.items().get(1).request().status()).isEqualTo(RequestStatus.VOID);

    RecordedRequest sent = portal.take();
    assertThat(sent.getMethod()).isEqualTo("GET");
    assertThat(sent.getPath()).isEqualTo("/api/gateway/channel?cursor=7&wait=30&limit=100");
    assertThat(sent.getHandshake().peerCertificates())
        .containsExactly(MockPortal.GATEWAY.certificate());
  }

  @Test
  void channel_without_wait_and_nothing_new_keeps_the_cursor() throws Exception {
    portal.enqueueJson(200, "{\"items\":[],\"cursor\":0}");

    ChannelPage page = portal.gateway().channel(0, Optional.empty(), 1);

    assertThat(page.items()).isEmpty();
    assertThat(page.cursor()).isZero();
    assertThat(portal.take().getPath()).isEqualTo("/api/gateway/channel?cursor=0&limit=1");
  }

  @Test
  void an_item_type_of_a_newer_portal_reads_as_unknown_and_may_lack_a_request() {
    portal.enqueueJson(
        200, "{\"items\":[{\"seq\":1,\"type\":\"rekey\",\"hint\":true}],\"cursor\":1}");

    ChannelEntry item = portal.gateway().channel(0, Optional.empty(), 100).items().get(0);

    assertThat(item.type()).isEqualTo(ChannelEntry.Type.UNKNOWN);
    assertThat(item.requestIfAny()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        // an item at or before the cursor sent (5)
        "{\"items\":[{\"seq\":5,\"type\":\"rekey\"}],\"cursor\":5}",
        // items out of order
        "{\"items\":[{\"seq\":7,\"type\":\"rekey\"},{\"seq\":6,\"type\":\"rekey\"}],\"cursor\":7}",
        // a next cursor before the last item
        "{\"items\":[{\"seq\":6,\"type\":\"rekey\"}],\"cursor\":5}",
        // a next cursor behind the one sent
        "{\"items\":[],\"cursor\":4}",
        // a known type without its request
        "{\"items\":[{\"seq\":6,\"type\":\"request\"}],\"cursor\":6}",
        // a cursor as text
        "{\"items\":[],\"cursor\":\"5\"}",
        // no cursor
        "{\"items\":[]}",
      })
  void a_channel_page_that_could_corrupt_the_cursor_is_a_bad_response(String body) {
    portal.enqueueJson(200, body);

    assertThatThrownBy(() -> portal.gateway().channel(5, Optional.empty(), 100))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> assertThat(e.code()).isEqualTo(PortalException.BAD_RESPONSE));
  }

  @Test
  void bad_cursor_and_wrong_certificate_kind_carry_their_codes() {
    portal.enqueueError(400, "bad_cursor", "cursor beyond the channel's head");
    portal.enqueueError(403, "wrong_certificate_kind", "a gateway endpoint");

    assertThatThrownBy(() -> portal.gateway().channel(99, Optional.empty(), 100))
        .isInstanceOfSatisfying(
            PortalException.class, e -> assertThat(e.code()).isEqualTo("bad_cursor"));
    assertThatThrownBy(() -> portal.app().channel(0, Optional.empty(), 100))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.code()).isEqualTo("wrong_certificate_kind");
            });
  }

  @Test
  void a_negative_cursor_is_refused() {
    assertThatThrownBy(() -> portal.gateway().channel(-1, Optional.empty(), 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cursor must not be negative");
  }

  // --- approve / deny -----------------------------------------------------------------------

  @Test
  void approve_posts_the_account_as_json() throws Exception {
    portal.enqueueJson(200, APPROVED);

    AccessStatus status =
        portal.gateway().approve(42, "alice-7f3a", "QUJD", "sip:alice@portal.test;gr=urn:uuid:1");

    assertThat(status.status()).isEqualTo(RequestStatus.APPROVED);
    RecordedRequest sent = portal.take();
    assertThat(sent.getMethod()).isEqualTo("POST");
    assertThat(sent.getPath()).isEqualTo("/api/gateway/requests/42/approve");
    assertThat(sent.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(tree(sent.getBody().readUtf8()))
        .isEqualTo(
            tree(
                "{\"sip_username\":\"alice-7f3a\",\"encrypted_password\":\"QUJD\","
                    + "\"gruu\":\"sip:alice@portal.test;gr=urn:uuid:1\"}"));
  }

  @Test
  void deny_posts_an_empty_object() throws Exception {
    portal.enqueueJson(
        200,
        "{\"request_id\":42,\"domain\":\""
            + DOMAIN
            + "\",\"status\":\"denied\",\"gateway_uri\":\"sip:ipgw@"
            + DOMAIN
            + "\",\"sip_domain\":\"portal.test\"}");

    AccessStatus status = portal.gateway().deny(42);

    assertThat(status.status()).isEqualTo(RequestStatus.DENIED);
    RecordedRequest sent = portal.take();
    assertThat(sent.getPath()).isEqualTo("/api/gateway/requests/42/deny");
    assertThat(sent.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(sent.getBody().readUtf8()).isEqualTo("{}");
  }

  @Test
  void a_decision_answered_for_another_request_is_a_bad_response() {
    portal.enqueueJson(200, APPROVED.replace("\"request_id\":42", "\"request_id\":43"));

    assertThatThrownBy(() -> portal.gateway().approve(42, "a", "QUJD", "sip:x"))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> assertThat(e.code()).isEqualTo(PortalException.BAD_RESPONSE));
  }

  @ParameterizedTest(name = "{0} {1}")
  @org.junit.jupiter.params.provider.CsvSource({
    "409, not_pending",
    "400, bad_gruu",
    "400, bad_ciphertext",
    "400, bad_sip_username",
    "404, unknown_request",
    "403, not_your_request",
  })
  void decision_errors_carry_the_portals_codes(int status, String code) {
    portal.enqueueError(status, code, "refused");
    portal.enqueueError(status, code, "refused");

    assertThatThrownBy(() -> portal.gateway().approve(42, "a", "QUJD", "sip:x"))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.status()).isEqualTo(status);
              assertThat(e.code()).isEqualTo(code);
            });
    assertThatThrownBy(() -> portal.gateway().deny(42))
        .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(longs = {0, -42})
  void a_request_id_that_is_not_positive_is_refused(long id) {
    assertThatThrownBy(() -> portal.gateway().deny(id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("requestId must be positive");
    assertThat(portal.server.getRequestCount()).isZero();
  }

  // --- events -------------------------------------------------------------------------------

  @Test
  void post_events_sends_the_batch_with_raw_payloads() throws Exception {
    portal.enqueueJson(200, "{\"stored\":1,\"duplicates\":1}");
    List<PostedEvent> batch =
        List.of(
            new PostedEvent(
                "ev-1",
                "journal",
                Instant.parse("2026-12-04T10:00:00Z"),
                "{\"call\":\"missed\",\"n\":[1,2]}"),
            new PostedEvent(
                "ev:2", "topology", Instant.parse("2026-12-04T10:00:01.5Z"), "{ \"x\" : {} }"));

    EventBatchResult result = portal.gateway().postEvents(batch);

    assertThat(result).isEqualTo(new EventBatchResult(1, 1));
    RecordedRequest sent = portal.take();
    assertThat(sent.getMethod()).isEqualTo("POST");
    assertThat(sent.getPath()).isEqualTo("/api/gateway/events");
    assertThat(sent.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(sent.getBody().readUtf8())
        .isEqualTo(
            "{\"events\":["
                + "{\"id\":\"ev-1\",\"kind\":\"journal\",\"at\":\"2026-12-04T10:00:00Z\","
                + "\"payload\":{\"call\":\"missed\",\"n\":[1,2]}},"
                + "{\"id\":\"ev:2\",\"kind\":\"topology\",\"at\":\"2026-12-04T10:00:01.500Z\","
                + "\"payload\":{ \"x\" : {} }}]}");
  }

  @Test
  void a_batch_of_one_to_a_hundred_events_is_allowed() throws Exception {
    portal.enqueueJson(200, "{\"stored\":100,\"duplicates\":0}");
    PostedEvent event = new PostedEvent("e", "acl", Instant.EPOCH, "{}");
    List<PostedEvent> hundred = new ArrayList<>(Collections.nCopies(100, event));

    assertThat(portal.gateway().postEvents(hundred).stored()).isEqualTo(100);
    hundred.add(event);
    assertThatThrownBy(() -> portal.gateway().postEvents(hundred))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a batch holds 1 to 100 events");
    assertThatThrownBy(() -> portal.gateway().postEvents(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void an_event_the_portal_would_refuse_is_refused_before_sending() {
    String big = "{\"p\":\"" + "x".repeat(4096) + "\"}";

    assertThatThrownBy(
            () ->
                portal
                    .gateway()
                    .postEvents(List.of(new PostedEvent("e1", "journal", Instant.EPOCH, big))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("event e1: payload larger than 4096 bytes");
    assertThatThrownBy(
            () ->
                portal
                    .gateway()
                    .postEvents(List.of(new PostedEvent("a b", "journal", Instant.EPOCH, "{}"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(portal.server.getRequestCount()).isZero();
  }

  @Test
  void a_payload_that_is_not_one_object_cannot_be_built() {
    for (String payload : List.of("[]", "1", "{} {}", "{", "{\"a\":1,\"a\":2}", "")) {
      assertThatThrownBy(() -> new PostedEvent("e", "journal", Instant.EPOCH, payload))
          .as(payload)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("payload must be one JSON object");
    }
  }

  @Test
  void a_refused_batch_carries_the_portals_code() {
    portal.enqueueError(400, "bad_event", "event 2: unknown kind");

    assertThatThrownBy(
            () ->
                portal
                    .gateway()
                    .postEvents(List.of(new PostedEvent("e", "later", Instant.EPOCH, "{}"))))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo("bad_event");
              assertThat(e.getMessage()).isEqualTo("event 2: unknown kind");
            });
  }
}
