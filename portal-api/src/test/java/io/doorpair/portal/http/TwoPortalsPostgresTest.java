package io.doorpair.portal.http;

import static io.doorpair.portal.testing.RawApi.answer;
import static io.doorpair.portal.testing.RawApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.doorpair.portal.notify.PostgresNotifier;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.Actors.Device;
import io.doorpair.portal.testing.Await;
import io.doorpair.portal.testing.GatewayActions;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.portal.testing.RawApi;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two portal processes on one PostgreSQL database, each with its own notifier (LISTEN/NOTIFY): what
 * one process writes wakes the long-polls held by the other (DESIGN §10).
 */
class TwoPortalsPostgresTest {
  @RegisterExtension static final PortalExtension PORTAL_1 = PortalExtension.onPostgres();
  @RegisterExtension static final PortalExtension PORTAL_2 = PortalExtension.sharing(PORTAL_1);

  private static final String PASSWORD = "two portals password";

  static String user() {
    return Actors.newUser(PORTAL_1, "pg", PASSWORD);
  }

  static void awaitWaiting(PortalExtension portal, int count) {
    Await.until(
        "long-polls open on " + portal.url(),
        () -> portal.portal().longPolls().openCount() >= count);
  }

  @AfterEach
  void every_poll_ended() {
    for (PortalExtension portal : new PortalExtension[] {PORTAL_1, PORTAL_2}) {
      Await.until("every long-poll ended", () -> portal.portal().longPolls().openCount() == 0);
    }
  }

  @Test
  void both_portals_listen_on_postgresql() {
    assertThat(PORTAL_1.portal().notifier()).isInstanceOf(PostgresNotifier.class);
    assertThat(PORTAL_2.portal().notifier()).isInstanceOf(PostgresNotifier.class);
    assertThat(PORTAL_1.url()).isNotEqualTo(PORTAL_2.url());
  }

  @Test
  void a_request_on_portal_1_reaches_the_gateway_waiting_on_portal_2_and_back() throws Exception {
    String owner = user();
    Device gw = Actors.gateway(PORTAL_2, owner, PASSWORD);
    Device phone = Actors.app(PORTAL_1, owner, PASSWORD);
    String domain = gw.domain().orElseThrow();

    CompletableFuture<RawApi.Exchange> channel =
        gw.on(PORTAL_2).getLater("/api/gateway/channel?cursor=0&wait=60");
    awaitWaiting(PORTAL_2, 1);

    RawApi.Exchange created = phone.on(PORTAL_1).get("/api/create_sip_account/" + domain);
    assertThat(created.status()).isEqualTo(201);

    RawApi.Exchange pushed = answer(channel);
    assertThat(pushed.status()).isEqualTo(200);
    JsonNode items = json(pushed).get("items");
    assertThat(items).hasSize(1);
    JsonNode request = items.get(0).get("request");
    assertThat(request.get("request_id")).isEqualTo(json(created).get("request_id"));

    CompletableFuture<RawApi.Exchange> account =
        phone.on(PORTAL_1).getLater("/api/get_approved_account/" + domain + "?wait=60");
    awaitWaiting(PORTAL_1, 1);

    RawApi.Exchange approved = GatewayActions.approve(PORTAL_2, gw, request, phone);
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);

    RawApi.Exchange decided = answer(account);
    assertThat(decided.status()).isEqualTo(200);
    assertThat(json(decided).get("status").asText()).isEqualTo("approved");
    assertThat(json(decided).get("gruu").asText()).isEqualTo(phone.gruu().orElseThrow());
  }

  @Test
  void events_posted_on_portal_2_wake_the_app_waiting_on_portal_1() throws Exception {
    String owner = user();
    Device gw = Actors.gateway(PORTAL_1, owner, PASSWORD);
    Device phone = Actors.app(PORTAL_1, owner, PASSWORD);
    CompletableFuture<RawApi.Exchange> waiting = phone.on(PORTAL_1).getLater("/api/events?wait=60");
    awaitWaiting(PORTAL_1, 1);

    gw.on(PORTAL_2)
        .postJson(
            "/api/gateway/events",
            "{\"events\":[{\"id\":\"x1\",\"kind\":\"acl\",\"at\":\"2026-12-04T10:00:00Z\","
                + "\"payload\":{\"user\":\"bob\",\"right\":\"door\"}}]}");

    RawApi.Exchange page = answer(waiting);
    assertThat(json(page).get("events")).hasSize(1);
  }

  @Test
  void a_revocation_on_portal_1_ends_the_long_poll_on_portal_2() throws Exception {
    String owner = user();
    Device gw = Actors.gateway(PORTAL_1, owner, PASSWORD);
    Device phone = Actors.app(PORTAL_1, owner, PASSWORD);
    CompletableFuture<RawApi.Exchange> waiting =
        gw.on(PORTAL_2).getLater("/api/gateway/channel?wait=60");
    awaitWaiting(PORTAL_2, 1);

    phone.on(PORTAL_1).postJson("/api/devices/" + gw.serialHex() + "/revoke", "{}");

    RawApi.Exchange ended = answer(waiting);
    assertThat(ended.status()).isEqualTo(401);
    assertThat(json(ended).get("error").asText()).isEqualTo("certificate_refused");
  }
}
