package io.doorpair.portal.http;

import static io.doorpair.portal.testing.RawApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.Actors.Device;
import io.doorpair.portal.testing.GatewayActions;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.portal.testing.RawApi;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Events posted by gateways and read by apps, over real HTTPS (specification steps 13, 14). */
class EventsApiTest {
  @RegisterExtension static final PortalExtension PORTAL = new PortalExtension();

  private static final String PASSWORD = "events password";

  static String user() {
    return Actors.newUser(PORTAL, "ev", PASSWORD);
  }

  static String batch(String prefix, int from, int count) {
    List<String> events = new ArrayList<>();
    String[] kinds = {"journal", "topology", "acl", "accounts"};
    for (int i = from; i < from + count; i++) {
      events.add(
          "{\"id\":\""
              + prefix
              + i
              + "\",\"kind\":\""
              + kinds[i % 4]
              + "\",\"at\":\"2026-12-04T10:00:0"
              + (i % 10)
              + ".250+01:00\",\"payload\":{\"n\":"
              + i
              + ",\"who\":\"Door \\\"A\\\" é\",\"nested\":{\"x\":[1,2.5,null,true]}}}");
    }
    return "{\"events\":[" + String.join(",", events) + "]}";
  }

  @Test
  void posted_events_are_stored_once_in_order_and_read_back_by_the_owner() {
    String owner = user();
    Device gw = Actors.gateway(PORTAL, owner, PASSWORD);
    Device phone = Actors.app(PORTAL, owner, PASSWORD);
    String domain = gw.domain().orElseThrow();

    RawApi.Exchange first = gw.on(PORTAL).postJson("/api/gateway/events", batch("e", 0, 3));
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(json(first).get("stored").asInt()).isEqualTo(3);
    assertThat(json(first).get("duplicates").asInt()).isZero();

    // The answer was lost: the gateway posts the same batch again, plus two new events.
    RawApi.Exchange again = gw.on(PORTAL).postJson("/api/gateway/events", batch("e", 0, 5));
    assertThat(json(again).get("stored").asInt()).isEqualTo(2);
    assertThat(json(again).get("duplicates").asInt()).isEqualTo(3);

    JsonNode page = json(phone.on(PORTAL).get("/api/events"));
    JsonNode events = page.get("events");
    assertThat(events).hasSize(5);
    for (int i = 0; i < 5; i++) {
      JsonNode event = events.get(i);
      assertThat(event.get("domain").asText()).isEqualTo(domain);
      assertThat(event.get("seq").asLong()).isEqualTo(i + 1);
      assertThat(event.get("id").asText()).isEqualTo("e" + i);
      assertThat(event.get("at").asText()).isEqualTo("2026-12-04T09:00:0" + i + ".250Z");
      assertThat(event.get("payload").get("n").asInt()).isEqualTo(i);
      assertThat(event.get("payload").get("who").asText()).isEqualTo("Door \"A\" é");
      assertThat(event.get("payload").get("nested").get("x")).hasSize(4);
    }
    assertThat(events.get(1).get("kind").asText()).isEqualTo("topology");

    String cursor = page.get("cursor").asText();
    JsonNode empty = json(phone.on(PORTAL).get("/api/events?cursor=" + cursor));
    assertThat(empty.get("events")).isEmpty();
    assertThat(empty.get("cursor").asText()).isEqualTo(cursor);

    gw.on(PORTAL).postJson("/api/gateway/events", batch("e", 5, 1));
    JsonNode next = json(phone.on(PORTAL).get("/api/events?cursor=" + cursor));
    assertThat(next.get("events")).hasSize(1);
    assertThat(next.get("events").get(0).get("seq").asLong()).isEqualTo(6);
  }

  @Test
  void pages_follow_the_limit_and_the_cursor_across_two_gateways_without_loss() {
    String owner = user();
    Device g1 = Actors.gateway(PORTAL, owner, PASSWORD);
    Device g2 = Actors.gateway(PORTAL, owner, PASSWORD);
    Device phone = Actors.app(PORTAL, owner, PASSWORD);
    for (int round = 0; round < 3; round++) {
      g1.on(PORTAL).postJson("/api/gateway/events", batch("one-", round * 4, 4));
      g2.on(PORTAL).postJson("/api/gateway/events", batch("two-", round * 3, 3));
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    for (int pages = 0; pages < 20; pages++) {
      JsonNode page =
          json(
              phone
                  .on(PORTAL)
                  .get("/api/events?limit=5" + (cursor == null ? "" : "&cursor=" + cursor)));
      assertThat(page.get("events").size()).isLessThanOrEqualTo(5);
      page.get("events").forEach(e -> seen.add(e.get("id").asText()));
      cursor = page.get("cursor").asText();
      if (page.get("events").isEmpty()) {
        break;
      }
    }
    assertThat(seen).hasSize(21).doesNotHaveDuplicates();
    assertThat(seen.stream().filter(id -> id.startsWith("one-")).toList())
        .containsExactly(
            "one-0", "one-1", "one-2", "one-3", "one-4", "one-5", "one-6", "one-7", "one-8",
            "one-9", "one-10", "one-11");
  }

  @Test
  void a_cursor_naming_a_gateway_no_longer_seen_is_accepted_and_the_domain_dropped() {
    String owner = user();
    String guest = user();
    Device gw = Actors.gateway(PORTAL, owner, PASSWORD);
    Device ownersPhone = Actors.app(PORTAL, owner, PASSWORD);
    Device guestsPhone = Actors.app(PORTAL, guest, PASSWORD);
    String domain = gw.domain().orElseThrow();
    ownersPhone.on(PORTAL).put("/api/gateways/" + domain + "/guests/" + guest);
    JsonNode request = json(guestsPhone.on(PORTAL).get("/api/create_sip_account/" + domain));
    assertThat(GatewayActions.approve(PORTAL, gw, request, guestsPhone).status()).isEqualTo(200);
    gw.on(PORTAL).postJson("/api/gateway/events", batch("g", 0, 2));
    JsonNode page = json(guestsPhone.on(PORTAL).get("/api/events"));
    assertThat(page.get("events")).hasSize(2);
    String cursor = page.get("cursor").asText();

    ownersPhone.on(PORTAL).delete("/api/gateways/" + domain + "/guests/" + guest);
    RawApi.Exchange after = guestsPhone.on(PORTAL).get("/api/events?cursor=" + cursor);
    assertThat(after.status()).isEqualTo(200);
    assertThat(json(after).get("events")).isEmpty();
    String decoded =
        new String(
            java.util.Base64.getUrlDecoder().decode(json(after).get("cursor").asText()),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(decoded).isEqualTo("{}");
  }
}
