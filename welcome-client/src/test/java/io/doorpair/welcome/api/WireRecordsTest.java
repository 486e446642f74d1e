package io.doorpair.welcome.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The access-flow records with a plain {@link ObjectMapper} (no JSR-310 module, as the portal's own
 * mapper may be): instants and raw payloads are declared on the records themselves.
 */
class WireRecordsTest {
  private static final ObjectMapper PLAIN =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @Test
  void an_undecided_status_is_written_without_account_fields() throws Exception {
    AccessStatus status =
        AccessStatus.undecided(
            7, "k3x9abcd1234", RequestStatus.VOID, "sip:ipgw@k3x9abcd1234", "portal.test");

    assertThat(PLAIN.writeValueAsString(status))
        .isEqualTo(
            "{\"request_id\":7,\"domain\":\"k3x9abcd1234\",\"status\":\"void\","
                + "\"gateway_uri\":\"sip:ipgw@k3x9abcd1234\",\"sip_domain\":\"portal.test\"}");
  }

  @Test
  void account_fields_go_with_approval_and_only_with_it() {
    assertThatThrownBy(
            () ->
                new AccessStatus(
                    1, "d", RequestStatus.APPROVED, "u", null, "sip:g", "sip:ipgw@d", "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an approved status carries sip_username, encrypted_password and gruu");
    assertThatThrownBy(
            () ->
                new AccessStatus(
                    1, "d", RequestStatus.PENDING, "u", "QUJD", "sip:g", "sip:ipgw@d", "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("only an approved status carries sip_username, encrypted_password and gruu");
  }

  @Test
  void events_round_trip_with_instants_and_raw_payloads() throws Exception {
    DeliveredEvent event =
        new DeliveredEvent(
            "k3x9abcd1234",
            17,
            "ev-17",
            "journal",
            Instant.parse("2026-12-04T10:00:00Z"),
            "{\"door\":\"Front\",\"answered\":true}");
    String json = PLAIN.writeValueAsString(new EventPage(List.of(event), "eyJ9"));

    assertThat(json)
        .isEqualTo(
            "{\"events\":[{\"domain\":\"k3x9abcd1234\",\"seq\":17,\"id\":\"ev-17\","
                + "\"kind\":\"journal\",\"at\":\"2026-12-04T10:00:00Z\","
                + "\"payload\":{\"door\":\"Front\",\"answered\":true}}],\"cursor\":\"eyJ9\"}");
    assertThat(PLAIN.readValue(json, EventPage.class).events()).containsExactly(event);
  }

  @Test
  void a_posted_batch_reads_back_with_a_strict_mapper() throws Exception {
    EventBatch batch =
        new EventBatch(
            List.of(new PostedEvent("a", "acl", Instant.parse("2026-01-01T00:00:00Z"), "{}")));

    assertThat(PLAIN.readValue(PLAIN.writeValueAsString(batch), EventBatch.class)).isEqualTo(batch);
  }

  @Test
  void guests_and_channel_requests_write_rfc3339_instants() throws Exception {
    assertThat(
            PLAIN.writeValueAsString(
                new GuestInfo("bob", Instant.parse("2026-12-04T10:00:00.250Z"))))
        .isEqualTo("{\"username\":\"bob\",\"invited_at\":\"2026-12-04T10:00:00.250Z\"}");
    ChannelEntry entry =
        new ChannelEntry(
            3,
            ChannelEntry.Type.VOIDED,
            new ChannelRequest(
                9,
                "bob",
                "Bob's phone",
                "urn:uuid:1",
                "sip:bob@p;gr=urn:uuid:1",
                "PEM",
                Instant.EPOCH,
                RequestStatus.VOID));
    String json = PLAIN.writeValueAsString(entry);
    assertThat(json)
        .contains("\"type\":\"voided\"")
        .contains("\"created_at\":\"1970-01-01T00:00:00Z\"");
    assertThat(PLAIN.readValue(json, ChannelEntry.class)).isEqualTo(entry);
  }

  @Test
  void a_time_that_is_not_rfc3339_is_refused() {
    assertThatThrownBy(
            () ->
                PLAIN.readValue(
                    "{\"username\":\"bob\",\"invited_at\":\"yesterday\"}", GuestInfo.class))
        .hasMessageContaining("not an RFC 3339 date-time");
    assertThatThrownBy(
            () ->
                PLAIN.readValue(
                    "{\"username\":\"bob\",\"invited_at\":1700000000}", GuestInfo.class))
        .isInstanceOf(com.fasterxml.jackson.databind.JsonMappingException.class);
  }

  @Test
  void deny_is_the_empty_object() throws Exception {
    assertThat(PLAIN.writeValueAsString(new DenyRequest())).isEqualTo("{}");
    assertThat(PLAIN.readValue("{}", DenyRequest.class)).isEqualTo(new DenyRequest());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-12-04T10:00:00Z",
        "2026-12-04T10:00:00.250+01:00",
        "2026-12-04T10:00:00.123456789-05:30"
      })
  void rfc3339_times_with_t_seconds_and_an_offset_are_read(String at) throws Exception {
    GuestInfo guest =
        PLAIN.readValue("{\"username\":\"bob\",\"invited_at\":\"" + at + "\"}", GuestInfo.class);

    assertThat(guest.invitedAt()).isEqualTo(java.time.OffsetDateTime.parse(at).toInstant());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-12-04t10:00:00z",
        "+12026-12-04T10:00:00Z",
        "2026-12-04T10:00Z",
        "2026-12-04T10:00:00",
        "2026-12-04 10:00:00Z",
        "2026-02-30T10:00:00Z",
        "2026-12-04T10:00:00.1234567890Z"
      })
  void other_time_forms_are_an_invalid_format(String at) {
    assertThatThrownBy(
            () ->
                PLAIN.readValue(
                    "{\"username\":\"bob\",\"invited_at\":\"" + at + "\"}", GuestInfo.class))
        .isInstanceOf(InvalidFormatException.class)
        .hasMessageContaining("not an RFC 3339 date-time");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "\"{}\"", "1", "true", "null"})
  void a_payload_that_is_not_an_object_is_an_invalid_format_at_payload(String payload) {
    String json =
        "{\"id\":\"a\",\"kind\":\"acl\",\"at\":\"2026-01-01T00:00:00Z\",\"payload\":"
            + payload
            + "}";

    assertThatThrownBy(() -> PLAIN.readValue(json, PostedEvent.class))
        .isInstanceOfSatisfying(
            InvalidFormatException.class,
            e -> assertThat(e.getPath().get(0).getFieldName()).isEqualTo("payload"));
  }

  @Test
  void a_missing_payload_is_no_invalid_format() {
    assertThatThrownBy(
            () ->
                PLAIN.readValue(
                    "{\"id\":\"a\",\"kind\":\"acl\",\"at\":\"2026-01-01T00:00:00Z\"}",
                    PostedEvent.class))
        .isInstanceOf(MismatchedInputException.class)
        .isNotInstanceOf(InvalidFormatException.class);
  }

  @Test
  void a_null_event_in_a_batch_is_refused_at_its_index() {
    String event = "{\"id\":\"a\",\"kind\":\"acl\",\"at\":\"2026-01-01T00:00:00Z\",\"payload\":{}}";

    assertThatThrownBy(() -> PLAIN.readValue("{\"events\":[" + event + ",null]}", EventBatch.class))
        .isInstanceOfSatisfying(
            InvalidNullException.class,
            e -> {
              assertThat(e.getPath().get(0).getFieldName()).isEqualTo("events");
              assertThat(e.getPath().get(1).getIndex()).isEqualTo(1);
            });
  }

  @Test
  void an_approval_never_shows_its_ciphertext() {
    assertThat(new ApproveRequest("app-1", "c2VjcmV0", "sip:bob@p;gr=urn:uuid:1").toString())
        .contains("app-1")
        .contains("<redacted>")
        .doesNotContain("c2VjcmV0");
  }
}
