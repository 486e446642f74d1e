package io.doorpair.b2b;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.b2b.conf.AccountsList;
import io.doorpair.b2b.conf.AppAccount;
import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.journal.CallRecord;
import io.doorpair.b2b.stack.InternalServer;
import io.doorpair.b2b.testing.DoorStation;
import io.doorpair.b2b.testing.DoorStation.Received;
import io.doorpair.b2b.testing.GatewayRoot;
import io.doorpair.b2b.testing.GatewayRoot.App;
import io.doorpair.b2b.testing.LanPhone;
import io.doorpair.b2b.upstream.Backoff;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import io.doorpair.sipedge.testing.Peers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * App accounts on the gateway's LAN (issue 8's offline accounts, security review item 2b): the
 * embedded internal server of a running b2b admits door stations and LAN accounts of {@code
 * accounts.list} only, and holds LAN accounts to their rights with real peers — linphone-daemon
 * phones registered over UDP and a door station speaking raw SIP: DTMF by SIP INFO never reaches
 * the door without open-door, {@code telephone-event} is removed from offers and answers, a phone
 * without door-calls is not rung, an approved portal account's password is refused, a refused
 * reload drops what the new files revoke.
 */
class LanAccessTest {
  private static final String DOMAIN = "lanaccess001";
  private static final String PORTAL = "portal.test";
  private static final TestPki PKI = TestPki.shared();
  private static final SipPassword DOOR_PASSWORD = SipPassword.of("DoorPassw0rd1");
  private static final SipPassword GRACE_PASSWORD = SipPassword.of("GracePassw0rd1");
  private static final SipPassword HENRI_PASSWORD = SipPassword.of("HenriPassw0rd1");
  private static final SipPassword OLGA_PASSWORD = SipPassword.of("OlgaPassw0rd1");
  private static final SipPassword ALICE_PASSWORD = SipPassword.of("AlicePassw0rd1");
  private static final B2bSettings FAST =
      new B2bSettings(
          Duration.ofSeconds(600),
          Duration.ofSeconds(5),
          new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)),
          true);

  /** A LAN account with door-calls, without open-door. */
  private static final AppAccount GRACE =
      new AppAccount(
          "grace-0a1b2c", "grace", Optional.empty(), true, false, false, false, false, true);

  /** A LAN account (with external access) with door-calls and open-door. */
  private static final AppAccount HENRI =
      new AppAccount(
          "henri-3d4e5f", "henri", Optional.empty(), true, true, false, false, true, true);

  /** A LAN account without any right. */
  private static final AppAccount OLGA =
      new AppAccount(
          "olga-4c5d6e", "olga", Optional.empty(), false, false, false, false, false, true);

  /** An app approved through the portal. */
  private static final AppAccount ALICE =
      new AppAccount(
          "alice-7f3a",
          "alice",
          Optional.of("sip:alice@" + PORTAL + ";gr=urn:uuid:" + UUID.randomUUID()),
          true,
          true,
          false,
          false);

  @TempDir Path dir;

  private GatewayRoot gateway;
  private RunningB2b b2b;
  private InternalServer server;
  private final List<CallRecord> journal = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Peers.require("linphone-daemon", "linphone-cli");
    int closed;
    try (ServerSocket probe = new ServerSocket(0)) {
      closed = probe.getLocalPort(); // no portal: its leg just backs off
    }
    gateway =
        GatewayRoot.write(
            dir,
            PKI,
            DOMAIN,
            "sips:localhost:" + closed,
            List.of("alice"),
            List.of(new PasswdEntry("door1", DOMAIN, DOOR_PASSWORD)),
            List.of(
                new App(GRACE, GRACE_PASSWORD),
                new App(HENRI, HENRI_PASSWORD),
                new App(OLGA, OLGA_PASSWORD),
                new App(ALICE, ALICE_PASSWORD)));
    GatewayRoot.write(
        gateway.paths().b2bConf(),
        Files.readString(gateway.paths().b2bConf()).replace(";transport=tcp", ";transport=udp"),
        "rw-------");
    b2b = B2b.start(gateway.paths(), FAST, journal::add);
    server = b2b.internalServer().orElseThrow();
    BridgeTest.awaitTrue(b2b::internalRegistered);
  }

  @AfterEach
  void stop() {
    if (b2b != null) {
      b2b.close();
    }
  }

  private InetSocketAddress internalAddress() throws IOException {
    String conf = Files.readString(gateway.paths().b2bConf());
    String uri =
        conf.lines().filter(l -> l.startsWith("internal-sip-uri")).findFirst().orElseThrow();
    String hostPort = uri.substring(uri.indexOf("sip:") + 4).split(";")[0];
    return new InetSocketAddress("127.0.0.1", Integer.parseInt(hostPort.split(":")[1]));
  }

  private DoorStation door() throws IOException {
    return DoorStation.register(internalAddress(), DOMAIN, "door1", DOOR_PASSWORD);
  }

  private LinphoneDaemon phone(AppAccount account, SipPassword password, boolean dtmfByInfo)
      throws IOException {
    Path folder = Files.createTempDirectory(dir, account.portalUser());
    LinphoneDaemon daemon =
        LanPhone.start(
            folder, account.sipUsername(), DOMAIN, password, internalAddress(), dtmfByInfo);
    daemon.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
    return daemon;
  }

  /** The phone calls door1, which answers; returns the phone's call id and the door's INVITE. */
  private static Received callTheDoor(LinphoneDaemon phone, DoorStation door, String user)
      throws IOException {
    int mark = door.mark();
    int call = phone.call("sip:door1@" + DOMAIN);
    Received invite =
        door.await(
            "the INVITE from " + user,
            mark,
            r -> r.isRequest("INVITE") && r.header("From").contains(user));
    assertThat(invite.header("Record-Route"))
        .as("a dialog with a LAN account stays on the internal server's path")
        .isNotEmpty();
    door.reply(invite, 200, DoorStation.token(), DoorStation.OFFER);
    phone.awaitCallState(call, "LinphoneCallStreamsRunning");
    door.await(
        "the ACK through the internal server",
        mark,
        r -> r.isRequest("ACK") && r.header("Call-ID").equals(invite.header("Call-ID")));
    return invite;
  }

  private static int activeCall(LinphoneDaemon phone) {
    return phone.events().stream()
        .filter(e -> e.state().equals("LinphoneCallStreamsRunning"))
        .reduce((a, b) -> b)
        .orElseThrow()
        .callId();
  }

  private void awaitRefusal(long before) throws InterruptedException {
    BridgeTest.awaitTrue(() -> server.refusedOnLan() > before);
  }

  @Test
  void dtmf_by_info_never_reaches_the_door_without_open_door_and_does_with_it() throws Exception {
    try (DoorStation door = door();
        LinphoneDaemon grace = phone(GRACE, GRACE_PASSWORD, true);
        LinphoneDaemon henri = phone(HENRI, HENRI_PASSWORD, true)) {
      Received graceInvite = callTheDoor(grace, door, "grace-0a1b2c");
      String graceCall = graceInvite.header("Call-ID");
      long before = server.refusedOnLan();
      int mark = door.mark();
      grace.dtmf('1');
      // the INFO comes back to the internal server along its Record-Route, is challenged, and
      // refused once its digest is right: it is done with, and the door has not seen it
      awaitRefusal(before);
      assertThat(door.received().subList(mark, door.received().size()))
          .noneMatch(r -> r.isRequest("INFO"));
      grace.terminate(activeCall(grace));
      door.await(
          "grace's BYE", mark, r -> r.isRequest("BYE") && r.header("Call-ID").equals(graceCall));
      assertThat(door.received()).noneMatch(r -> r.isRequest("INFO"));

      Received henriInvite = callTheDoor(henri, door, "henri-3d4e5f");
      mark = door.mark();
      henri.dtmf('1');
      Received info =
          door.await(
              "henri's INFO",
              mark,
              r ->
                  r.isRequest("INFO") && r.header("Call-ID").equals(henriInvite.header("Call-ID")));
      assertThat(info.header("Content-Type")).isEqualToIgnoringCase("application/dtmf-relay");
      assertThat(info.header("Proxy-Authorization")).isEmpty();
      henri.terminate(activeCall(henri));
      door.await("henri's BYE", mark, r -> r.isRequest("BYE"));
    }
  }

  @Test
  void telephone_event_is_removed_from_offers_and_answers_of_a_lan_account_without_open_door()
      throws Exception {
    try (DoorStation door = door();
        LinphoneDaemon grace = phone(GRACE, GRACE_PASSWORD, false);
        LinphoneDaemon henri = phone(HENRI, HENRI_PASSWORD, false)) {
      // the phones' offers
      Received fromGrace = callTheDoor(grace, door, "grace-0a1b2c");
      assertThat(fromGrace.body()).contains("m=audio").doesNotContain("telephone-event");
      grace.terminate(activeCall(grace));
      Received fromHenri = callTheDoor(henri, door, "henri-3d4e5f");
      assertThat(fromHenri.body()).contains("telephone-event");
      henri.terminate(activeCall(henri));

      // the phones' answers to the door's offer (which carries telephone-event)
      assertThat(answerTo(door, grace, "grace-0a1b2c")).doesNotContain("telephone-event");
      assertThat(answerTo(door, henri, "henri-3d4e5f")).contains("telephone-event");
    }
  }

  /** door1 calls the phone, which answers: the answer's SDP as the door got it. */
  private static String answerTo(DoorStation door, LinphoneDaemon phone, String user)
      throws IOException {
    int mark = door.mark();
    long seen =
        phone.events().stream()
            .filter(e -> e.state().equals("LinphoneCallIncomingReceived"))
            .count();
    DoorStation.Outgoing call = door.call(user);
    LinphoneDaemon.CallEvent rings =
        phone.awaitEvent(
            "a new incoming call",
            e ->
                e.state().equals("LinphoneCallIncomingReceived")
                    && phone.events().stream()
                            .filter(x -> x.state().equals("LinphoneCallIncomingReceived"))
                            .count()
                        > seen);
    phone.answer(rings.callId());
    Received ok =
        door.await(
            "the phone's 200",
            mark,
            r ->
                r.isResponseTo("INVITE")
                    && r.status() == 200
                    && r.header("Call-ID").equals(call.callId()));
    door.ack(call, ok);
    phone.awaitCallState(rings.callId(), "LinphoneCallStreamsRunning");
    door.bye(call, ok);
    phone.awaitCallState(rings.callId(), "LinphoneCallEnd");
    return ok.body();
  }

  @Test
  void a_lan_account_without_rights_is_not_rung_and_rings_no_door_nor_the_b2b() throws Exception {
    try (DoorStation door = door();
        LinphoneDaemon olga = phone(OLGA, OLGA_PASSWORD, false);
        LinphoneDaemon grace = phone(GRACE, GRACE_PASSWORD, false)) {
      // the door calls olga (no door-calls right): refused, her phone never rings
      int mark = door.mark();
      DoorStation.Outgoing call = door.call("olga-4c5d6e");
      Received refused =
          door.await(
              "the final answer",
              mark,
              r ->
                  r.isResponseTo("INVITE")
                      && r.status() >= 200
                      && r.status() != 407
                      && r.header("Call-ID").equals(call.callId()));
      assertThat(refused.status()).isEqualTo(403);

      // olga calls the door: refused, the door never sees it
      long before = server.refusedOnLan();
      mark = door.mark();
      olga.call("sip:door1@" + DOMAIN);
      awaitRefusal(before);
      assertThat(door.received().subList(mark, door.received().size()))
          .noneMatch(r -> r.isRequest("INVITE"));
      olga.awaitEvent(
          "the refused call ended",
          e -> e.state().equals("LinphoneCallError") || e.state().equals("LinphoneCallEnd"));
      assertThat(olga.events()).noneMatch(e -> e.state().equals("LinphoneCallIncomingReceived"));

      // a LAN account cannot fake a door call by calling the b2b
      before = server.refusedOnLan();
      grace.call("sip:ipgw@" + DOMAIN);
      awaitRefusal(before);
      assertThat(b2b.calls()).isZero();
      assertThat(journal).isEmpty();
    }
  }

  @Test
  void an_approved_portal_accounts_password_is_refused_on_the_lan() throws Exception {
    long before = server.refusedOnLan();
    Path folder = Files.createTempDirectory(dir, "alice");
    try (LinphoneDaemon alice =
        LanPhone.start(folder, "alice-7f3a", DOMAIN, ALICE_PASSWORD, internalAddress())) {
      assertThat(alice.awaitRegistrationOutcome())
          .as(alice.logTail())
          .isEqualTo(LinphoneDaemon.REGISTRATION_FAILED);
      assertThat(server.refusedOnLan()).isGreaterThan(before);
      assertThat(server.registrations().of("alice-7f3a")).isEmpty();
    }
  }

  @Test
  void a_refused_reload_keeps_the_door_and_drops_the_lan_accounts_it_cannot_vouch_for()
      throws Exception {
    List<DoorStation> stations = new java.util.ArrayList<>();
    try {
      stations.add(door());
      stations.add(DoorStation.register(internalAddress(), DOMAIN, "grace-0a1b2c", GRACE_PASSWORD));
      stations.add(DoorStation.register(internalAddress(), DOMAIN, "henri-3d4e5f", HENRI_PASSWORD));
      assertThat(server.registrations().of("grace-0a1b2c")).isPresent();
      // grace's line removed (revoked), and an acl.list naming a user without account: refused
      GatewayRoot.write(
          gateway.paths().accountsList(),
          AccountsList.render(List.of(HENRI, OLGA, ALICE)),
          "rw-r--r--");
      GatewayRoot.write(gateway.paths().aclList(), "alice\nzed\n", "rw-r--r--");
      assertThat(b2b.reload()).hasValueSatisfying(why -> assertThat(why).contains("zed"));
      assertThat(server.registrations().of("grace-0a1b2c")).as("revoked").isEmpty();
      assertThat(server.registrations().of("henri-3d4e5f")).isPresent();
      assertThat(server.registrations().of("door1")).isPresent();
      assertThatThrownBy(
              () -> DoorStation.register(internalAddress(), DOMAIN, "grace-0a1b2c", GRACE_PASSWORD))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("401");

      // accounts.list unreadable: no LAN account can be vouched for, the door still works
      GatewayRoot.write(gateway.paths().accountsList(), "accounts:2\nbroken\n", "rw-r--r--");
      assertThat(b2b.reload()).hasValueSatisfying(why -> assertThat(why).contains("line 2"));
      assertThat(server.registrations().of("henri-3d4e5f")).isEmpty();
      assertThat(server.registrations().of("door1")).isPresent();
      stations.add(door());
      assertThatThrownBy(
              () -> DoorStation.register(internalAddress(), DOMAIN, "henri-3d4e5f", HENRI_PASSWORD))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("401");

      // good files again: henri is back
      GatewayRoot.write(
          gateway.paths().accountsList(),
          AccountsList.render(List.of(GRACE, HENRI, OLGA, ALICE)),
          "rw-r--r--");
      GatewayRoot.write(gateway.paths().aclList(), "alice\n", "rw-r--r--");
      assertThat(b2b.reload()).isEmpty();
      stations.add(DoorStation.register(internalAddress(), DOMAIN, "henri-3d4e5f", HENRI_PASSWORD));
      assertThat(server.registrations().of("henri-3d4e5f")).isPresent();
    } finally {
      stations.forEach(DoorStation::close);
    }
  }
}
