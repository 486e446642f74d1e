package io.doorpair.portal.http;

import static io.doorpair.portal.testing.RawApi.answer;
import static io.doorpair.portal.testing.RawApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.doorpair.portal.notify.LocalNotifier;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.Actors.Device;
import io.doorpair.portal.testing.Await;
import io.doorpair.portal.testing.GatewayActions;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.portal.testing.RawApi;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Long-polls over real HTTPS: a waiting client is answered when something happens, not when it asks
 * again; a revocation ends the waits of the revoked certificate at once.
 */
class LongPollApiTest {
  @RegisterExtension static final PortalExtension PORTAL = new PortalExtension();

  private static final String PASSWORD = "long-poll password";

  static String user() {
    return Actors.newUser(PORTAL, "lp", PASSWORD);
  }

  /** Waits until {@code count} more long-polls are open on the portal than {@code before}. */
  static void awaitWaiting(int before, int count) {
    Await.until(
        "long-polls open on the portal",
        () -> PORTAL.portal().longPolls().openCount() >= before + count);
  }

  @AfterEach
  void every_poll_ended_and_unsubscribed() {
    Await.until("every long-poll ended", () -> PORTAL.portal().longPolls().openCount() == 0);
    assertThat(((LocalNotifier) PORTAL.portal().notifier()).subscriptions()).isZero();
  }

  @Test
  void a_waiting_gateway_receives_a_request_made_afterwards_without_asking_again()
      throws Exception {
    String owner = user();
    Device gw = Actors.gateway(PORTAL, owner, PASSWORD);
    Device phone = Actors.app(PORTAL, owner, PASSWORD);
    CompletableFuture<RawApi.Exchange> waiting =
        gw.on(PORTAL).getLater("/api/gateway/channel?cursor=0&wait=60");
    awaitWaiting(0, 1);
    assertThat(waiting).isNotDone();

    JsonNode created =
        json(phone.on(PORTAL).get("/api/create_sip_account/" + gw.domain().orElseThrow()));

    RawApi.Exchange pushed = answer(waiting);
    assertThat(pushed.status()).isEqualTo(200);
    JsonNode items = json(pushed).get("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).get("request").get("request_id")).isEqualTo(created.get("request_id"));
    assertThat(json(pushed).get("cursor").asLong()).isEqualTo(1);
  }

  @Test
  void a_waiting_app_receives_the_approval() throws Exception {
    String owner = user();
    Device gw = Actors.gateway(PORTAL, owner, PASSWORD);
    Device phone = Actors.app(PORTAL, owner, PASSWORD);
    String domain = gw.domain().orElseThrow();
    JsonNode request = json(phone.on(PORTAL).get("/api/create_sip_account/" + domain));
    CompletableFuture<RawApi.Exchange> waiting =
        phone.on(PORTAL).getLater("/api/get_approved_account/" + domain + "?wait=60");
    awaitWaiting(0, 1);

    assertThat(GatewayActions.approve(PORTAL, gw, request, phone).status()).isEqualTo(200);

    RawApi.Exchange approved = answer(waiting);
    assertThat(approved.status()).isEqualTo(200);
    assertThat(json(approved).get("status").asText()).isEqualTo("approved");
    assertThat(json(approved).get("encrypted_password").asText()).isNotEmpty();
  }

  @Test
  void a_waiting_app_receives_new_events() throws Exception {
    String owner = user();
    Device gw = Actors.gateway(PORTAL, owner, PASSWORD);
    Device phone = Actors.app(PORTAL, owner, PASSWORD);
    String cursor = json(phone.on(PORTAL).get("/api/events")).get("cursor").asText();
    CompletableFuture<RawApi.Exchange> waiting =
        phone.on(PORTAL).getLater("/api/events?wait=60&cursor=" + cursor);
    awaitWaiting(0, 1);

    gw.on(PORTAL)
        .postJson(
            "/api/gateway/events",
            "{\"events\":[{\"id\":\"door-1\",\"kind\":\"journal\",\"at\":\"2026-12-04T10:00:00Z\","
                + "\"payload\":{\"door\":\"opened\"}}]}");

    RawApi.Exchange page = answer(waiting);
    assertThat(page.status()).isEqualTo(200);
    assertThat(json(page).get("events")).hasSize(1);
    assertThat(json(page).get("events").get(0).get("id").asText()).isEqualTo("door-1");
  }

  @Test
  void a_wait_with_nothing_new_answers_empty_at_its_deadline() {
    Device gw = Actors.gateway(PORTAL, user(), PASSWORD);
    RawApi.Exchange answer = gw.on(PORTAL).get("/api/gateway/channel?wait=1");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(json(answer).get("items")).isEmpty();
    assertThat(json(answer).get("cursor").asLong()).isZero();
  }

  @Test
  void an_open_long_poll_of_a_revoked_app_ends_with_401() throws Exception {
    String owner = user();
    Device gw = Actors.gateway(PORTAL, owner, PASSWORD);
    Device phone = Actors.app(PORTAL, owner, PASSWORD);
    Device stolen = Actors.app(PORTAL, owner, PASSWORD);
    String domain = gw.domain().orElseThrow();
    stolen.on(PORTAL).get("/api/create_sip_account/" + domain);
    CompletableFuture<RawApi.Exchange> onEvents = stolen.on(PORTAL).getLater("/api/events?wait=60");
    CompletableFuture<RawApi.Exchange> onAccount =
        stolen.on(PORTAL).getLater("/api/get_approved_account/" + domain + "?wait=60");
    awaitWaiting(0, 2);

    assertThat(
            phone
                .on(PORTAL)
                .postJson("/api/devices/" + stolen.serialHex() + "/revoke", "{}")
                .status())
        .isEqualTo(200);

    for (CompletableFuture<RawApi.Exchange> waiting : List.of(onEvents, onAccount)) {
      RawApi.Exchange ended = answer(waiting);
      assertThat(ended.status()).as(ended.body()).isEqualTo(401);
      assertThat(json(ended).get("error").asText()).isEqualTo("certificate_refused");
    }
  }

  @Test
  void an_open_channel_poll_of_a_revoked_gateway_ends_with_401() throws Exception {
    String owner = user();
    Device gw = Actors.gateway(PORTAL, owner, PASSWORD);
    CompletableFuture<RawApi.Exchange> waiting =
        gw.on(PORTAL).getLater("/api/gateway/channel?wait=60");
    awaitWaiting(0, 1);

    PORTAL.deleteUser(owner);

    RawApi.Exchange ended = answer(waiting);
    assertThat(ended.status()).isEqualTo(401);
    assertThat(json(ended).get("error").asText()).isEqualTo("certificate_refused");
  }

  @Test
  void a_certificate_may_hold_only_a_few_long_polls_at_once() throws Exception {
    String owner = user();
    Device gw = Actors.gateway(PORTAL, owner, PASSWORD);
    Device phone = Actors.app(PORTAL, owner, PASSWORD);
    RawApi api = gw.on(PORTAL);
    List<CompletableFuture<RawApi.Exchange>> open = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      open.add(api.getLater("/api/gateway/channel?wait=60"));
    }
    awaitWaiting(0, 8);

    RawApi.Exchange refused = api.get("/api/gateway/channel?wait=60");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(json(refused).get("error").asText()).isEqualTo("too_many_waits");

    phone.on(PORTAL).get("/api/create_sip_account/" + gw.domain().orElseThrow());
    for (CompletableFuture<RawApi.Exchange> waiting : open) {
      assertThat(json(answer(waiting)).get("items")).hasSize(1);
    }
  }
}
