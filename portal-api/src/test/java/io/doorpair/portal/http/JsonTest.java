package io.doorpair.portal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.portal.events.EventBatches;
import io.doorpair.welcome.api.ChannelPage;
import io.doorpair.welcome.api.EventBatch;
import io.doorpair.welcome.api.GatewayRole;
import io.doorpair.welcome.api.JoinableGateway;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server's strict mapper on the shared wire records of {@code io.doorpair.welcome.api}, whose
 * clients read forward-compatibly: what the clients would tolerate, the server refuses with {@code
 * 400}.
 */
class JsonTest {
  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void assertRefused(Runnable read, String code) {
    assertThatThrownBy(read::run)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            });
  }

  @Test
  void a_known_enum_value_is_read() {
    assertThat(
            Json.read(
                utf8("{\"domain\":\"abcdefghijkl\",\"friendly_name\":\"Loft\",\"role\":\"guest\"}"),
                JoinableGateway.class))
        .isEqualTo(new JoinableGateway("abcdefghijkl", "Loft", GatewayRole.GUEST));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"admin\"", "\"Owner\"", "\"UNKNOWN\"", "\"\"", "1", "null"})
  void an_unknown_enum_value_is_bad_json_not_unknown(String role) {
    assertRefused(
        () ->
            Json.read(
                utf8(
                    "{\"domain\":\"abcdefghijkl\",\"friendly_name\":\"Loft\",\"role\":"
                        + role
                        + "}"),
                JoinableGateway.class),
        "bad_json");
  }

  @Test
  void a_records_own_check_is_bad_json_not_a_server_error() {
    assertRefused(
        () -> Json.read(utf8("{\"items\":[],\"cursor\":-1}"), ChannelPage.class), "bad_json");
    assertRefused(
        () ->
            Json.read(
                utf8("{\"items\":[{\"seq\":0,\"type\":\"request\"}],\"cursor\":0}"),
                ChannelPage.class),
        "bad_json");
  }

  static String batch(String event) {
    return "{\"events\":[{\"id\":\"ok\",\"kind\":\"acl\",\"at\":\"2026-12-04T10:00:00Z\","
        + "\"payload\":{}},"
        + event
        + "]}";
  }

  static String event(String at, String payload) {
    return "{\"id\":\"e\",\"kind\":\"acl\",\"at\":" + at + ",\"payload\":" + payload + "}";
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "null                                  | bad_event",
        "{\"id\":\"e\",\"kind\":\"acl\",\"at\":\"2026-12-04T10:00:00Z\"} | bad_json",
        "{\"id\":\"e\",\"kind\":\"acl\",\"payload\":{}} | bad_json",
        "{\"id\":\"e\",\"kind\":\"acl\",\"at\":\"x\",\"payload\":{},\"more\":1} | bad_time",
        "[]                                    | bad_json",
        "1                                     | bad_json"
      })
  void batch_read_problems_get_their_codes(String event, String code) {
    assertRefused(
        () -> Json.read(utf8(batch(event)), EventBatch.class, EventBatches::readProblem), code);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"2026-12-04t10:00:00z\" | {}   | bad_time",
        "\"2026-12-04T10:00\"     | {}   | bad_time",
        "1700000000               | {}   | bad_json",
        "null                     | {}   | bad_json",
        "\"2026-12-04T10:00:00Z\" | []   | bad_payload",
        "\"2026-12-04T10:00:00Z\" | null | bad_payload",
        "\"2026-12-04T10:00:00Z\" | {\"a\":1,\"a\":2} | bad_json"
      })
  void times_and_payloads_get_their_codes(String at, String payload, String code) {
    assertRefused(
        () ->
            Json.read(utf8(batch(event(at, payload))), EventBatch.class, EventBatches::readProblem),
        code);
  }

  @Test
  void a_valid_batch_is_read() {
    EventBatch batch =
        Json.read(
            utf8(batch(event("\"2026-12-04T10:00:00.250+01:00\"", "{ \"a\" : [1, 2] }"))),
            EventBatch.class,
            EventBatches::readProblem);

    assertThat(batch.events()).hasSize(2);
    assertThat(batch.events().get(1).at()).hasToString("2026-12-04T09:00:00.250Z");
    assertThat(batch.events().get(1).payload()).isEqualTo("{\"a\":[1,2]}");
  }
}
