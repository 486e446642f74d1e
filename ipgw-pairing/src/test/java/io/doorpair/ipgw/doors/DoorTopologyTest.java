package io.doorpair.ipgw.doors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.doorpair.b2b.doorsim.DoorStation;
import io.doorpair.b2b.localsip.InternalTarget;
import io.doorpair.crypto.SipPassword;
import io.doorpair.ipgw.RunningGateway;
import io.doorpair.ipgw.cli.IpgwCommand;
import io.doorpair.ipgw.store.Pairing;
import io.doorpair.ipgw.supervisor.B2bState;
import io.doorpair.ipgw.supervisor.B2bSupervision;
import io.doorpair.ipgw.supervisor.ChildB2b;
import io.doorpair.ipgw.testing.AdminClient;
import io.doorpair.ipgw.testing.TestApp;
import io.doorpair.ipgw.testing.TestIpgw;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.welcome.api.DeliveredEvent;
import io.doorpair.welcome.api.EventPage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topology events end to end (DESIGN §8): a gateway paired on its admin site with a real portal,
 * the real b2b as its supervised child; {@code ipgw door add} with a display name, a door station
 * (raw SIP over UDP, ipgw-b2b's {@code DoorStation}) registering with digest on the b2b's embedded
 * internal SIP server, the owner renaming the door on the admin site (markup escaped), the door
 * ending its registration: the portal serves {@code door_added}, {@code door_registered}, {@code
 * door_renamed}, {@code door_unregistered} to the owner's app, once each, in order; refreshes send
 * nothing. Then the gateway is paired again for a new owner and the b2b starts over on the new
 * DOMAIN.
 */
class DoorTopologyTest {
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final String PASSWORD = "password1";
  private static final Pattern DOOR_PASSWORD =
      Pattern.compile("door front-door@[a-z0-9]{12} password \\(shown once\\): (\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static PortalExtension portal = new PortalExtension();

  @TempDir Path dir;

  @Test
  void door_events_reach_the_portal_and_pairing_again_restarts_the_b2b() throws Exception {
    String owner = Actors.newUser(portal, "owner", PASSWORD);
    TestApp ownerApp = TestApp.pair(portal, owner, PASSWORD);
    try (RunningGateway gateway =
        TestIpgw.start(portal, dir, B2bSupervision.child(Optional.empty()))) {
      AdminClient admin = new AdminClient(gateway.adminUrl());
      assertThat(admin.login(TestIpgw.ADMIN_PASSWORD).statusCode()).isEqualTo(303);
      admin.get("/pairing");
      assertThat(
              admin
                  .post(
                      "/pairing",
                      Map.of("username", owner, "password", PASSWORD, "friendly_name", "Loft"))
                  .statusCode())
          .isEqualTo(303);
      Pairing pairing = gateway.core().pairing().orElseThrow();
      String domain = pairing.domain();
      long firstPid = await("b2b running", () -> running(gateway));
      assertThat(b2bReady(dir).get("domain").asText()).isEqualTo(domain);

      // The installer adds the door station's account with its display name.
      String out =
          ipgw(
              "door",
              "add",
              "front-door",
              "--display-name",
              "Front door",
              "--root=" + root(),
              "--data=" + data());
      Matcher m = DOOR_PASSWORD.matcher(out);
      assertThat(m.find()).as(out).isTrue();
      SipPassword doorPassword = SipPassword.of(m.group(1));

      // The door station registers (the b2b takes the new account on the SIGHUP the command sent).
      InternalTarget internal = InternalTarget.parse(pairing.internalSipUri());
      InetSocketAddress server = new InetSocketAddress("127.0.0.1", internal.port());
      try (DoorStation door =
          await("door registered", () -> register(server, domain, doorPassword))) {
        List<JsonNode> seen = await("door_registered", () -> topology(ownerApp, domain, 2));
        assertThat(seen.get(0).get("type").asText()).isEqualTo("door_added");
        assertThat(seen.get(1).get("type").asText()).isEqualTo("door_registered");
        assertThat(seen.get(1).get("door").asText()).isEqualTo("front-door");
        assertThat(seen.get(1).get("name").asText()).isEqualTo("Front door");
        assertThat(seen.toString()).doesNotContain(doorPassword.reveal());
        door.registerFor(600); // a refresh is no news
        assertThat(admin.get("/doors").body()).contains("front-door", "Front door", "registered");

        // The owner renames it on the admin site; markup is escaped.
        HttpResponse<String> renamed =
            admin.post("/doors/front-door/rename", Map.of("display_name", "<b>Porch</b>"));
        assertThat(renamed.statusCode()).isEqualTo(303);
        String page = admin.get("/doors").body();
        assertThat(page).contains("&lt;b&gt;Porch&lt;/b&gt;").doesNotContain("<b>Porch");
        assertThat(
                admin
                    .post("/doors/front-door/rename", Map.of("display_name", "bad\u0007"))
                    .statusCode())
            .isEqualTo(400);
        assertThat(admin.post("/doors/nobody/rename", Map.of("display_name", "x")).statusCode())
            .isEqualTo(404);
        seen = await("door_renamed", () -> topology(ownerApp, domain, 3));
        assertThat(seen.get(2).get("type").asText()).isEqualTo("door_renamed");
        assertThat(seen.get(2).get("name").asText()).isEqualTo("<b>Porch</b>");

        // It leaves: one record, held back at most 30 s after the registration's.
        door.unregister();
        seen = await("door_unregistered", () -> topology(ownerApp, domain, 4));
        assertThat(seen.get(3).get("type").asText()).isEqualTo("door_unregistered");
        assertThat(seen.get(3).get("name").asText()).isEqualTo("<b>Porch</b>");
      }
      assertThat(admin.get("/doors").body()).contains("not registered");
      Thread.sleep(6000); // longer than a sweep of the b2b: nothing more comes
      assertThat(topology(ownerApp, domain, 0)).hasSize(4);

      // Pairing again (a new owner): the b2b starts over, on the new DOMAIN.
      String next = Actors.newUser(portal, "next", PASSWORD);
      admin.get("/pairing");
      assertThat(
              admin
                  .post(
                      "/pairing",
                      Map.of("username", next, "password", PASSWORD, "friendly_name", "Loft"))
                  .statusCode())
          .isEqualTo(303);
      String newDomain = gateway.core().pairing().orElseThrow().domain();
      assertThat(newDomain).isNotEqualTo(domain);
      long secondPid =
          await(
              "b2b restarted on " + newDomain,
              () -> {
                Long pid = running(gateway);
                return pid != null
                        && pid != firstPid
                        && newDomain.equals(b2bReady(dir).path("domain").asText())
                    ? pid
                    : null;
              });
      assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(secondPid).isNotEqualTo(firstPid);
    }
  }

  private Path root() {
    return dir.resolve("root");
  }

  private Path data() {
    return dir.resolve("data");
  }

  private static String ipgw(String... args) {
    StringWriter out = new StringWriter();
    int exit =
        IpgwCommand.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true), args);
    assertThat(exit).as(out.toString()).isZero();
    return out.toString();
  }

  private static Long running(RunningGateway gateway) {
    B2bState s = gateway.b2b().state();
    return s.status() == B2bState.Status.RUNNING ? s.pid().orElse(null) : null;
  }

  private static JsonNode b2bReady(Path dir) {
    try {
      return JSON.readTree(Files.readString(dir.resolve("data").resolve(ChildB2b.READY_FILE)));
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static DoorStation register(InetSocketAddress server, String domain, SipPassword pw) {
    try {
      return DoorStation.register(server, domain, "front-door", pw);
    } catch (IOException | AssertionError e) {
      return null; // not reloaded yet: again
    }
  }

  /** The topology events of the gateway the portal serves the app, when at least {@code n}. */
  private static List<JsonNode> topology(TestApp app, String domain, int n) {
    List<JsonNode> all = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    while (true) {
      EventPage page = app.client().events(cursor, Optional.empty(), 500);
      for (DeliveredEvent e : page.events()) {
        if (e.domain().equals(domain) && e.kind().equals("topology")) {
          try {
            all.add(JSON.readTree(e.payload()));
          } catch (IOException bad) {
            throw new AssertionError(bad);
          }
        }
      }
      if (page.events().isEmpty()) {
        return all.size() >= n ? all : null;
      }
      cursor = Optional.of(page.cursor());
    }
  }

  private static <T> T await(String what, Supplier<T> probe) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no " + what + " within " + DEADLINE.toSeconds() + " s");
  }
}
