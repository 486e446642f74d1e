package io.doorpair.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.doorpair.crypto.SipPassword;
import io.doorpair.e2e.harness.ActorProcess;
import io.doorpair.e2e.harness.AdminRelay;
import io.doorpair.e2e.harness.AdminSession;
import io.doorpair.e2e.harness.HostNetwork;
import io.doorpair.e2e.harness.LinphoneDoor;
import io.doorpair.e2e.harness.NetnsHost;
import io.doorpair.e2e.harness.ReadyFile;
import io.doorpair.e2e.harness.Repo;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Issue 10's whole flow across separate hosts: network namespaces made by the test ({@link
 * HostNetwork}: a router and a portal, a gateway and a phone host, each on its own link and
 * network), every actor a process in its host: {@code bin/portal serve} (SQLite) on the portal
 * host, reached by the name {@value HostNetwork#PORTAL_NAME} its server certificate carries; {@code
 * bin/ipgw serve} with its supervised b2b child on the gateway host, its admin site on the gateway
 * host's loopback (the owner's browser reaches it through {@link AdminRelay}); a real door station,
 * a {@code linphone-daemon} ({@link LinphoneDoor}) in a host of the gateway's LAN, registered on
 * the b2b's internal SIP server there; {@code bin/welcome} on the phone host: pair, request, wait
 * for the account, {@code register --auto-answer} and {@code events --follow}. The journey: the
 * owner pairs the gateway on the admin site, the phone pairs and asks, the owner approves and types
 * the code the phone shows, a door call rings and is answered across the hosts. Then the gateway's
 * link is cut: door calls go unanswered (missed-call journal records) while the owner changes
 * rights, disables and enables the account; the events wait in the gateway's outbox. The link stays
 * cut until the outbox's call to the portal timed out, then comes back: the events reach the portal
 * once each, in the order they happened, as the phone's event feed shows; the next door call rings
 * the phone again.
 */
class CrossHostIT {
  private static final Duration START = Duration.ofSeconds(120);
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final Duration DELIVERY = Duration.ofSeconds(240);
  private static final String ALICE_PASSWORD = "alice's long password";
  private static final int API_PORT = 8443;
  private static final int SIP_PORT = 5061;
  private static final int INTERNAL_SIP_PORT = 5070;
  private static final int ADMIN_PORT = 8080;
  private static final Pattern ADMIN_PASSWORD =
      Pattern.compile("admin password generated: read it in (\\S+) \\(mode 0600");
  private static final Pattern DOOR_PASSWORD =
      Pattern.compile("door door1@[a-z0-9]+ password \\(shown once\\): (\\S+)");
  private static final Duration RING = Duration.ofSeconds(5);
  private static final String CONNECTED = "LinphoneCallConnected";
  private static final String END = "LinphoneCallEnd";
  private static final String ERROR = "LinphoneCallError";
  private static final String RELEASED = "LinphoneCallReleased";
  private static final Pattern FAILURE = Pattern.compile("SIP/2\\.0 ([4-6]\\d\\d) ");
  private static final Pattern UNREACHABLE = Pattern.compile("portal unreachable for events");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One event in the gateway's outbox: its id, kind and payload. */
  private record Queued(String id, String kind, JsonNode payload) {}

  @Test
  void the_journey_across_hosts_and_the_events_of_a_cut_link_reach_the_portal_once_in_order(
      TestInfo info) throws Exception {
    Path work =
        Repo.workDir(getClass().getSimpleName(), info.getTestMethod().orElseThrow().getName());
    try (HostNetwork network = HostNetwork.create(work)) {
      NetnsHost portalHost = network.portal();
      NetnsHost gatewayHost = network.gateway();
      NetnsHost phoneHost = network.phone();
      String api = "https://" + HostNetwork.PORTAL_NAME + ":" + API_PORT;

      Path portalDir = work.resolve("portal");
      Path data = portalDir.resolve("data");
      try (ActorProcess portal =
          ActorProcess.startIn(
              portalHost.exec(),
              "portal",
              portalDir,
              Map.of(),
              "portal",
              "serve",
              "--data=" + data,
              "--api=" + portalHost.address() + ":" + API_PORT,
              "--sip=" + portalHost.address() + ":" + SIP_PORT,
              "--hostname=" + HostNetwork.PORTAL_NAME)) {
        ReadyFile ready = portal.awaitReady(data.resolve("ready.json"), START);
        String portalDomain = ready.json().get("domain").asText();
        expectOk(
            ActorProcess.runIn(
                portalHost.exec(),
                work,
                ALICE_PASSWORD + "\n",
                DEADLINE,
                "portal",
                "user",
                "add",
                "alice",
                "--password-stdin",
                "--data=" + data));

        Path gw = work.resolve("ipgw");
        Path root = gw.resolve("root");
        Path gwData = gw.resolve("data");
        try (ActorProcess ipgw =
            ActorProcess.startIn(
                gatewayHost.exec(),
                "ipgw",
                gw,
                Map.of(),
                "ipgw",
                "serve",
                "--root=" + root,
                "--data=" + gwData,
                "--portal=" + api,
                "--portal-ca=" + data.resolve("ca.pem"),
                "--portal-sip=sips:" + HostNetwork.PORTAL_NAME + ":" + SIP_PORT,
                "--internal-sip=sip:" + HostNetwork.GATEWAY_LAN + ":" + INTERNAL_SIP_PORT,
                "--admin=127.0.0.1:" + ADMIN_PORT,
                "--key-bits=2048")) {
          Path phoneDir = work.resolve("phone");
          List<ActorProcess> phoneApps = new ArrayList<>();
          try {
            ipgw.awaitReady(gwData.resolve("ready.json"), START);
            try (AdminRelay relay =
                AdminRelay.start(gatewayHost, "127.0.0.1", ADMIN_PORT, gw.resolve("relay.log"))) {
              // 1. The owner pairs the gateway on its admin site.
              AdminSession owner = new AdminSession("http://127.0.0.1:" + relay.port());
              owner.get("/login");
              String adminPassword =
                  Files.readString(
                          java.nio.file.Path.of(
                              find(ADMIN_PASSWORD, Files.readString(gw.resolve("ipgw.log")))))
                      .strip();
              assertThat(owner.post("/login", Map.of("password", adminPassword)).statusCode())
                  .isEqualTo(303);
              owner.get("/pairing");
              HttpResponse<String> paired =
                  owner.post(
                      "/pairing",
                      Map.of(
                          "username", "alice",
                          "password", ALICE_PASSWORD,
                          "friendly_name", "Location: Porch"));
              assertThat(paired.statusCode()).as(paired.body()).isEqualTo(303);
              String domain =
                  find(
                      Pattern.compile("id=\"domain\">([a-z0-9]{12})<"),
                      owner.get("/pairing").body());
              ActorProcess.Result door1 =
                  ActorProcess.runIn(
                      gatewayHost.exec(),
                      gw,
                      "",
                      DEADLINE,
                      "ipgw",
                      "door",
                      "add",
                      "door1",
                      "--root=" + root,
                      "--data=" + gwData);
              expectOk(door1);
              String doorPassword = find(DOOR_PASSWORD, door1.output());

              // 2. The phone pairs with the portal and asks the gateway for an account.
              Files.createDirectories(phoneDir);
              String profile = phoneDir.resolve("profile").toString();
              expectOk(
                  welcome(
                      phoneHost,
                      phoneDir,
                      ALICE_PASSWORD + "\n",
                      "--profile",
                      profile,
                      "pair",
                      "--portal",
                      api,
                      "--user",
                      "alice",
                      "--name",
                      "Alice's phone",
                      "--sip-domain",
                      portalDomain,
                      "--ca",
                      data.resolve("ca.pem").toString()));
              expectOk(welcome(phoneHost, phoneDir, "", "--profile", profile, "request", domain));

              // 3. The owner approves; the phone gets its account and shows the security code,
              // which the owner types on the admin site.
              awaitTrue(
                  () -> owner.get("/requests").body().contains("Alice&#39;s phone"),
                  "the phone's request on the admin site");
              String id =
                  find(
                      Pattern.compile("href=\"/requests/([0-9]+)\""),
                      owner.get("/requests").body());
              owner.get("/requests/" + id);
              assertThat(
                      owner
                          .post(
                              "/requests/" + id + "/approve",
                              Map.of("door_calls", "on", "open_door", "on"))
                          .statusCode())
                  .isEqualTo(303);
              ActorProcess.Result waited =
                  welcome(
                      phoneHost,
                      phoneDir,
                      "",
                      "--profile",
                      profile,
                      "--json",
                      "wait",
                      domain,
                      "--timeout",
                      "120");
              expectOk(waited);
              JsonNode account = JSON.readTree(waited.output().strip());
              String sipUsername = account.get("sip_username").asText();
              owner.get("/requests/" + id);
              assertThat(
                      owner
                          .post(
                              "/requests/" + id + "/code",
                              Map.of("code", account.get("security_code").asText()))
                          .statusCode())
                  .isEqualTo(303);

              // 4. The phone follows its events and registers; the b2b registers at the portal.
              ActorProcess events =
                  ActorProcess.startIn(
                      phoneHost.exec(),
                      "events",
                      phoneDir,
                      Map.of(),
                      "welcome",
                      "--profile",
                      profile,
                      "--json",
                      "events",
                      "--follow");
              phoneApps.add(events);
              ActorProcess phone =
                  ActorProcess.startIn(
                      phoneHost.exec(),
                      "register",
                      phoneDir,
                      Map.of(),
                      "welcome",
                      "--profile",
                      profile,
                      "--json",
                      "register",
                      "--auto-answer");
              phoneApps.add(phone);
              Path phoneLog = phoneDir.resolve("register.log");
              awaitTrue(
                  () -> read(phoneLog).contains("{\"event\":\"registered\"}"),
                  "the phone registered at the portal");
              awaitTrue(
                  () -> read(gwData.resolve("b2b.log")).contains("registered ipgw@" + domain),
                  "the b2b registered at the portal");

              // 5. The door station on the gateway's LAN calls: the phone on its own host rings
              // and answers.
              String ipgwUri = "sip:ipgw@" + domain;
              try (LinphoneDaemon door =
                  LinphoneDoor.register(
                      work.resolve("door"),
                      "door1",
                      domain,
                      SipPassword.of(doorPassword),
                      new InetSocketAddress(HostNetwork.GATEWAY_LAN, INTERNAL_SIP_PORT),
                      DELIVERY,
                      network.door())) {
                assertThat(callAnswered(door, ipgwUri)).isEqualTo("answered");
                assertThat(read(phoneLog))
                    .contains("\"event\":\"ringing\"")
                    .contains("\"event\":\"answered\"");
                Path eventsLog = phoneDir.resolve("events.log");
                awaitTrue(
                    () ->
                        delivered(eventsLog, domain).stream()
                            .anyMatch(e -> payload(e).path("type").asText().equals("answered")),
                    "the answered call's journal event at the portal");
                Path db = gwData.resolve("ipgw.db");
                awaitTrue(() -> outbox(db).isEmpty(), "the gateway's outbox empty");

                int unreachable = count(UNREACHABLE, read(gw.resolve("ipgw.log")));
                // 6. The gateway's link is cut: door calls go unanswered, the owner changes the
                // ACL; every event waits in the outbox, in order.
                network.cut(gatewayHost);
                List<String> expected = new ArrayList<>();
                assertThat(callUnanswered(door, ipgwUri)).matches("final [45]\\d\\d");
                expected.add("journal missed");
                awaitOutbox(db, expected);
                owner.get("/accounts");
                assertThat(
                        owner
                            .post(
                                "/accounts/" + sipUsername + "/rights", Map.of("door_calls", "on"))
                            .statusCode())
                    .isEqualTo(303);
                expected.add("acl rights_changed");
                awaitOutbox(db, expected);
                assertThat(callUnanswered(door, ipgwUri)).matches("final [45]\\d\\d");
                expected.add("journal missed");
                awaitOutbox(db, expected);
                owner.get("/accounts");
                assertThat(
                        owner.post("/accounts/" + sipUsername + "/disable", Map.of()).statusCode())
                    .isEqualTo(303);
                expected.add("acl disabled");
                awaitOutbox(db, expected);
                // nobody to ring now: the b2b answers at once, still a missed call
                assertThat(callUnanswered(door, ipgwUri)).matches("final [45]\\d\\d");
                expected.add("journal missed");
                awaitOutbox(db, expected);
                owner.get("/accounts");
                assertThat(
                        owner.post("/accounts/" + sipUsername + "/enable", Map.of()).statusCode())
                    .isEqualTo(303);
                expected.add("acl enabled");
                List<Queued> queued = awaitOutbox(db, expected);
                Set<String> queuedIds = new HashSet<>();
                queued.forEach(q -> queuedIds.add(q.id()));
                assertThat(delivered(eventsLog, domain))
                    .as("nothing reached the portal while the link was cut")
                    .noneMatch(e -> queuedIds.contains(e.path("id").asText()));

                // The link stays cut until the outbox's call timed out: the batch is sent again.
                awaitTrue(
                    () -> count(UNREACHABLE, read(gw.resolve("ipgw.log"))) > unreachable,
                    "the gateway's outbox found the portal unreachable");

                // 7. The link comes back: every event reaches the portal once, in order.
                network.restore(gatewayHost);
                awaitTrue(
                    () ->
                        delivered(eventsLog, domain).stream()
                            .map(e -> e.path("id").asText())
                            .toList()
                            .containsAll(queuedIds),
                    "the events of the cut at the portal");
                List<JsonNode> all = delivered(eventsLog, domain);
                List<String> ids = all.stream().map(e -> e.path("id").asText()).toList();
                assertThat(ids).as("each event once").doesNotHaveDuplicates();
                List<Long> seqs = all.stream().map(e -> e.path("seq").asLong()).toList();
                assertThat(seqs).as("the portal's order").isSorted().doesNotHaveDuplicates();
                List<JsonNode> ofTheCut =
                    all.stream().filter(e -> queuedIds.contains(e.path("id").asText())).toList();
                assertThat(ofTheCut.stream().map(e -> e.path("id").asText()).toList())
                    .as("in the order they happened")
                    .containsExactlyElementsOf(queued.stream().map(Queued::id).toList());
                for (int i = 0; i < queued.size(); i++) {
                  assertThat(ofTheCut.get(i).path("kind").asText()).isEqualTo(queued.get(i).kind());
                  assertThat(payload(ofTheCut.get(i))).isEqualTo(queued.get(i).payload());
                }
                assertThat(payload(ofTheCut.get(1)).path("rights").path("open_door").asBoolean())
                    .isFalse();
                awaitTrue(() -> outbox(db).isEmpty(), "the gateway's outbox empty again");

                // 8. And the door rings the phone again across the restored link (at once when
                // the b2b's connection outlived the cut; after its new REGISTER if the portal had
                // dropped it meanwhile, until which a door call is missed: 480).
                awaitAnswered(door, ipgwUri);
              }
              // no secret in the gateway's logs
              assertThat(read(gw.resolve("ipgw.log")) + read(gwData.resolve("b2b.log")))
                  .doesNotContain(doorPassword)
                  .doesNotContain(ALICE_PASSWORD);
            }
          } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(
                e.getMessage()
                    + "\n"
                    + ipgw.tail()
                    + "\n--- b2b.log ---\n"
                    + tail(read(gwData.resolve("b2b.log")))
                    + "\n"
                    + portal.tail()
                    + "\n--- phone ---\n"
                    + tail(read(phoneDir.resolve("register.log")))
                    + "\n"
                    + tail(read(phoneDir.resolve("events.log"))),
                e);
          } finally {
            for (ActorProcess p : phoneApps) {
              p.close();
            }
          }
        }
      }
    }
  }

  private static void awaitAnswered(LinphoneDaemon door, String uri) throws Exception {
    long deadline = System.nanoTime() + DELIVERY.toNanos();
    String outcome = callAnswered(door, uri);
    while (!outcome.equals("answered") && System.nanoTime() < deadline) {
      assertThat(outcome).isEqualTo("final 480");
      Thread.sleep(5000);
      outcome = callAnswered(door, uri);
    }
    assertThat(outcome).as("the door call after the link came back").isEqualTo("answered");
  }

  /**
   * The door calls {@code uri}: when the call is answered, the door hangs up and this returns
   * {@code answered}; else {@code final STATUS}, the final answer to its INVITE.
   */
  private static String callAnswered(LinphoneDaemon door, String uri) throws InterruptedException {
    int mark = door.log().length();
    int call = door.call(uri);
    long deadline = System.nanoTime() + DELIVERY.toNanos();
    while (System.nanoTime() < deadline) {
      if (reached(door, call, CONNECTED)) {
        door.terminate(call);
        awaitState(door, call, END);
        return "answered";
      }
      if (ended(door, call)) {
        return "final " + finalStatus(door, mark);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the door's call neither answered nor ended\n" + door.logTail());
  }

  /**
   * The door calls {@code uri}, lets it ring {@link #RING} unless it ends first, then cancels;
   * returns {@code final STATUS}, the final answer to its INVITE (487 when cancelled). The call
   * must not be answered.
   */
  private static String callUnanswered(LinphoneDaemon door, String uri)
      throws InterruptedException {
    int mark = door.log().length();
    int call = door.call(uri);
    long ringing = System.nanoTime() + RING.toNanos();
    while (System.nanoTime() < ringing && !ended(door, call)) {
      Thread.sleep(200);
    }
    if (!ended(door, call)) {
      door.terminate(call);
    }
    long deadline = System.nanoTime() + DELIVERY.toNanos();
    while (!ended(door, call) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(ended(door, call)).as("the door's unanswered call ended").isTrue();
    assertThat(reached(door, call, CONNECTED)).as("the door's call answered").isFalse();
    return "final " + finalStatus(door, mark);
  }

  private static boolean reached(LinphoneDaemon door, int call, String state) {
    return door.events().stream().anyMatch(e -> e.callId() == call && e.state().equals(state));
  }

  private static boolean ended(LinphoneDaemon door, int call) {
    return reached(door, call, END) || reached(door, call, ERROR) || reached(door, call, RELEASED);
  }

  private static void awaitState(LinphoneDaemon door, int call, String state)
      throws InterruptedException {
    long deadline = System.nanoTime() + DELIVERY.toNanos();
    while (!reached(door, call, state) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(reached(door, call, state)).as("the door's call %s", state).isTrue();
  }

  /**
   * The final status the door received for its call since {@code mark} in its SIP log: the last
   * failure answer that is not a digest challenge (the log holds every message received).
   */
  private static String finalStatus(LinphoneDaemon door, int mark) throws InterruptedException {
    long deadline = System.nanoTime() + DELIVERY.toNanos();
    while (true) {
      String status = null;
      Matcher m = FAILURE.matcher(door.log().substring(mark));
      while (m.find()) {
        if (!m.group(1).equals("401") && !m.group(1).equals("407")) {
          status = m.group(1);
        }
      }
      if (status != null) {
        return status;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no final answer in the door's log\n" + door.logTail());
      }
      Thread.sleep(200);
    }
  }

  private static ActorProcess.Result welcome(NetnsHost host, Path dir, String stdin, String... args)
      throws IOException, InterruptedException {
    return ActorProcess.runIn(host.exec(), dir, stdin, DEADLINE.multipliedBy(2), "welcome", args);
  }

  private static void expectOk(ActorProcess.Result result) {
    assertThat(result.exit()).as(result.output()).isZero();
  }

  /** The events the phone's {@code welcome --json events --follow} printed for {@code domain}. */
  private static List<JsonNode> delivered(Path log, String domain) {
    List<JsonNode> events = new ArrayList<>();
    for (String line : read(log).split("\n")) {
      if (!line.startsWith("{")) {
        continue;
      }
      try {
        JsonNode node = JSON.readTree(line);
        if (node.path("domain").asText().equals(domain)) {
          events.add(node);
        }
      } catch (IOException e) {
        // a line still being written
      }
    }
    return events;
  }

  private static JsonNode payload(JsonNode event) {
    JsonNode payload = event.path("payload");
    try {
      return payload.isTextual() ? JSON.readTree(payload.asText()) : payload;
    } catch (IOException e) {
      throw new AssertionError("an event payload that is not JSON: " + payload, e);
    }
  }

  /** The gateway's outbox, oldest first, read from its store (SQLite, WAL: reading blocks none). */
  private static List<Queued> outbox(Path db) {
    List<Queued> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT event_id, kind, payload FROM outbox ORDER BY seq")) {
      while (r.next()) {
        rows.add(new Queued(r.getString(1), r.getString(2), JSON.readTree(r.getString(3))));
      }
    } catch (SQLException | IOException e) {
      throw new AssertionError("cannot read the gateway's outbox: " + e, e);
    }
    return rows;
  }

  /** Waits until the outbox holds exactly {@code expected} ("kind type-or-action"), in order. */
  private static List<Queued> awaitOutbox(Path db, List<String> expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + DELIVERY.toNanos();
    while (true) {
      List<Queued> rows = outbox(db);
      List<String> now = new ArrayList<>();
      for (Queued q : rows) {
        String what =
            q.payload().has("type")
                ? q.payload().get("type").asText()
                : q.payload().path("action").asText();
        now.add(q.kind() + " " + what);
      }
      if (now.equals(expected)) {
        return rows;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the outbox should hold " + expected + " but holds " + now);
      }
      Thread.sleep(200);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(String text) {
    return text.substring(Math.max(0, text.length() - 6000));
  }

  private static int count(Pattern p, String text) {
    Matcher m = p.matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static String find(Pattern p, String text) {
    Matcher m = p.matcher(text);
    assertThat(m.find()).as("%s in %s", p, text).isTrue();
    return m.group(1);
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + DELIVERY.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }
}
