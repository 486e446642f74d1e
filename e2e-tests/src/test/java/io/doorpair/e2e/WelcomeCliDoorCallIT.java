package io.doorpair.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.testing.DoorStation;
import io.doorpair.b2b.testing.DoorStation.Received;
import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.PublicKeyHash;
import io.doorpair.crypto.SecurityCode;
import io.doorpair.crypto.SipPassword;
import io.doorpair.e2e.harness.ActorProcess;
import io.doorpair.e2e.harness.IpgwServe;
import io.doorpair.e2e.harness.ReadyFile;
import io.doorpair.e2e.harness.Repo;
import io.doorpair.e2e.harness.Tmux;
import io.doorpair.sipedge.testing.LinphoneConfig;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import io.doorpair.sipedge.testing.LinphoneDaemon.CallEvent;
import io.doorpair.sipedge.testing.Peers;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Issue 7's "done when", every actor its own process: from a fresh profile, {@code bin/welcome}
 * typed into a terminal (tmux) pairs with {@code bin/portal}, requests access to the gateway of
 * {@code bin/ipgw serve} (its b2b a supervised child), waits while the owner approves on the admin
 * site, and shows the code the owner types there. Then {@code welcome register} stays registered at
 * the portal SIP server and rings when the door station (raw SIP over UDP, on the b2b's embedded
 * internal server) calls: the user answers with a key, opens the door with another (the door gets
 * the INFO), hangs up; {@code welcome open-door} calls the door and opens it; and the file of
 * {@code welcome linphonerc} makes a real linphone-daemon register and take a door call through the
 * b2b, its DTMF reaching the door as SIP INFO.
 */
class WelcomeCliDoorCallIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration STEP = Duration.ofSeconds(90);
  private static final String PASSWORD = "alice's long password";

  @Test
  void from_a_fresh_profile_the_cli_gets_an_account_and_takes_and_makes_door_calls(TestInfo info)
      throws Exception {
    Peers.require("tmux", "tmux");
    Peers.require("linphone-daemon", "linphone-cli");
    Path work =
        Repo.workDir(getClass().getSimpleName(), info.getTestMethod().orElseThrow().getName());
    Path data = work.resolve("portal/data");
    try (ActorProcess portal = ActorProcess.portal(work.resolve("portal"), data)) {
      ReadyFile ready = portal.awaitReady(data.resolve("ready.json"), START);
      ActorProcess.addPortalUser(work, data, "alice", PASSWORD);
      int sipPort = Integer.parseInt(ready.json().get("sip").asText().replaceAll(".*:", ""));
      X509Certificate ca = Pem.parseCertificate(Files.readString(data.resolve("ca.pem")));
      try (IpgwServe gateway =
          IpgwServe.start(work.resolve("ipgw"), ready.api(), data.resolve("ca.pem"), sipPort)) {
        try {
          scene(work, ready, ca, sipPort, gateway);
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(
              e.getMessage() + "\n" + gateway.tail() + "\n" + portal.tail(), e);
        }
      }
    }
  }

  private void scene(Path work, ReadyFile ready, X509Certificate ca, int sipPort, IpgwServe gateway)
      throws Exception {
    String domain = gateway.pair("alice", PASSWORD);
    SipPassword doorPassword = gateway.addDoor("door1");
    gateway.awaitB2bRegistered();
    Path profile = work.resolve("profile");
    String welcome = Repo.bin("welcome") + " --profile " + profile;
    String proxy = " --proxy localhost:" + sipPort; // the name the portal's certificate carries
    try (Tmux terminal =
        Tmux.start(
            work, Map.of("HOME", Files.createDirectories(work.resolve("home")).toString()))) {
      // 1. Pair, request, wait: the owner approves on the admin site and types the code shown.
      terminal.type(
          welcome
              + " pair --portal "
              + ready.api()
              + " --ca "
              + work.resolve("portal/data/ca.pem")
              + " --sip-domain portal.localhost --user alice --name 'Alice phone'");
      terminal.await(Pattern.compile("Portal password for alice: "), STEP);
      terminal.type(PASSWORD);
      terminal.await(Pattern.compile("Paired as alice@portal.localhost"), STEP);
      terminal.type(welcome + " request " + domain);
      terminal.await(Pattern.compile("Request \\d+ to " + domain + ": pending"), STEP);
      terminal.type(welcome + " wait " + domain);
      terminal.await(Pattern.compile("Waiting for the owner of " + domain), STEP);
      String requestId =
          gateway.approve("Alice phone", Map.of("door_calls", "on", "open_door", "on"));
      Matcher shown =
          terminal.await(Pattern.compile("security code: ([0-9]{4}) ([0-9a-f]{4})"), STEP);
      String code = shown.group(1) + shown.group(2);
      X509Certificate appCertificate =
          Pem.parseCertificate(Files.readString(profile.resolve("certificate.pem")));
      assertThat(SecurityCode.matches(code, PublicKeyHash.of(appCertificate))).isTrue();
      int reloads = count("reloaded: ", gateway.b2bLog());
      gateway.enterCode(requestId, code);
      // ipgw writes the access files and signals the b2b, which rereads them
      awaitTrue(() -> count("reloaded: ", gateway.b2bLog()) > reloads, "the b2b reread its files");

      try (DoorStation door = gateway.registerDoor("door1", doorPassword)) {
        // 2. welcome register: the door calls, the user answers with a key and opens the door.
        terminal.clear();
        terminal.type(welcome + " register" + proxy + "; echo register-exit=$?");
        terminal.await(Pattern.compile("Registered\\."), STEP);
        int mark = door.mark();
        DoorStation.Outgoing call = door.call("ipgw");
        terminal.await(Pattern.compile("Incoming call from sip:door1@" + domain), STEP);
        terminal.type("a");
        terminal.await(Pattern.compile("Answered\\. o: open the door, h: hang up\\."), STEP);
        Received ok =
            door.await("200 to the door", mark, r -> r.status() == 200 && r.isResponseTo("INVITE"));
        door.ack(call, ok);
        int beforeInfo = door.mark();
        terminal.type("o");
        Received opened = door.await("the door-open INFO", beforeInfo, r -> r.isRequest("INFO"));
        assertThat(opened.body()).contains("Signal=#");
        door.reply(opened, 200, "", "");
        terminal.await(Pattern.compile("Door opened\\."), STEP);
        terminal.type("h");
        Received bye = door.await("BYE from the app", beforeInfo, r -> r.isRequest("BYE"));
        door.reply(bye, 200, "", "");
        terminal.await(Pattern.compile("Call ended"), STEP);
        terminal.type("q");
        terminal.await(Pattern.compile("(?m)^register-exit=0$"), STEP);

        // 3. welcome open-door: the app calls the door, opens it, hangs up.
        terminal.clear();
        mark = door.mark();
        terminal.type(welcome + " open-door " + domain + " door1" + proxy + "; echo open-exit=$?");
        Received rings = door.await("the app's INVITE", mark, r -> r.isRequest("INVITE"));
        assertThat(rings.header("To")).contains("sip:door1@" + domain);
        door.reply(rings, 180, "d1", "");
        door.reply(rings, 200, "d1", DoorStation.OFFER.replace("o=door", "o=answer"));
        Received info = door.await("the door-open INFO", mark, r -> r.isRequest("INFO"));
        assertThat(info.body()).contains("Signal=#");
        door.reply(info, 200, "d1", "");
        Received hangUp = door.await("BYE from the app", mark, r -> r.isRequest("BYE"));
        door.reply(hangUp, 200, "d1", "");
        terminal.await(Pattern.compile("(?m)^open-exit=0$"), STEP);
        assertThat(terminal.screen()).contains("Door opened.");

        // 4. The linphonerc for this identity: a real linphone-daemon registers with it and takes
        // a door call through the b2b; its DTMF goes as SIP INFO and reaches the door.
        terminal.clear();
        terminal.type(welcome + " linphonerc " + domain + proxy);
        terminal.await(Pattern.compile("Wrote .*linphonerc-" + domain), STEP);
        Path rc = profile.resolve("linphonerc-" + domain);
        LinphoneConfig described =
            new LinphoneConfig(
                "alice",
                "portal.localhost",
                CertificateIdentity.of(appCertificate).instance(),
                Pem.parsePrivateKey(Files.readString(profile.resolve("key.pem"))),
                List.of(appCertificate),
                ca,
                new InetSocketAddress("localhost", sipPort),
                true);
        try (LinphoneDaemon phone = LinphoneDaemon.startWith(described, rc)) {
          phone.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
          mark = door.mark();
          DoorStation.Outgoing second = door.call("ipgw");
          CallEvent incoming = phone.awaitCallState("LinphoneCallIncomingReceived");
          assertThat(incoming.from()).contains("door1@" + domain);
          phone.answer(incoming.callId());
          Received answered =
              door.await(
                  "200 from Linphone", mark, r -> r.status() == 200 && r.isResponseTo("INVITE"));
          door.ack(second, answered);
          phone.awaitCallState(incoming.callId(), "LinphoneCallConnected");
          int beforeDtmf = door.mark();
          phone.dtmf('#');
          Received dtmf = door.await("Linphone's DTMF INFO", beforeDtmf, r -> r.isRequest("INFO"));
          assertThat(dtmf.body()).contains("Signal=#");
          door.reply(dtmf, 200, "", "");
          door.bye(second, answered);
          phone.awaitCallState(incoming.callId(), "LinphoneCallEnd");
        }
      }
      assertThat(terminal.screen()).doesNotContain(PASSWORD);
    }
    assertThat(gateway.b2bLog()).doesNotContain(doorPassword.reveal());
  }

  private static int count(String needle, String text) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(STEP);
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now().isBefore(deadline)).as(what).isTrue();
      Thread.sleep(200);
    }
  }
}
