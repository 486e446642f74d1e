package io.doorpair.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.testing.DoorStation;
import io.doorpair.b2b.testing.DoorStation.Received;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.SipPassword;
import io.doorpair.e2e.harness.ActorProcess;
import io.doorpair.e2e.harness.AdminSession;
import io.doorpair.e2e.harness.ReadyFile;
import io.doorpair.e2e.harness.Repo;
import io.doorpair.sipedge.testing.LinphoneConfig;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import io.doorpair.sipedge.testing.LinphoneDaemon.CallEvent;
import io.doorpair.sipedge.testing.Peers;
import io.doorpair.welcome.api.DeliveredEvent;
import io.doorpair.welcome.api.RequestStatus;
import io.doorpair.welcome.flow.Pairing;
import io.doorpair.welcome.flow.PairingRequest;
import io.doorpair.welcome.flow.ReceivedAccount;
import io.doorpair.welcome.flow.WaitProgress;
import io.doorpair.welcome.flow.WelcomeApp;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.profile.PairedIdentity;
import io.doorpair.welcome.profile.Profile;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Issue 6's door calls with every actor its own process on loopback: {@code bin/portal serve}
 * (SQLite), {@code bin/ipgw serve} running the b2b as its supervised child, paired by the owner on
 * its admin site; a door station (the project's raw-SIP {@code DoorStation} over UDP) registered on
 * the b2b's embedded internal SIP server with an account made by {@code bin/ipgw door add}; three
 * {@code linphone-daemon} phones with app certificates and gateway accounts obtained through the
 * real pairing, access request, approval and security code (the app side is welcome-client's {@code
 * io.doorpair.welcome.flow} library, the owner's the admin site over HTTP): alice's phone (door
 * calls, open door), alice's tablet (door calls only) and bob's phone (cameras only: not in {@code
 * acl.list}). The calls' journal and the door's topology events (added, registered) reach the
 * portal.
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
      Pattern.compile("admin password generated: read it in (\\S+) \\(mode 0600");
  private static final Pattern DOOR_PASSWORD =
      Pattern.compile("door door1@[a-z0-9]+ password \\(shown once\\): (\\S+)");
  private static final Pattern REGISTERED = Pattern.compile("registered ipgw@");

  /** A device paired at the portal with an enabled account at the gateway. */
  private record Device(
      String user,
      UUID instance,
      PrivateKey key,
      X509Certificate certificate,
      PortalClient client,
      String sipUsername,
      String sipPassword) {}

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
          String adminPassword =
              Files.readString(
                      Path.of(find(ADMIN_PASSWORD, Files.readString(gw.resolve("ipgw.log")))))
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
          Device phone =
              enable(
                  profiles,
                  firstContact,
                  owner,
                  portalDomain,
                  domain,
                  "alice",
                  ALICE_PASSWORD,
                  "Alice's phone",
                  Map.of("door_calls", "on", "open_door", "on"));
          Device tablet =
              enable(
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
          Device bob =
              enable(
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
          try (LinphoneDaemon alicePhone = linphone(phone, portalDomain, ca, proxy, domain, true);
              LinphoneDaemon aliceTablet = linphone(tablet, portalDomain, ca, proxy, domain, true);
              LinphoneDaemon bobPhone = linphone(bob, portalDomain, ca, proxy, domain, true);
              DoorStation door = registerDoor(internal, domain, doorPassword)) {
            alicePhone.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
            aliceTablet.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
            bobPhone.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);

            // 1. The door rings both of alice's devices, not bob; the phone answers, the tablet
            // stops ringing; the door hangs up.
            int mark = door.mark();
            DoorStation.Outgoing call = door.call("ipgw");
            CallEvent ringsPhone = alicePhone.awaitCallState(INCOMING);
            CallEvent ringsTablet = aliceTablet.awaitCallState(INCOMING);
            assertThat(ringsPhone.from()).contains("door1@" + domain);
            alicePhone.answer(ringsPhone.callId());
            Received ok = awaitOk(door, mark);
            door.ack(call, ok);
            alicePhone.awaitCallState(ringsPhone.callId(), CONNECTED);
            aliceTablet.awaitCallState(ringsTablet.callId(), END);
            assertThat(aliceTablet.events()).noneMatch(e -> e.state().equals(CONNECTED));
            assertThat(bobPhone.events()).as("bob is not in acl.list").isEmpty();
            door.bye(call, ok);
            alicePhone.awaitCallState(ringsPhone.callId(), END);
            door.await("200 to the BYE", mark, r -> r.status() == 200 && r.isResponseTo("BYE"));

            // 2. The tablet answers the next door call and hangs up: the door gets BYE.
            mark = door.mark();
            call = door.call("ipgw");
            CallEvent second = aliceTablet.awaitEvent(INCOMING, e -> isNew(e, ringsTablet));
            aliceTablet.answer(second.callId());
            ok = awaitOk(door, mark);
            door.ack(call, ok);
            aliceTablet.awaitCallState(second.callId(), CONNECTED);
            aliceTablet.terminate(second.callId());
            Received bye = door.await("BYE from the b2b", mark, r -> r.isRequest("BYE"));
            door.reply(bye, 200, "", "");
            aliceTablet.awaitCallState(second.callId(), END);
            assertThat(bobPhone.events()).as("bob is not in acl.list").isEmpty();

            // 3. A phone calls the door: a wrong password is refused and the door sees nothing;
            // the right one rings the door.
            String doorUri = "sip:door1@" + domain;
            try (LinphoneDaemon wrong =
                linphone(
                    new Device(
                        phone.user(),
                        phone.instance(),
                        phone.key(),
                        phone.certificate(),
                        phone.client(),
                        phone.sipUsername(),
                        "wrongpassword" + phone.sipPassword().substring(13)),
                    portalDomain,
                    ca,
                    proxy,
                    domain,
                    false)) {
              mark = door.mark();
              int refused = wrong.call(doorUri);
              wrong.awaitEvent(
                  "the call refused",
                  e -> e.callId() == refused && (e.state().equals(ERROR) || e.state().equals(END)));
              assertThat(door.received().subList(mark, door.mark()))
                  .noneMatch(r -> r.isRequest("INVITE"));
            }
            mark = door.mark();
            int toDoor = alicePhone.call(doorUri);
            Received rings = door.await("the phone's INVITE", mark, r -> r.isRequest("INVITE"));
            door.reply(rings, 180, "d3", "");
            door.reply(rings, 200, "d3", DoorStation.OFFER.replace("o=door", "o=answer"));
            alicePhone.awaitCallState(toDoor, CONNECTED);

            // 4. The door-open command (SIP INFO): the phone has the right, so the door gets it.
            int before = door.mark();
            alicePhone.dtmf('1');
            Received opened = door.await("the door-open INFO", before, r -> r.isRequest("INFO"));
            door.reply(opened, 200, "d3", "");
            alicePhone.terminate(toDoor);
            Received byeFromPhone =
                door.await("BYE from the phone's call", before, r -> r.isRequest("BYE"));
            door.reply(byeFromPhone, 200, "d3", "");
            alicePhone.awaitCallState(toDoor, END);

            // The tablet (door calls, no open-door right) calls the door, which answers; its
            // door-open command is refused by the b2b and never reaches the door.
            mark = door.mark();
            int fromTablet = aliceTablet.call(doorUri);
            Received tabletRings =
                door.await("the tablet's INVITE", mark, r -> r.isRequest("INVITE"));
            door.reply(tabletRings, 200, "d4", DoorStation.OFFER.replace("o=door", "o=answer"));
            aliceTablet.awaitCallState(fromTablet, CONNECTED);
            int tabletLog = aliceTablet.log().length();
            aliceTablet.dtmf('1');
            awaitTrue(
                () -> aliceTablet.log().substring(tabletLog).contains("403"),
                "the b2b refuses the tablet's INFO with 403");
            aliceTablet.terminate(fromTablet);
            Received tabletBye =
                door.await("BYE from the tablet's call", mark, r -> r.isRequest("BYE"));
            door.reply(tabletBye, 200, "d4", "");
            assertThat(door.received().subList(mark, door.mark()))
                .noneMatch(r -> r.isRequest("INFO"));

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
            // the app would re-register on its push wake-up. The door call then rings it.
            // (closing twice is harmless: the try's close at the end finds it stopped)
            LinphoneDaemon stale = alicePhone;
            stale.close();
            try (LinphoneDaemon phoneAgain =
                linphone(phone, portalDomain, ca, proxy, domain, true)) {
              phoneAgain.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
              mark = door.mark();
              call = door.call("ipgw");
              CallEvent afterRestart = phoneAgain.awaitCallState(INCOMING);
              assertThat(afterRestart.from()).contains("door1@" + domain);
              door.await("180 to the door", mark, r -> r.status() == 180);
              door.cancel(call);
              door.await("487 to the INVITE", mark, r -> r.status() == 487);
              phoneAgain.awaitCallState(afterRestart.callId(), END);
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
                      && kinds.stream().anyMatch(p -> p.contains("\"door_opened\""))
                      && kinds.stream().anyMatch(p -> p.contains("\"missed\""));
                },
                "answered, door_opened and missed journal events at the portal");
            assertThat(kinds).anyMatch(p -> p.contains("\"door1\"") && p.contains("\"alice\""));
            assertThat(kinds).noneMatch(p -> p.contains("\"bob\""));

            // 7. The door station's account and its registration on the b2b's internal server
            // reached the portal as topology events (b2b spool, ipgw's intake and outbox).
            List<String> topology = new ArrayList<>();
            awaitTrue(
                () -> {
                  topology.clear();
                  for (DeliveredEvent e :
                      phone.client().events(Optional.empty(), Optional.empty(), 500).events()) {
                    if (e.kind().equals("topology") && e.domain().equals(domain)) {
                      topology.add(e.payload());
                    }
                  }
                  return topology.stream().anyMatch(p -> p.contains("\"door_registered\""));
                },
                "a door_registered topology event at the portal");
            assertThat(topology.get(0)).contains("\"door_added\"", "\"door1\"");
            assertThat(topology)
                .anyMatch(p -> p.contains("\"door_registered\"") && p.contains("\"door1\""));
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

  /**
   * A device of {@code user}: paired at the portal, asks the gateway for an account, the owner
   * approves it on the admin site with {@code rights} and types the device's security code; the
   * device decrypts its password.
   */
  private static Device enable(
      Path profiles,
      PortalClient firstContact,
      AdminSession owner,
      String portalDomain,
      String domain,
      String user,
      String password,
      String deviceName,
      Map<String, String> rights)
      throws Exception {
    // The app's side is welcome-client's library: pairing, the access request, the account and
    // the security code it shows.
    Profile profile = Profile.at(profiles.resolve(UUID.randomUUID().toString()));
    PairedIdentity identity =
        new Pairing(new SecureRandom())
            .pair(
                firstContact,
                profile,
                new PairingRequest(user, portalDomain, deviceName),
                password.toCharArray());
    WelcomeApp app = WelcomeApp.open(profile);
    assertThat(app.request(domain).status()).isEqualTo(RequestStatus.PENDING);
    String escaped = deviceName.replace("'", "&#39;");
    awaitTrue(
        () -> owner.get("/requests").body().contains(escaped), deviceName + " on the admin site");
    // one request at a time: the earlier ones are enabled and off the list
    String id = find(Pattern.compile("href=\"/requests/([0-9]+)\""), owner.get("/requests").body());
    owner.get("/requests/" + id);
    assertThat(owner.post("/requests/" + id + "/approve", rights).statusCode()).isEqualTo(303);
    ReceivedAccount account = app.awaitAccount(domain, DEADLINE, WaitProgress.NONE);
    owner.get("/requests/" + id);
    assertThat(
            owner
                .post("/requests/" + id + "/code", Map.of("code", account.code().value()))
                .statusCode())
        .isEqualTo(303);
    return new Device(
        user,
        identity.settings().instance(),
        identity.key(),
        identity.certificate(),
        app.portal(),
        account.account().sipUsername(),
        app.sipPassword(domain).reveal());
  }

  /**
   * A Linphone for {@code device}: its certificate at the portal, and its gateway account as digest
   * credentials for realm DOMAIN; DTMF sent as SIP INFO (the door-open command the b2b checks).
   */
  private static LinphoneDaemon linphone(
      Device device,
      String portalDomain,
      X509Certificate ca,
      InetSocketAddress proxy,
      String domain,
      boolean register)
      throws IOException {
    LinphoneConfig config =
        new LinphoneConfig(
            device.user(),
            portalDomain,
            Optional.of(device.instance()),
            device.key(),
            List.of(device.certificate()),
            ca,
            proxy,
            register);
    String extra =
        String.join(
            "\n",
            "[sip]",
            "use_info=1",
            "use_rfc2833=0",
            "",
            "[auth_info_1]",
            "username=" + device.user(),
            "userid=" + device.sipUsername(),
            "passwd=" + device.sipPassword(),
            "realm=" + domain,
            "domain=" + portalDomain,
            "");
    return LinphoneDaemon.start(config, extra);
  }

  private static DoorStation registerDoor(
      InetSocketAddress internal, String domain, SipPassword password) throws Exception {
    // the b2b rereads the password file on the SIGHUP `ipgw door add` or an approval sent
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      try {
        return DoorStation.register(internal, domain, "door1", password);
      } catch (IOException | AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the door station could not register: " + e.getMessage(), e);
        }
        Thread.sleep(500);
      }
    }
  }

  private static Received awaitOk(DoorStation door, int mark) {
    return door.await("200 to the door", mark, r -> r.status() == 200 && r.isResponseTo("INVITE"));
  }

  private static boolean isNew(CallEvent e, CallEvent old) {
    return e.state().equals(INCOMING) && e.callId() != old.callId();
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
