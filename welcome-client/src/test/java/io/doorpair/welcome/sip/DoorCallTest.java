package io.doorpair.welcome.sip;

import static io.doorpair.welcome.sip.EdgeFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.localsip.DigestGate;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.testing.SipTlsClient;
import io.doorpair.sipedge.testing.SipTlsClient.Request;
import io.doorpair.welcome.sip.EdgeFixture.Device;
import io.doorpair.welcome.sip.EdgeFixture.Recorder;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A call to a gateway's door station through the real portal SIP server: the gateway's side is a
 * TLS SIP peer registered as {@code ipgw@DOMAIN} that challenges the INVITE with the b2b's own
 * {@link DigestGate} (realm DOMAIN, SHA-256 and MD5, {@code qop=auth}) over the password file entry
 * of the app's account. Right credentials: established, door-open INFO, BYE both ways. Wrong
 * password: refused, the phone gives up after one answer.
 */
class DoorCallTest {
  private static final String DOMAIN = "door0test001";
  private static final String ACCOUNT = "dora-phone";
  private static final SipPassword PASSWORD = SipPassword.generate(new SecureRandom());
  private static final Duration WAIT = EdgeFixture.DEADLINE;

  private RunningSipEdge edge;
  private SipTlsClient gateway;
  private DigestGate gate;

  @BeforeEach
  void start() throws Exception {
    edge = EdgeFixture.edge(0, EdgeFixture.localServer());
    Leaf gatewayCertificate = EdgeFixture.PKI.issueClient("ipgw@" + DOMAIN, Optional.empty());
    gateway =
        SipTlsClient.connect(
            edge.sipAddress(), Optional.of(gatewayCertificate), EdgeFixture.PKI.caCertificate());
    SipTlsClient.Response registered =
        gateway.send(
            SipTlsClient.request(
                "REGISTER",
                "sip:" + EdgeFixture.PORTAL_DOMAIN,
                "<sip:ipgw@" + DOMAIN + ">",
                "<sip:ipgw@" + DOMAIN + ">",
                "Contact: <sip:ipgw@127.0.0.1:5999;transport=tls>",
                "Expires: 600"));
    assertThat(registered.status()).isEqualTo(200);
    gate =
        new DigestGate(
            DOMAIN,
            List.of(new PasswdEntry(ACCOUNT, DOMAIN, PASSWORD)),
            Clock.systemUTC(),
            new SecureRandom());
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    if (edge != null) {
      edge.close();
    }
  }

  /** Plays the b2b: INVITEs are challenged until the gate accepts one, which is answered 200. */
  private Request challengeUntilAccepted(List<String> verdicts) throws Exception {
    while (true) {
      Request invite = gateway.awaitRequest("INVITE");
      String auth = invite.first("Proxy-Authorization");
      DigestGate.Verdict verdict =
          gate.check("INVITE", invite.uri(), auth.isEmpty() ? Optional.empty() : Optional.of(auth));
      if (verdict instanceof DigestGate.Accepted accepted) {
        verdicts.add("accepted " + accepted.user());
        return invite;
      }
      DigestGate.Challenge challenge = (DigestGate.Challenge) verdict;
      verdicts.add("challenged: " + challenge.why());
      List<String> extra = new ArrayList<>();
      for (String value : challenge.headerValues()) {
        extra.add("Proxy-Authenticate: " + value);
      }
      gateway.reply(
          invite, 407, "Proxy Authentication Required", "gw1", extra.toArray(new String[0]));
      gateway.awaitRequest("ACK");
      if (verdicts.size() > 3) {
        return null;
      }
    }
  }

  private SipPhone registeredPhone(Recorder recorder) throws Exception {
    Device device = Device.of("dora");
    SipPhone phone =
        SipPhone.start(device.config("localhost", edge.sipAddress().getPort()), recorder);
    awaitTrue("registered", phone::registered);
    return phone;
  }

  @Test
  void the_gateway_challenge_is_answered_and_the_door_opens() throws Exception {
    Recorder recorder = new Recorder();
    try (SipPhone phone = registeredPhone(recorder)) {
      Call call = phone.call(new GatewayCredentials(DOMAIN, ACCOUNT, PASSWORD), "door1");

      List<String> verdicts = new ArrayList<>();
      Request invite = challengeUntilAccepted(verdicts);
      assertThat(verdicts).containsExactly("challenged: no credentials", "accepted " + ACCOUNT);
      assertThat(invite.uri()).isEqualTo("sip:door1@" + DOMAIN);
      assertThat(invite.first("Proxy-Authorization"))
          .contains("algorithm=SHA-256")
          .contains("realm=\"" + DOMAIN + "\"")
          .doesNotContain(PASSWORD.reveal());
      assertThat(invite.first("From")).contains("sip:dora@portal.test");
      assertThat(invite.first("Contact")).contains("gr=urn:uuid:");
      assertThat(invite.body()).contains("m=audio ");
      gateway.reply(invite, 200, "OK", "gw2", "Contact: <sip:ipgw@127.0.0.1:5999;transport=tls>");
      gateway.awaitRequest("ACK");
      assertThat(call.await(CallState.ESTABLISHED, WAIT)).isEqualTo(CallState.ESTABLISHED);

      Thread opener =
          new Thread(
              () -> {
                try {
                  call.sendDoorOpen();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      opener.start();
      Request info = gateway.awaitRequest("INFO");
      assertThat(info.first("Content-Type")).isEqualTo("application/dtmf-relay");
      assertThat(DoorOpen.signalOf(info.body())).isEqualTo('#');
      assertThat(info.body()).isEqualTo("Signal=#\r\nDuration=250\r\n");
      gateway.reply(info, 200, "OK", "gw2");
      opener.join(WAIT.toMillis());
      assertThat(opener.isAlive()).isFalse();

      call.hangUp();
      Request bye = gateway.awaitRequest("BYE");
      gateway.reply(bye, 200, "OK", "gw2");
      assertThat(call.state()).isEqualTo(CallState.ENDED);
      assertThat(call.endReason()).contains("hung up here");
      assertThat(phone.registered()).isTrue();
    }
  }

  @Test
  void a_bye_from_the_door_side_ends_the_call() throws Exception {
    Recorder recorder = new Recorder();
    try (SipPhone phone = registeredPhone(recorder)) {
      Call call = phone.call(new GatewayCredentials(DOMAIN, ACCOUNT, PASSWORD), "door1");
      Request invite = challengeUntilAccepted(new ArrayList<>());
      gateway.reply(invite, 200, "OK", "gw3", "Contact: <sip:ipgw@127.0.0.1:5999;transport=tls>");
      gateway.awaitRequest("ACK");
      assertThat(call.await(CallState.ESTABLISHED, WAIT)).isEqualTo(CallState.ESTABLISHED);

      String recordRoute = invite.first("Record-Route");
      String from = invite.first("From");
      String to = invite.first("To") + ";tag=gw3";
      String contact = SipTlsClient.uriOf(invite.first("Contact"));
      gateway.write(
          SipTlsClient.inDialog(
              "BYE",
              contact,
              List.of(SipTlsClient.uriOf(recordRoute)),
              to,
              from,
              invite.first("Call-ID"),
              1));
      assertThat(gateway.awaitResponse(200).first("CSeq")).contains("BYE");
      assertThat(call.await(CallState.ENDED, WAIT)).isEqualTo(CallState.ENDED);
      assertThat(call.endReason()).contains("hung up by the other side");
      awaitTrue("the listener told", () -> recorder.ends.contains(call));
    }
  }

  @Test
  void a_challenged_door_open_info_is_sent_again_with_the_call_credentials() throws Exception {
    try (SipPhone phone = registeredPhone(new Recorder())) {
      Call call = phone.call(new GatewayCredentials(DOMAIN, ACCOUNT, PASSWORD), "door1");
      Request invite = challengeUntilAccepted(new ArrayList<>());
      gateway.reply(invite, 200, "OK", "gw6", "Contact: <sip:ipgw@127.0.0.1:5999;transport=tls>");
      gateway.awaitRequest("ACK");
      assertThat(call.await(CallState.ESTABLISHED, WAIT)).isEqualTo(CallState.ESTABLISHED);
      java.util.concurrent.CompletableFuture<Void> opened =
          java.util.concurrent.CompletableFuture.runAsync(
              () -> {
                try {
                  call.sendDoorOpen();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Request first = gateway.awaitRequest("INFO");
      DigestGate.Verdict none = gate.check("INFO", first.uri(), Optional.empty());
      List<String> extra = new ArrayList<>();
      for (String value : ((DigestGate.Challenge) none).headerValues()) {
        extra.add("Proxy-Authenticate: " + value);
      }
      gateway.reply(
          first, 407, "Proxy Authentication Required", "gw6", extra.toArray(new String[0]));
      Request second = gateway.awaitRequest("INFO");
      assertThat(gate.check("INFO", second.uri(), Optional.of(second.first("Proxy-Authorization"))))
          .isInstanceOf(DigestGate.Accepted.class);
      assertThat(second.first("CSeq")).isNotEqualTo(first.first("CSeq"));
      gateway.reply(second, 200, "OK", "gw6");
      opened.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      call.hangUp();
      gateway.reply(gateway.awaitRequest("BYE"), 200, "OK", "gw6");
    }
  }

  @Test
  void a_hang_up_right_before_close_still_sends_its_bye() throws Exception {
    SipPhone phone = registeredPhone(new Recorder());
    Call call = phone.call(new GatewayCredentials(DOMAIN, ACCOUNT, PASSWORD), "door1");
    Request invite = challengeUntilAccepted(new ArrayList<>());
    gateway.reply(invite, 200, "OK", "gw5", "Contact: <sip:ipgw@127.0.0.1:5999;transport=tls>");
    gateway.awaitRequest("ACK");
    assertThat(call.await(CallState.ESTABLISHED, WAIT)).isEqualTo(CallState.ESTABLISHED);
    Thread closer =
        new Thread(
            () -> {
              call.hangUp();
              phone.close();
            });
    closer.start();
    Request bye = gateway.awaitRequest("BYE");
    gateway.reply(bye, 200, "OK", "gw5");
    closer.join(WAIT.toMillis());
    assertThat(closer.isAlive()).isFalse();
  }

  @Test
  void a_wrong_password_is_refused_and_the_phone_gives_up() throws Exception {
    Recorder recorder = new Recorder();
    try (SipPhone phone = registeredPhone(recorder)) {
      SipPassword wrong = SipPassword.generate(new SecureRandom());
      Call call = phone.call(new GatewayCredentials(DOMAIN, ACCOUNT, wrong), "door1");
      List<String> verdicts = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread gatewaySide =
          new Thread(
              () -> {
                try {
                  challengeUntilAccepted(verdicts);
                } catch (Exception ignored) {
                  // the phone stops sending: the gateway side waits in vain until closed
                }
              });
      gatewaySide.setDaemon(true);
      gatewaySide.start();
      assertThat(call.await(CallState.ENDED, WAIT)).isEqualTo(CallState.ENDED);
      assertThat(call.endReason()).contains("auth_failed");
      assertThat(List.copyOf(verdicts))
          .containsExactly(
              "challenged: no credentials", "challenged: bad credentials for " + ACCOUNT);
    }
  }

  @Test
  void a_challenge_for_another_realm_is_not_answered() throws Exception {
    Recorder recorder = new Recorder();
    try (SipPhone phone = registeredPhone(recorder)) {
      Call call = phone.call(new GatewayCredentials("other0realm1", ACCOUNT, PASSWORD), "door1");
      // the portal routes other0realm1 nowhere: 480, and no credentials ever left the phone
      assertThat(call.await(CallState.ENDED, WAIT)).isEqualTo(CallState.ENDED);
      assertThat(call.endReason()).hasValueSatisfying(r -> assertThat(r).startsWith("refused 480"));
      // a gateway of another realm challenging: the phone sends no credentials for it
      Call second =
          phone.call(
              "sip:door1@" + DOMAIN,
              Optional.of(new GatewayCredentials("other0realm1", ACCOUNT, PASSWORD)),
              Optional.empty());
      Request invite = gateway.awaitRequest("INVITE");
      DigestGate.Challenge challenge =
          (DigestGate.Challenge) gate.check("INVITE", invite.uri(), Optional.empty());
      gateway.reply(
          invite,
          407,
          "Proxy Authentication Required",
          "gw4",
          "Proxy-Authenticate: " + challenge.headerValues().get(0));
      assertThat(second.await(CallState.ENDED, WAIT)).isEqualTo(CallState.ENDED);
      assertThat(second.endReason()).contains("auth_failed");
      assertThat(gateway.poll(m -> m instanceof Request r && r.method().equals("INVITE"), 1000))
          .isEmpty();
    }
  }
}
