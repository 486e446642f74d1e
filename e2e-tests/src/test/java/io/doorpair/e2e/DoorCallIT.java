package io.doorpair.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.Pem;
import io.doorpair.crypto.SipPassword;
import io.doorpair.e2e.harness.ActorProcess;
import io.doorpair.e2e.harness.AdminSession;
import io.doorpair.e2e.harness.AppDevice;
import io.doorpair.e2e.harness.LinphoneDoor;
import io.doorpair.e2e.harness.ReadyFile;
import io.doorpair.e2e.harness.Repo;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import io.doorpair.sipedge.testing.LinphoneDaemon.CallEvent;
import io.doorpair.sipedge.testing.Peers;
import io.doorpair.welcome.api.DeliveredEvent;
import io.doorpair.welcome.http.PortalClient;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Issue 6's door calls with every actor its own process on loopback: {@code bin/portal serve}
 * (SQLite), {@code bin/ipgw serve} running the b2b as its supervised child, paired by the owner on
 * its admin site; a real door station, a {@code linphone-daemon} ({@link LinphoneDoor}) registered
 * over UDP with digest on the b2b's embedded internal SIP server with the account {@code bin/ipgw
 * door add} made; three {@code linphone-daemon} phones with app certificates and gateway accounts
 * obtained through the real pairing, access request, approval and security code ({@link
 * AppDevice}): alice's phone (door calls, open door), alice's tablet (door calls only) and bob's
 * phone (cameras only: not in {@code acl.list}). What the door receives is read from its own
 * events: its call states and the DTMF it got ({@code receiving-tone}).
 */
class DoorCallIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String ALICE_PASSWORD = "alice's long password";
  private static final String BOB_PASSWORD = "bob's long password";
  private static final String INCOMING = "LinphoneCallIncomingReceived";
  private static final String CONNECTED = "LinphoneCallConnected";
  private static final String END = "LinphoneCallEnd";
  private static final String ERROR = "LinphoneCallError";
  private static final Pattern ADMIN_PASSWORD =
      Pattern.compile("admin password \\(shown once, keep it\\): ([A-Za-z0-9]{20})");
  private static final Pattern DOOR_PASSWORD =
      Pattern.compile("door door1@[a-z0-9]+ password \\(shown once\\): (\\S+)");
  private static final Pattern REGISTERED = Pattern.compile("registered ipgw@");
  // a request line as Linphone logs each SIP message it sends or receives
  private static final String INFO = "INFO sip:";
  private static final String INVITE = "INVITE sip:";
  // a 403 answering an INFO: the status line, then that message's header lines up to the CSeq
  private static final Pattern INFO_REFUSED =
      Pattern.compile("SIP/2\\.0 403 [^\\r\\n]*(?:\\r?\\n[^\\r\\n]+)*?\\r?\\nCSeq: *\\d+ INFO");

  @Test
  void door_calls_ring_the_allowed_devices_and_phones_call_the_door_through_every_process(
      TestInfo info) throws Exception {
    Peers.require("linphone-daemon", "linphone-cli");
    Path work =
        Repo.workDir(getClass().getSimpleName(), info.getTestMethod().orElseThrow().getName());
    Path portalDir = work.resolve("portal");
    Path data = portalDir.resolve("data");
    ActorProcess portal = ActorProcess.portal(portalDir, data);
    List<ActorProcess> portals = new ArrayList<>(List.of(portal));
    try {
      ReadyFile ready = portal.awaitReady(data.resolve("ready.json"), START);
      ActorProcess.addPortalUser(work, data, "alice", ALICE_PASSWORD);
      ActorProcess.addPortalUser(work, data, "bob", BOB_PASSWORD);
      String portalDomain = ready.json().get("domain").asText();
      int apiPort = Integer.parseInt(ready.api().replaceAll(".*:", "").replace("/", ""));
      int sipPort = Integer.parseInt(ready.json().get("sip").asText().replaceAll(".*:", ""));
      X509Certificate ca = Pem.parseCertificate(Files.readString(data.resolve("ca.pem")));
      int internalPort = freeUdpAndTcpPort();

      Path gw = work.resolve("ipgw");
      Path root = gw.resolve("root");
      Path gwData = gw.resolve("data");
      try (ActorProcess ipgw =
          ActorProcess.start(
              "ipgw",
              gw,
              Map.of(),
              "ipgw",
              "serve",
              "--root=" + root,
              "--data=" + gwData,
              "--portal=" + ready.api(),
              "--portal-ca=" + data.resolve("ca.pem"),
              // the portal's certificate carries localhost (Linphone and the b2b check the name)
              "--portal-sip=sips:localhost:" + sipPort,
              "--internal-sip=sip:127.0.0.1:" + internalPort,
              "--admin=127.0.0.1:0",
              "--key-bits=2048")) {
        try {
          String site =
              ipgw.awaitReady(gwData.resolve("ready.json"), START).json().get("admin").asText();
          AdminSession owner = new AdminSession(site);
          owner.get("/login");
          String adminPassword = find(ADMIN_PASSWORD, Files.readString(gw.resolve("ipgw.log")));
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
              find(Pattern.compile("id=\"domain\">([a-z0-9]{12})<"), owner.get("/pairing").body());

          // The installer gives the door station its account on the internal SIP server.
          ActorProcess.Result door1 =
              ActorProcess.run(
                  gw,
                  "",
                  Duration.ofSeconds(60),
                  "ipgw",
                  "door",
                  "add",
                  "door1",
                  "--root=" + root,
                  "--data=" + gwData);
          assertThat(door1.exit()).as(door1.output()).isZero();
          SipPassword doorPassword = SipPassword.of(find(DOOR_PASSWORD, door1.output()));

          PortalClient firstContact =
              PortalClient.builder(ready.api()).trustAnchors(List.of(ca)).build();
          Path profiles = work.resolve("apps");
          AppDevice phone =
              AppDevice.enable(
                  profiles,
                  firstContact,
                  owner,
                  portalDomain,
                  domain,
                  "alice",
                  ALICE_PASSWORD,
                  "Alice's phone",
                  Map.of("door_calls", "on", "open_door", "on"));
          AppDevice tablet =
              AppDevice.enable(
                  profiles,
                  firstContact,
                  owner,
                  portalDomain,
                  domain,
                  "alice",
                  ALICE_PASSWORD,
                  "Alice's tablet",
                  Map.of("door_calls", "on"));
          // bob asks too, invited as a guest by the owner (a user outside the ACL: cameras only)
          assertThat(phone.client().inviteGuest(domain, "bob")).isTrue();
          AppDevice bob =
              AppDevice.enable(
                  profiles,
                  firstContact,
                  owner,
                  portalDomain,
                  domain,
                  "bob",
                  BOB_PASSWORD,
                  "Bob's phone",
                  Map.of("cameras", "on"));
          awaitTrue(
              () -> log(gwData.resolve("b2b.log")).contains("registered ipgw@" + domain),
              "the supervised b2b registered at the portal");

          InetSocketAddress proxy = new InetSocketAddress("localhost", sipPort);
          InetSocketAddress internal = new InetSocketAddress("127.0.0.1", internalPort);
          String ipgwUri = "sip:ipgw@" + domain;
          String doorUri = "sip:door1@" + domain;
          try (LinphoneDaemon alicePhone = phone.linphone(portalDomain, ca, proxy, domain, true);
              LinphoneDaemon aliceTablet = tablet.linphone(portalDomain, ca, proxy, domain, true);
              LinphoneDaemon bobPhone = bob.linphone(portalDomain, ca, proxy, domain, true);
              LinphoneDaemon door =
                  LinphoneDoor.register(
                      work.resolve("door"), "door1", domain, doorPassword, internal, DEADLINE)) {
            alicePhone.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
            aliceTablet.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
            bobPhone.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);

            // 1. The door rings both of alice's devices, not bob; the phone answers, the tablet
            // stops ringing; the phone (open-door right) sends the door-open command, which the
            // door receives; the door hangs up and the phone gets BYE.
            int call = door.call(ipgwUri);
            CallEvent ringsPhone = alicePhone.awaitCallState(INCOMING);
            CallEvent ringsTablet = aliceTablet.awaitCallState(INCOMING);
            assertThat(ringsPhone.from()).contains("door1@" + domain);
            assertThat(ringsTablet.from()).contains("door1@" + domain);
            alicePhone.answer(ringsPhone.callId());
            door.awaitCallState(call, CONNECTED);
            alicePhone.awaitCallState(ringsPhone.callId(), CONNECTED);
            aliceTablet.awaitCallState(ringsTablet.callId(), END);
            assertThat(aliceTablet.events()).noneMatch(e -> e.state().equals(CONNECTED));
            int doorLog = door.log().length();
            alicePhone.dtmf('1');
            door.awaitTone(call, '1');
            assertThat(door.log().substring(doorLog))
                .as("the INFO reached the door")
                .contains(INFO);
            door.terminate(call);
            alicePhone.awaitCallState(ringsPhone.callId(), END);
            door.awaitCallState(call, END);
            assertThat(bobPhone.events()).as("bob is not in acl.list").isEmpty();

            // 2. The next door call: the tablet answers, the phone stops ringing; the tablet has
            // no open-door right: the b2b refuses its command with 403 and the door never gets
            // it; the tablet hangs up and the door gets BYE.
            int second = door.call(ipgwUri);
            CallEvent phoneAgain = alicePhone.awaitEvent(INCOMING, e -> isNew(e, ringsPhone));
            CallEvent tabletAgain = aliceTablet.awaitEvent(INCOMING, e -> isNew(e, ringsTablet));
            aliceTablet.answer(tabletAgain.callId());
            door.awaitCallState(second, CONNECTED);
            aliceTablet.awaitCallState(tabletAgain.callId(), CONNECTED);
            alicePhone.awaitCallState(phoneAgain.callId(), END);
            int tabletLog = aliceTablet.log().length();
            int doorLogBefore = door.log().length();
            aliceTablet.dtmf('1');
            awaitTrue(
                () -> INFO_REFUSED.matcher(aliceTablet.log().substring(tabletLog)).find(),
                "the b2b refuses the tablet's INFO with 403");
            aliceTablet.terminate(tabletAgain.callId());
            door.awaitCallState(second, END);
            aliceTablet.awaitCallState(tabletAgain.callId(), END);
            assertThat(door.tones()).noneMatch(t -> t.callId() == second);
            assertThat(door.log().substring(doorLogBefore)).doesNotContain(INFO);
            assertThat(bobPhone.events()).as("bob is not in acl.list").isEmpty();

            // 3. A phone calls the door: a wrong gateway password is refused and the door never
            // rings; the right one rings the door.
            long doorRings = count(door.events(), INCOMING);
            int doorLogAtWrong = door.log().length();
            try (LinphoneDaemon wrong =
                phone
                    .withSipPassword("wrongpassword" + phone.sipPassword().substring(13))
                    .linphone(portalDomain, ca, proxy, domain, false)) {
              int refused = wrong.call(doorUri);
              wrong.awaitEvent(
                  "the call refused",
                  e -> e.callId() == refused && (e.state().equals(ERROR) || e.state().equals(END)));
              assertThat(wrong.events()).noneMatch(e -> e.state().equals(CONNECTED));
            }
            assertThat(count(door.events(), INCOMING))
                .as("the door never rang")
                .isEqualTo(doorRings);
            int toDoor = alicePhone.call(doorUri);
            CallEvent atDoor = door.awaitEvent(INCOMING, e -> e.state().equals(INCOMING));
            door.answer(atDoor.callId());
            alicePhone.awaitCallState(toDoor, CONNECTED);
            door.awaitCallState(atDoor.callId(), CONNECTED);

            // 4. The door-open command in the phone's own call: the phone has the right, so the
            // door gets it; the phone hangs up and the door gets BYE.
            alicePhone.dtmf('1');
            door.awaitTone(atDoor.callId(), '1');
            alicePhone.terminate(toDoor);
            door.awaitCallState(atDoor.callId(), END);
            alicePhone.awaitCallState(toDoor, END);

            // The tablet (door calls, no open-door right) calls the door, which answers; its
            // door-open command is refused by the b2b and never reaches the door; the door hangs
            // up and the tablet gets BYE.
            int fromTablet = aliceTablet.call(doorUri);
            CallEvent tabletAtDoor = door.awaitEvent(INCOMING, e -> isNew(e, atDoor));
            door.answer(tabletAtDoor.callId());
            aliceTablet.awaitCallState(fromTablet, CONNECTED);
            door.awaitCallState(tabletAtDoor.callId(), CONNECTED);
            int tabletCallLog = aliceTablet.log().length();
            int doorCallLog = door.log().length();
            aliceTablet.dtmf('1');
            awaitTrue(
                () -> INFO_REFUSED.matcher(aliceTablet.log().substring(tabletCallLog)).find(),
                "the b2b refuses the tablet's INFO with 403");
            door.terminate(tabletAtDoor.callId());
            aliceTablet.awaitCallState(fromTablet, END);
            door.awaitCallState(tabletAtDoor.callId(), END);
            assertThat(door.log().substring(doorCallLog)).doesNotContain(INFO);
            assertThat(door.tones())
                .as("the door received only the phone's two commands")
                .noneMatch(t -> t.callId() == tabletAtDoor.callId())
                .hasSize(2);

            // 5. kill -9 of the portal, restarted on the same ports: the b2b registers again
            // within 10 s and the next door call rings.
            int registrations = count(REGISTERED, log(gwData.resolve("b2b.log")));
            portal.kill9();
            portal =
                ActorProcess.start(
                    "portal",
                    portalDir,
                    Map.of(),
                    "portal",
                    "serve",
                    "--data=" + data,
                    "--api=127.0.0.1:" + apiPort,
                    "--sip=127.0.0.1:" + sipPort);
            portals.add(portal);
            portal.awaitReady(data.resolve("ready.json"), START);
            long up = System.nanoTime();
            awaitTrue(
                () -> count(REGISTERED, log(gwData.resolve("b2b.log"))) > registrations,
                "the b2b registered again after the portal restart");
            Duration reRegistered = Duration.ofNanos(System.nanoTime() - up);
            assertThat(reRegistered)
                .as("registered again after the portal was ready")
                .isLessThanOrEqualTo(Duration.ofSeconds(10));
            // The portal keeps registrations in memory: Linphone notices the lost connection only
            // at its keep-alive (about a minute here), so alice's phone app is started again, as
            // the app would re-register on its push wake-up. The door call then rings it, and the
            // door gives up (CANCEL): a missed call.
            // (closing twice is harmless: the try's close at the end finds it stopped)
            LinphoneDaemon stale = alicePhone;
            stale.close();
            try (LinphoneDaemon phoneRestarted =
                phone.linphone(portalDomain, ca, proxy, domain, true)) {
              phoneRestarted.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
              int afterRestart = door.call(ipgwUri);
              CallEvent rings = phoneRestarted.awaitCallState(INCOMING);
              assertThat(rings.from()).contains("door1@" + domain);
              door.terminate(afterRestart);
              phoneRestarted.awaitCallState(rings.callId(), END);
              door.awaitCallState(afterRestart, END);
              assertThat(phoneRestarted.events()).noneMatch(e -> e.state().equals(CONNECTED));
            }

            // 6. The journal of these calls reaches the portal: answered, door opened, missed.
            List<String> kinds = new ArrayList<>();
            awaitTrue(
                () -> {
                  kinds.clear();
                  for (DeliveredEvent e :
                      phone.client().events(Optional.empty(), Optional.empty(), 500).events()) {
                    if (e.kind().equals("journal") && e.domain().equals(domain)) {
                      kinds.add(e.payload());
                    }
                  }
                  return kinds.stream().anyMatch(p -> p.contains("\"answered\""))
                      && kinds.stream().filter(p -> p.contains("\"door_opened\"")).count() == 2
                      && kinds.stream().anyMatch(p -> p.contains("\"missed\""));
                },
                "answered, two door_opened and missed journal events at the portal");
            assertThat(kinds).anyMatch(p -> p.contains("\"door1\"") && p.contains("\"alice\""));
            assertThat(kinds).noneMatch(p -> p.contains("\"bob\""));
          }
          assertThat(Files.readString(gw.resolve("ipgw.log")))
              .doesNotContain(doorPassword.reveal())
              .doesNotContain(phone.sipPassword());
          assertThat(log(gwData.resolve("b2b.log")))
              .doesNotContain(doorPassword.reveal())
              .doesNotContain(phone.sipPassword());
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(
              e.getMessage()
                  + "\n"
                  + ipgw.tail()
                  + "\n--- b2b.log ---\n"
                  + tail(gwData.resolve("b2b.log"))
                  + "\n"
                  + portal.tail(),
              e);
        }
      }
    } finally {
      for (ActorProcess p : portals) {
        p.close();
      }
    }
  }

  private static boolean isNew(CallEvent e, CallEvent old) {
    return e.state().equals(INCOMING) && e.callId() != old.callId();
  }

  private static long count(List<CallEvent> events, String state) {
    return events.stream().filter(e -> e.state().equals(state)).count();
  }

  private static int freeUdpAndTcpPort() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
          DatagramSocket udp =
              new DatagramSocket(
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp.getLocalPort()))) {
        return udp.getLocalPort();
      } catch (IOException e) {
        // the UDP port was taken: try another
      }
    }
    throw new IOException("no port free for both UDP and TCP");
  }

  private static String log(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(Path file) {
    String text = log(file);
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
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }
}
