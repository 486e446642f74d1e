package io.doorpair.b2b;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.b2b.conf.AccountsList;
import io.doorpair.b2b.conf.AppAccount;
import io.doorpair.b2b.conf.B2bConf;
import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.doorsim.DoorStation;
import io.doorpair.b2b.doorsim.DoorStation.Received;
import io.doorpair.b2b.journal.CallRecord;
import io.doorpair.b2b.testing.GatewayRoot;
import io.doorpair.b2b.testing.GatewayRoot.App;
import io.doorpair.b2b.testing.LanPhone;
import io.doorpair.b2b.upstream.Backoff;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.SipEdge;
import io.doorpair.sipedge.SipEdgeConfig;
import io.doorpair.sipedge.testing.LinphoneConfig;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import io.doorpair.sipedge.testing.LinphoneDaemon.CallEvent;
import io.doorpair.sipedge.testing.Peers;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Door calls through the whole chain with real peers: the portal SIP server in-process, phones
 * played by linphone-daemon with app certificates registered at it (alice with a phone and a
 * tablet, bob with one phone, only alice in {@code acl.list}), and a door station speaking raw SIP
 * over UDP registered at the embedded internal server.
 */
class BridgeTest {
  private static final String DOMAIN = "bridge000001";
  private static final String PORTAL = "portal.test";
  private static final SipPassword DOOR_PASSWORD = SipPassword.of("DoorPassw0rd");
  private static final TestPki PKI = TestPki.shared();
  private static final B2bSettings FAST =
      new B2bSettings(
          Duration.ofSeconds(600),
          Duration.ofSeconds(5),
          new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)),
          true);

  @TempDir Path dir;

  private RunningSipEdge edge;
  private GatewayRoot gateway;
  private RunningB2b b2b;
  private final List<CallRecord> journal = new CopyOnWriteArrayList<>();

  /** The call records of the journal (without the door stations' registrations). */
  private List<CallRecord> calls() {
    return journal.stream()
        .filter(
            r ->
                r.kind() != CallRecord.Kind.DOOR_REGISTERED
                    && r.kind() != CallRecord.Kind.DOOR_UNREGISTERED)
        .toList();
  }

  private final UUID alicePhoneId = UUID.randomUUID();
  private final UUID aliceTabletId = UUID.randomUUID();
  private final UUID bobPhoneId = UUID.randomUUID();

  @BeforeEach
  void start() throws Exception {
    Peers.require("linphone-daemon", "linphone-cli");
    Leaf server = PKI.issueServer("localhost", "127.0.0.1");
    edge =
        SipEdge.start(
            SipEdgeConfig.of(
                SipEdgeConfig.parseListen("127.0.0.1:0"),
                PORTAL,
                List.of(PKI.caCertificate()),
                server.keys().getPrivate(),
                List.of(server.certificate())));
    gateway =
        GatewayRoot.write(
            dir,
            PKI,
            DOMAIN,
            "sips:localhost:" + edge.sipAddress().getPort(),
            List.of("alice"),
            List.of(new PasswdEntry("door1", DOMAIN, DOOR_PASSWORD)),
            apps(true));
    // the door station speaks UDP: so does the b2b towards the internal server
    GatewayRoot.write(
        gateway.paths().b2bConf(),
        Files.readString(gateway.paths().b2bConf()).replace(";transport=tcp", ";transport=udp"),
        "rw-------");
    b2b = B2b.start(gateway.paths(), FAST, journal::add);
    awaitTrue(b2b::portalRegistered);
    awaitTrue(b2b::internalRegistered);
  }

  @AfterEach
  void stop() throws InterruptedException {
    try {
      if (b2b != null) {
        // no case leaves call state behind: the bridge's live calls return to 0
        awaitTrue(() -> b2b.calls() == 0);
      }
    } finally {
      if (b2b != null) {
        b2b.close();
      }
      if (edge != null) {
        edge.close();
      }
    }
  }

  /** alice's phone (open-door) and tablet, bob's phone; bob rings only when {@code bobRings}. */
  private List<App> apps(boolean bobHasDoorCalls) {
    return List.of(
        new App(
            new AppAccount(
                "alice-phone", "alice", gruu("alice", alicePhoneId), true, true, false, false),
            SipPassword.of("AlicePhonePassw0rd")),
        new App(
            new AppAccount(
                "alice-tablet", "alice", gruu("alice", aliceTabletId), true, false, false, false),
            SipPassword.of("AliceTabletPassw0rd")),
        new App(
            new AppAccount(
                "bob-phone", "bob", gruu("bob", bobPhoneId), bobHasDoorCalls, false, true, false),
            SipPassword.of("BobPhonePassw0rd")));
  }

  private static Optional<String> gruu(String user, UUID id) {
    return Optional.of("sip:" + user + "@" + PORTAL + ";gr=urn:uuid:" + id);
  }

  private LinphoneDaemon phone(String user, UUID id) throws Exception {
    Leaf leaf = PKI.issueClient(user + "@" + PORTAL, Optional.of(id));
    LinphoneDaemon daemon =
        LinphoneDaemon.start(
            new LinphoneConfig(
                user,
                PORTAL,
                Optional.of(id),
                leaf.keys().getPrivate(),
                List.of(leaf.certificate()),
                PKI.caCertificate(),
                new InetSocketAddress("localhost", edge.sipAddress().getPort()),
                true));
    daemon.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
    return daemon;
  }

  private DoorStation door() throws Exception {
    return DoorStation.register(internalAddress(), DOMAIN, "door1", DOOR_PASSWORD);
  }

  private InetSocketAddress internalAddress() throws Exception {
    String conf = Files.readString(gateway.paths().b2bConf());
    String uri =
        conf.lines().filter(l -> l.startsWith("internal-sip-uri")).findFirst().orElseThrow();
    String hostPort = uri.substring(uri.indexOf("sip:") + 4).split(";")[0];
    return new InetSocketAddress("127.0.0.1", Integer.parseInt(hostPort.split(":")[1]));
  }

  private static boolean incoming(LinphoneDaemon phone) {
    return phone.events().stream().anyMatch(e -> e.state().equals("LinphoneCallIncomingReceived"));
  }

  @Test
  void the_door_rings_both_devices_of_the_acl_user_the_first_answer_wins_and_bye_ends_both()
      throws Exception {
    try (LinphoneDaemon phone = phone("alice", alicePhoneId);
        LinphoneDaemon tablet = phone("alice", aliceTabletId);
        LinphoneDaemon bob = phone("bob", bobPhoneId);
        DoorStation door = door()) {
      int mark = door.mark();
      DoorStation.Outgoing call = door.call("ipgw");
      CallEvent ringsPhone = phone.awaitCallState("LinphoneCallIncomingReceived");
      CallEvent ringsTablet = tablet.awaitCallState("LinphoneCallIncomingReceived");
      assertThat(ringsPhone.from()).contains("door1@" + DOMAIN);
      door.await("180 relayed to the door", mark, r -> r.status() == 180 || r.status() == 183);

      phone.answer(ringsPhone.callId());
      Received ok =
          door.await("200 to the door", mark, r -> r.status() == 200 && r.isResponseTo("INVITE"));
      assertThat(ok.body()).contains("m=audio");
      door.ack(call, ok);
      phone.awaitCallState(ringsPhone.callId(), "LinphoneCallConnected");
      tablet.awaitCallState(ringsTablet.callId(), "LinphoneCallEnd");
      assertThat(tablet.events()).noneMatch(e -> e.state().equals("LinphoneCallConnected"));
      assertThat(incoming(bob)).as("bob is not in acl.list").isFalse();
      awaitTrue(() -> journal.stream().anyMatch(r -> r.kind() == CallRecord.Kind.ANSWERED));
      CallRecord answered = calls().get(0);
      assertThat(answered.door()).isEqualTo("door1");
      // the door's registration on the embedded internal server was journalled once
      assertThat(journal)
          .filteredOn(r -> r.kind() == CallRecord.Kind.DOOR_REGISTERED)
          .extracting(CallRecord::door)
          .containsExactly("door1");
      assertThat(answered.user()).contains("alice");

      door.bye(call, ok);
      phone.awaitCallState(ringsPhone.callId(), "LinphoneCallEnd");
      door.await("200 to the BYE", mark, r -> r.status() == 200 && r.isResponseTo("BYE"));
      awaitTrue(() -> b2b.calls() == 0);
    }
  }

  /**
   * A real Linphone door station (digest over UDP, the internal server as its outbound proxy, so a
   * {@code Route} naming it on its INVITE) calls the b2b's entry {@code sip:ipgw@DOMAIN}: the
   * internal proxy takes its credentials and forwards to the b2b, alice's phone answers, and either
   * side hangs up.
   */
  @Test
  void a_linphone_door_station_calls_ipgw_through_the_internal_proxy_and_either_side_hangs_up()
      throws Exception {
    Path lan = Files.createDirectories(dir.resolve("lan"));
    try (LinphoneDaemon phone = phone("alice", alicePhoneId);
        LinphoneDaemon door =
            LanPhone.start(lan, "door1", DOMAIN, DOOR_PASSWORD, internalAddress())) {
      door.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
      int call = door.call("sip:ipgw@" + DOMAIN);
      CallEvent rings = phone.awaitCallState("LinphoneCallIncomingReceived");
      assertThat(rings.from()).contains("door1@" + DOMAIN);
      phone.answer(rings.callId());
      door.awaitCallState(call, "LinphoneCallConnected");
      phone.awaitCallState(rings.callId(), "LinphoneCallConnected");
      door.terminate(call);
      phone.awaitCallState(rings.callId(), "LinphoneCallEnd");
      door.awaitCallState(call, "LinphoneCallEnd");
      awaitTrue(() -> b2b.calls() == 0);

      int second = door.call("sip:ipgw@" + DOMAIN);
      CallEvent again =
          phone.awaitEvent(
              "a second incoming call",
              e ->
                  e.state().equals("LinphoneCallIncomingReceived") && e.callId() != rings.callId());
      phone.answer(again.callId());
      door.awaitCallState(second, "LinphoneCallConnected");
      phone.terminate(again.callId());
      door.awaitCallState(second, "LinphoneCallEnd");
      phone.awaitCallState(again.callId(), "LinphoneCallEnd");
      awaitTrue(() -> b2b.calls() == 0);
      assertThat(journal).filteredOn(r -> r.kind() == CallRecord.Kind.ANSWERED).hasSize(2);
    }
  }

  @Test
  void a_device_without_open_door_negotiates_no_telephone_event_with_the_door() throws Exception {
    try (LinphoneDaemon phone = phone("alice", alicePhoneId);
        LinphoneDaemon tablet = phone("alice", aliceTabletId);
        DoorStation door = door()) {
      assertThat(DoorStation.OFFER).contains("telephone-event");
      int mark = door.mark();
      DoorStation.Outgoing call = door.call("ipgw");
      phone.awaitCallState("LinphoneCallIncomingReceived");
      CallEvent ringsTablet = tablet.awaitCallState("LinphoneCallIncomingReceived");

      tablet.answer(ringsTablet.callId());
      Received ok =
          door.await("200 to the door", mark, r -> r.status() == 200 && r.isResponseTo("INVITE"));
      assertThat(ok.body()).contains("m=audio");
      assertThat(ok.body().toLowerCase(java.util.Locale.ROOT))
          .as("the tablet lacks open-door: no RFC 4733 events towards the door")
          .doesNotContain("telephone-event");
      for (Received r : door.received().subList(mark, door.received().size())) {
        assertThat(r.body().toLowerCase(java.util.Locale.ROOT)).doesNotContain("telephone-event");
      }
      door.ack(call, ok);
      door.bye(call, ok);
      door.await("200 to the BYE", mark, r -> r.status() == 200 && r.isResponseTo("BYE"));
      awaitTrue(() -> b2b.calls() == 0);
    }
  }

  @Test
  void an_app_account_approved_through_the_portal_cannot_register_on_the_lan() {
    // its password passes digest, but it is no LAN account: 403, so it cannot reach a door there
    // (LanAccessTest: a LAN account calling ipgw@DOMAIN to fake a door call gets 403 too)
    assertThatThrownBy(
            () ->
                DoorStation.register(
                    internalAddress(),
                    DOMAIN,
                    "alice-tablet",
                    SipPassword.of("AliceTabletPassw0rd")))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("403");
    assertThat(b2b.internalRegistrations().orElseThrow().of("alice-tablet")).isEmpty();
    assertThat(calls()).isEmpty();
  }

  @Test
  void a_user_restricted_to_one_device_rings_only_that_devices_gruu() throws Exception {
    GatewayRoot.write(
        gateway.paths().accountsList(),
        AccountsList.render(
            List.of(
                new AppAccount(
                    "alice-phone", "alice", gruu("alice", alicePhoneId), true, true, false, true),
                new AppAccount(
                    "alice-tablet",
                    "alice",
                    gruu("alice", aliceTabletId),
                    false,
                    false,
                    false,
                    true),
                new AppAccount(
                    "bob-phone", "bob", gruu("bob", bobPhoneId), false, false, true, false))),
        "rw-r--r--");
    assertThat(b2b.reload()).isEmpty();
    assertThat(b2b.doorCallTargets()).containsExactly(gruu("alice", alicePhoneId).get());
    try (LinphoneDaemon phone = phone("alice", alicePhoneId);
        LinphoneDaemon tablet = phone("alice", aliceTabletId);
        DoorStation door = door()) {
      int mark = door.mark();
      DoorStation.Outgoing call = door.call("ipgw");
      CallEvent rings = phone.awaitCallState("LinphoneCallIncomingReceived");
      phone.answer(rings.callId());
      Received ok =
          door.await("200 to the door", mark, r -> r.status() == 200 && r.isResponseTo("INVITE"));
      door.ack(call, ok);
      phone.awaitCallState(rings.callId(), "LinphoneCallConnected");
      assertThat(incoming(tablet)).as("the tablet is not the allowed device").isFalse();
      awaitTrue(() -> journal.stream().anyMatch(r -> r.kind() == CallRecord.Kind.ANSWERED));
      assertThat(calls().get(0).device()).contains(gruu("alice", alicePhoneId).get());
      door.bye(call, ok);
      phone.awaitCallState(rings.callId(), "LinphoneCallEnd");
    }
  }

  @Test
  void the_phone_hangs_up_and_the_door_gets_bye() throws Exception {
    try (LinphoneDaemon phone = phone("alice", alicePhoneId);
        DoorStation door = door()) {
      int mark = door.mark();
      DoorStation.Outgoing call = door.call("ipgw");
      CallEvent rings = phone.awaitCallState("LinphoneCallIncomingReceived");
      phone.answer(rings.callId());
      Received ok =
          door.await("200 to the door", mark, r -> r.status() == 200 && r.isResponseTo("INVITE"));
      door.ack(call, ok);
      phone.awaitCallState(rings.callId(), "LinphoneCallConnected");
      phone.terminate(rings.callId());
      door.await("BYE from the b2b", mark, r -> r.isRequest("BYE"));
      phone.awaitCallState(rings.callId(), "LinphoneCallEnd");
    }
  }

  @Test
  void the_door_cancels_and_every_device_stops_ringing_and_the_call_is_missed() throws Exception {
    try (LinphoneDaemon phone = phone("alice", alicePhoneId);
        LinphoneDaemon tablet = phone("alice", aliceTabletId);
        DoorStation door = door()) {
      int mark = door.mark();
      DoorStation.Outgoing call = door.call("ipgw");
      CallEvent ringsPhone = phone.awaitCallState("LinphoneCallIncomingReceived");
      CallEvent ringsTablet = tablet.awaitCallState("LinphoneCallIncomingReceived");
      door.cancel(call);
      door.await("487 to the INVITE", mark, r -> r.status() == 487);
      phone.awaitCallState(ringsPhone.callId(), "LinphoneCallEnd");
      tablet.awaitCallState(ringsTablet.callId(), "LinphoneCallEnd");
      awaitTrue(() -> journal.stream().anyMatch(r -> r.kind() == CallRecord.Kind.MISSED));
    }
  }

  @Test
  void sighup_changes_who_rings_without_dropping_the_call_in_progress_and_a_bad_file_keeps_the_old()
      throws Exception {
    try (LinphoneDaemon phone = phone("alice", alicePhoneId);
        LinphoneDaemon bob = phone("bob", bobPhoneId);
        DoorStation door = door()) {
      int mark = door.mark();
      DoorStation.Outgoing call = door.call("ipgw");
      CallEvent rings = phone.awaitCallState("LinphoneCallIncomingReceived");
      phone.answer(rings.callId());
      Received ok =
          door.await("200 to the door", mark, r -> r.status() == 200 && r.isResponseTo("INVITE"));
      door.ack(call, ok);
      phone.awaitCallState(rings.callId(), "LinphoneCallConnected");

      // the owner moves the door calls from alice to bob: accounts.list, then acl.list
      GatewayRoot.write(
          gateway.paths().accountsList(),
          AccountsList.render(apps(true).stream().map(App::rights).toList()),
          "rw-r--r--");
      GatewayRoot.write(gateway.paths().aclList(), "bob\n", "rw-r--r--");
      // and adds a second door station to the password file
      List<PasswdEntry> passwd =
          new java.util.ArrayList<>(
              io.doorpair.b2b.conf.PasswdFile.parse(
                  Files.readString(gateway.paths().passwdFile())));
      passwd.add(new PasswdEntry("door2", DOMAIN, DOOR_PASSWORD));
      GatewayRoot.write(
          gateway.paths().passwdFile(),
          io.doorpair.b2b.conf.PasswdFile.render(passwd),
          "rw-------");
      assertThat(b2b.reload()).isEmpty();
      assertThat(b2b.doorCallTargets()).containsExactly("sip:bob@" + PORTAL);
      // the embedded internal server knows door2 now
      DoorStation.register(internalAddress(), DOMAIN, "door2", DOOR_PASSWORD).close();

      // the call in progress goes on: the door's BYE still reaches alice
      door.bye(call, ok);
      phone.awaitCallState(rings.callId(), "LinphoneCallEnd");

      int next = door.mark();
      door.call("ipgw");
      CallEvent bobRings = bob.awaitCallState("LinphoneCallIncomingReceived");
      assertThat(bobRings.from()).contains("door1@" + DOMAIN);
      assertThat(
              phone.events().stream()
                  .filter(e -> e.state().equals("LinphoneCallIncomingReceived"))
                  .count())
          .as("alice, removed from the ACL, rings no more")
          .isEqualTo(1);
      bob.terminate(bobRings.callId());
      door.await("the refusal", next, r -> r.status() >= 400 && r.isResponseTo("INVITE"));

      // a malformed acl.list is refused and the previous snapshot stays
      GatewayRoot.write(gateway.paths().aclList(), "bob\nNot A Name!\n", "rw-r--r--");
      Optional<String> refused = b2b.reload();
      assertThat(refused).get().asString().contains("acl.list").contains("line 2");
      assertThat(b2b.doorCallTargets()).containsExactly("sip:bob@" + PORTAL);
    }
  }

  @Test
  void draining_refuses_new_calls_and_waits_for_the_call_in_progress() throws Exception {
    try (LinphoneDaemon phone = phone("alice", alicePhoneId);
        DoorStation door = door()) {
      int mark = door.mark();
      DoorStation.Outgoing call = door.call("ipgw");
      CallEvent rings = phone.awaitCallState("LinphoneCallIncomingReceived");
      phone.answer(rings.callId());
      Received ok =
          door.await("200 to the door", mark, r -> r.status() == 200 && r.isResponseTo("INVITE"));
      door.ack(call, ok);
      phone.awaitCallState(rings.callId(), "LinphoneCallConnected");

      java.util.concurrent.CompletableFuture<Boolean> drained =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> b2b.drain(Duration.ofSeconds(60)));
      // the drain runs on another thread: the new call must come once it has begun
      awaitTrue(() -> b2b.draining() && b2b.calls() == 1 && !drained.isDone());
      int next = door.mark();
      DoorStation.Outgoing refused = door.call("ipgw");
      Received unavailable =
          door.await(
              "503 to a new call",
              next,
              r ->
                  r.header("Call-ID").equals(refused.callId())
                      && r.status() >= 300
                      && r.status() != 407);
      assertThat(unavailable.status()).isEqualTo(503);
      assertThat(drained).isNotDone();

      door.bye(call, ok);
      phone.awaitCallState(rings.callId(), "LinphoneCallEnd");
      assertThat(drained.get(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void an_invite_sent_straight_to_the_b2b_past_the_internal_server_is_refused() throws Exception {
    String contact = b2b.internalRegistrations().orElseThrow().of("ipgw").orElseThrow().contact();
    String hostPort = contact.substring(contact.indexOf('@') + 1).split(";")[0];
    InetSocketAddress b2bAddress =
        new InetSocketAddress("127.0.0.1", Integer.parseInt(hostPort.split(":")[1]));
    try (io.doorpair.b2b.testing.PlainSipClient intruder =
        io.doorpair.b2b.testing.PlainSipClient.udp(b2bAddress)) {
      String invite =
          "INVITE "
              + contact
              + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:"
              + intruder.localPort()
              + ";rport;branch=z9hG4bK"
              + DoorStation.token()
              + "\r\nMax-Forwards: 70\r\nFrom: <sip:door1@"
              + DOMAIN
              + ">;tag=x1\r\nTo: <sip:ipgw@"
              + DOMAIN
              + ">\r\nCall-ID: "
              + DoorStation.token()
              + "\r\nCSeq: 1 INVITE\r\nContact: <sip:door1@127.0.0.1:"
              + intruder.localPort()
              + ">\r\nContent-Length: 0\r\n\r\n";
      String response = intruder.send(invite);
      assertThat(io.doorpair.b2b.testing.PlainSipClient.status(response)).isEqualTo(403);
      assertThat(b2b.calls()).isZero();
      assertThat(calls()).isEmpty();
    }
  }

  /**
   * Restarts the b2b with other call timers in {@code b2b.conf} (what an owner editing the file
   * does): the calls that follow run under them.
   */
  private void restartWith(Duration ring, Duration maxCall) throws Exception {
    restartWith(ring, maxCall, FAST);
  }

  private void restartWith(Duration ring, Duration maxCall, B2bSettings settings) throws Exception {
    b2b.close();
    b2b = null;
    B2bConf conf =
        B2bConf.parse(Files.readString(gateway.paths().b2bConf())).withTimers(ring, maxCall);
    GatewayRoot.write(gateway.paths().b2bConf(), conf.render(), "rw-------");
    b2b = B2b.start(gateway.paths(), settings, journal::add);
    awaitTrue(b2b::portalRegistered);
    awaitTrue(b2b::internalRegistered);
  }

  @Test
  void nobody_answers_within_the_ring_timeout_the_door_gets_480_and_every_device_stops_ringing()
      throws Exception {
    restartWith(Duration.ofSeconds(3), Duration.ofMinutes(30));
    try (LinphoneDaemon phone = phone("alice", alicePhoneId);
        LinphoneDaemon tablet = phone("alice", aliceTabletId);
        DoorStation door = door()) {
      int mark = door.mark();
      DoorStation.Outgoing call = door.call("ipgw");
      CallEvent ringsPhone = phone.awaitCallState("LinphoneCallIncomingReceived");
      CallEvent ringsTablet = tablet.awaitCallState("LinphoneCallIncomingReceived");
      Received unavailable =
          door.await(
              "the final answer once nobody answered",
              mark,
              r -> r.isResponseTo("INVITE") && r.status() >= 200 && r.status() != 407);
      assertThat(unavailable.status()).isEqualTo(480);
      assertThat(unavailable.header("Call-ID")).isEqualTo(call.callId());
      phone.awaitCallState(ringsPhone.callId(), "LinphoneCallEnd");
      tablet.awaitCallState(ringsTablet.callId(), "LinphoneCallEnd");
      assertThat(phone.events()).noneMatch(e -> e.state().equals("LinphoneCallConnected"));
      awaitTrue(() -> journal.stream().anyMatch(r -> r.kind() == CallRecord.Kind.MISSED));
      assertThat(journal).noneMatch(r -> r.kind() == CallRecord.Kind.ANSWERED);
      assertThat(calls().get(0).door()).isEqualTo("door1");
      awaitTrue(() -> b2b.calls() == 0);
    }
  }

  @Test
  void an_answered_call_is_hung_up_on_both_legs_at_the_maximum_duration() throws Exception {
    restartWith(Duration.ofSeconds(60), Duration.ofSeconds(5));
    try (LinphoneDaemon phone = phone("alice", alicePhoneId);
        DoorStation door = door()) {
      int mark = door.mark();
      DoorStation.Outgoing call = door.call("ipgw");
      CallEvent rings = phone.awaitCallState("LinphoneCallIncomingReceived");
      phone.answer(rings.callId());
      Received ok =
          door.await("200 to the door", mark, r -> r.status() == 200 && r.isResponseTo("INVITE"));
      door.ack(call, ok);
      phone.awaitCallState(rings.callId(), "LinphoneCallConnected");
      Received bye = door.await("BYE from the b2b", mark, r -> r.isRequest("BYE"));
      assertThat(bye.header("Call-ID")).isEqualTo(call.callId());
      phone.awaitCallState(rings.callId(), "LinphoneCallEnd");
      awaitTrue(() -> b2b.calls() == 0);
      assertThat(journal).filteredOn(r -> r.kind() == CallRecord.Kind.ANSWERED).hasSize(1);
    }
  }

  /**
   * RFC 3261 §13.3.1.4: the b2b retransmits its 200 to a door that never ACKs it, gives up after
   * 64*T1 (32 s) and then ends the session: BYE to the door and to the phone.
   */
  @Test
  void a_200_the_door_never_acks_ends_both_legs_after_64_t1() throws Exception {
    try (LinphoneDaemon phone = phone("alice", alicePhoneId);
        DoorStation door = door()) {
      int mark = door.mark();
      DoorStation.Outgoing call = door.call("ipgw");
      CallEvent rings = phone.awaitCallState("LinphoneCallIncomingReceived");
      phone.answer(rings.callId());
      door.await("200 to the door", mark, r -> r.status() == 200 && r.isResponseTo("INVITE"));
      phone.awaitCallState(rings.callId(), "LinphoneCallConnected");
      // no ACK: the 200 is retransmitted, then BYE both ways after 64*T1
      Received bye =
          door.await("BYE after 64*T1", mark, Duration.ofSeconds(90), r -> r.isRequest("BYE"));
      assertThat(
              door.received().subList(mark, door.mark()).stream()
                  .filter(r -> r.status() == 200 && r.isResponseTo("INVITE"))
                  .count())
          .as("the 200 retransmitted while no ACK came")
          .isGreaterThan(1);
      assertThat(bye.header("Call-ID")).isEqualTo(call.callId());
      phone.awaitCallState(rings.callId(), "LinphoneCallEnd");
      awaitTrue(() -> b2b.calls() == 0);
    }
  }

  /**
   * The door's ACK reaches the bridge: with the ACK wait shortened to 8 s, an ACKed call is still
   * up after twice that (a door here ACKs within milliseconds), and ends only with the door's BYE.
   */
  @Test
  void a_call_the_door_acked_outlives_the_ack_wait() throws Exception {
    Duration ackWait = Duration.ofSeconds(8);
    restartWith(Duration.ofSeconds(45), Duration.ofMinutes(30), FAST.withAckWait(ackWait));
    try (LinphoneDaemon phone = phone("alice", alicePhoneId);
        DoorStation door = door()) {
      int mark = door.mark();
      DoorStation.Outgoing call = door.call("ipgw");
      CallEvent rings = phone.awaitCallState("LinphoneCallIncomingReceived");
      phone.answer(rings.callId());
      Received ok =
          door.await("200 to the door", mark, r -> r.status() == 200 && r.isResponseTo("INVITE"));
      door.ack(call, ok);
      phone.awaitCallState(rings.callId(), "LinphoneCallConnected");
      long end = System.nanoTime() + ackWait.multipliedBy(2).toNanos();
      while (System.nanoTime() < end) {
        assertThat(door.received().subList(mark, door.mark())).noneMatch(r -> r.isRequest("BYE"));
        Thread.sleep(200);
      }
      assertThat(phone.events()).noneMatch(e -> e.state().equals("LinphoneCallEnd"));
      assertThat(b2b.calls()).isEqualTo(1);
      door.bye(call, ok);
      phone.awaitCallState(rings.callId(), "LinphoneCallEnd");
    }
  }

  static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not true within 30 s");
      }
      Thread.sleep(50);
    }
  }
}
