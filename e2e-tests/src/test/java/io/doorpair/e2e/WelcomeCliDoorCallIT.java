package io.doorpair.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.PublicKeyHash;
import io.doorpair.crypto.SecurityCode;
import io.doorpair.crypto.SipPassword;
import io.doorpair.e2e.harness.ActorProcess;
import io.doorpair.e2e.harness.IpgwServe;
import io.doorpair.e2e.harness.LinphoneDoor;
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
  private static final String INCOMING = "LinphoneCallIncomingReceived";
  private static final String CONNECTED = "LinphoneCallConnected";
  private static final String END = "LinphoneCallEnd";
  private static final String INFO = "INFO sip:";

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

      String ipgwUri = "sip:ipgw@" + domain;
      try (LinphoneDaemon door =
          LinphoneDoor.register(
              work.resolve("door"), "door1", domain, doorPassword, gateway.internalSip(), STEP)) {
        // 2. welcome register: the door calls, the user answers with a key and opens the door.
        terminal.clear();
        terminal.type(welcome + " register" + proxy + "; echo register-exit=$?");
        terminal.await(Pattern.compile("Registered\\."), STEP);
        int call = door.call(ipgwUri);
        terminal.await(Pattern.compile("Incoming call from sip:door1@" + domain), STEP);
        terminal.type("a");
        terminal.await(Pattern.compile("Answered\\. o: open the door, h: hang up\\."), STEP);
        door.awaitCallState(call, CONNECTED);
        int doorLog = door.log().length();
        terminal.type("o");
        door.awaitTone(call, '#');
        assertThat(door.log().substring(doorLog)).as("the INFO reached the door").contains(INFO);
        terminal.await(Pattern.compile("Door opened\\."), STEP);
        terminal.type("h");
        door.awaitCallState(call, END);
        terminal.await(Pattern.compile("Call ended"), STEP);
        terminal.type("q");
        terminal.await(Pattern.compile("(?m)^register-exit=0$"), STEP);

        // 3. welcome open-door: the app calls the door, opens it, hangs up.
        terminal.clear();
        terminal.type(welcome + " open-door " + domain + " door1" + proxy + "; echo open-exit=$?");
        CallEvent rings = door.awaitEvent("the app's call", e -> e.state().equals(INCOMING));
        door.answer(rings.callId());
        door.awaitTone(rings.callId(), '#');
        door.awaitCallState(rings.callId(), END);
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
          int second = door.call(ipgwUri);
          CallEvent incoming = phone.awaitCallState(INCOMING);
          assertThat(incoming.from()).contains("door1@" + domain);
          phone.answer(incoming.callId());
          door.awaitCallState(second, CONNECTED);
          phone.awaitCallState(incoming.callId(), CONNECTED);
          int before = door.log().length();
          phone.dtmf('#');
          door.awaitTone(second, '#');
          assertThat(door.log().substring(before)).as("the INFO reached the door").contains(INFO);
          door.terminate(second);
          phone.awaitCallState(incoming.callId(), END);
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
