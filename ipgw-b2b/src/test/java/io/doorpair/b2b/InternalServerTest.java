package io.doorpair.b2b;

import static io.doorpair.b2b.testing.PlainSipClient.header;
import static io.doorpair.b2b.testing.PlainSipClient.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.localsip.DigestGate;
import io.doorpair.b2b.localsip.FloodGuard;
import io.doorpair.b2b.localsip.InternalTarget;
import io.doorpair.b2b.localsip.Registrations;
import io.doorpair.b2b.stack.InternalServer;
import io.doorpair.b2b.testing.PlainSipClient;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.digest.DigestAlgorithm;
import io.doorpair.crypto.digest.DigestAuthorization;
import io.doorpair.crypto.digest.DigestChallenge;
import io.doorpair.crypto.digest.Ha1;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The embedded internal SIP server over real UDP and TCP sockets: a door station registers only
 * with its own digest credentials from the password file.
 */
class InternalServerTest {
  private static final String DOMAIN = "inttest00001";
  private static final SipPassword DOOR_PASSWORD = SipPassword.of("DoorPassw0rd");
  private static InternalServer server;
  private static InetSocketAddress address;

  @BeforeAll
  static void start() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    address = new InetSocketAddress("127.0.0.1", port);
    DigestGate gate =
        new DigestGate(
            DOMAIN,
            List.of(
                new PasswdEntry("door1", DOMAIN, DOOR_PASSWORD),
                new PasswdEntry("door2", DOMAIN, SipPassword.of("OtherPassw0rd")),
                new PasswdEntry("door1", "otherdomain1", SipPassword.of("Elsewhere000"))),
            Clock.systemUTC(),
            new SecureRandom());
    // every test here sends from 127.0.0.1 to one shared server: under the b2b's default limits
    // (60 requests at once, 20/s per source) a fast run spent the source's tokens and the flood
    // guard silently dropped a later test's ACK; the limits themselves are FloodTest's subject
    server =
        InternalServer.start(
            new InternalTarget("127.0.0.1", port, "udp"),
            gate,
            new Registrations(Clock.systemUTC()),
            new FloodGuard(
                System::nanoTime, new FloodGuard.Limits(10_000, 10_000, 10_000, 10_000)));
  }

  @org.junit.jupiter.api.Test
  void a_port_in_use_is_named_clearly() {
    // the running server holds address's UDP and TCP port: a second one cannot listen there
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                InternalServer.start(
                    new InternalTarget("127.0.0.1", address.getPort(), "udp"),
                    new DigestGate(DOMAIN, List.of(), Clock.systemUTC(), new SecureRandom()),
                    new Registrations(Clock.systemUTC())))
        .isInstanceOf(java.io.IOException.class)
        .hasMessage(
            "internal SIP server cannot listen on 127.0.0.1:"
                + address.getPort()
                + " (UDP and TCP): address already in use");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static PlainSipClient client(String transport) throws Exception {
    return transport.equals("udp") ? PlainSipClient.udp(address) : PlainSipClient.tcp(address);
  }

  private static String register(
      PlainSipClient c, String user, int cseq, String callId, String authorization) {
    String uri = "sip:" + DOMAIN;
    return "REGISTER "
        + uri
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/"
        + c.transport().toUpperCase(java.util.Locale.ROOT)
        + " 127.0.0.1:"
        + c.localPort()
        + ";rport;branch=z9hG4bK"
        + UUID.randomUUID()
        + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:"
        + user
        + "@"
        + DOMAIN
        + ">;tag=t"
        + cseq
        + "\r\n"
        + "To: <sip:"
        + user
        + "@"
        + DOMAIN
        + ">\r\n"
        + "Call-ID: "
        + callId
        + "\r\n"
        + "CSeq: "
        + cseq
        + " REGISTER\r\n"
        + "Contact: <sip:"
        + user
        + "@127.0.0.1:"
        + c.localPort()
        + ";transport="
        + c.transport()
        + ">\r\n"
        + "Expires: 120\r\n"
        + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
        + "Content-Length: 0\r\n\r\n";
  }

  private static String answer(String challengeHeader, String user, SipPassword password) {
    DigestChallenge challenge = DigestChallenge.parseAll(challengeHeader).get(0);
    Ha1 ha1 =
        Ha1.compute(
            challenge.algorithm(), user, challenge.realm(), password.reveal().toCharArray());
    return DigestAuthorization.answer(
            challenge, user, ha1, "REGISTER", "sip:" + DOMAIN, "cn" + UUID.randomUUID(), 1)
        .toHeaderValue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp"})
  void a_door_station_registers_with_its_own_password(String transport) throws Exception {
    server.registrations().put("door1", "*", "udp", "", 0);
    try (PlainSipClient door = client(transport)) {
      String callId = UUID.randomUUID().toString();
      String challenged = door.send(register(door, "door1", 1, callId, null));
      assertThat(status(challenged)).isEqualTo(401);
      String challenge = header(challenged, "WWW-Authenticate");
      assertThat(challenge).contains("realm=\"" + DOMAIN + "\"").contains("qop=\"auth\"");
      String ok =
          door.send(register(door, "door1", 2, callId, answer(challenge, "door1", DOOR_PASSWORD)));
      assertThat(status(ok)).isEqualTo(200);
      assertThat(header(ok, "Contact")).contains("expires=120");
      assertThat(server.registrations().of("door1"))
          .get()
          .satisfies(
              c -> {
                assertThat(c.contact())
                    .isEqualTo(
                        "sip:door1@127.0.0.1:" + door.localPort() + ";transport=" + transport);
                assertThat(c.transport()).isEqualTo(transport);
              });
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp"})
  void a_wrong_password_or_another_domain_password_is_challenged_again(String transport)
      throws Exception {
    try (PlainSipClient door = client(transport)) {
      String callId = UUID.randomUUID().toString();
      String challenge =
          header(door.send(register(door, "door2", 1, callId, null)), "WWW-Authenticate");
      String refused =
          door.send(register(door, "door2", 2, callId, answer(challenge, "door2", DOOR_PASSWORD)));
      assertThat(status(refused)).isEqualTo(401);
      String unknown =
          door.send(
              register(door, "nobody", 3, callId, answer(challenge, "nobody", DOOR_PASSWORD)));
      assertThat(status(unknown)).isEqualTo(401);
      assertThat(server.registrations().of("door2")).isEmpty();
      assertThat(server.registrations().of("nobody")).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp"})
  void one_account_cannot_register_another(String transport) throws Exception {
    try (PlainSipClient door = client(transport)) {
      String callId = UUID.randomUUID().toString();
      String challenge =
          header(door.send(register(door, "door2", 1, callId, null)), "WWW-Authenticate");
      String request =
          register(door, "door2", 2, callId, answer(challenge, "door1", DOOR_PASSWORD));
      assertThat(status(door.send(request))).isEqualTo(403);
      assertThat(server.registrations().of("door2")).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"MD5", "SHA-256"})
  void both_digest_algorithms_are_offered_and_accepted(String algorithm) throws Exception {
    try (PlainSipClient door = client("udp")) {
      String callId = UUID.randomUUID().toString();
      String challenged = door.send(register(door, "door1", 1, callId, null));
      String offered =
          java.util.Arrays.stream(challenged.split("\r\n"))
              .filter(l -> l.startsWith("WWW-Authenticate:"))
              .map(l -> l.substring(l.indexOf(':') + 1).strip())
              .filter(v -> v.contains("algorithm=" + algorithm))
              .findFirst()
              .orElseThrow();
      assertThat(DigestChallenge.parseAll(offered).get(0).algorithm())
          .isEqualTo(DigestAlgorithm.fromToken(algorithm));
      String ok =
          door.send(register(door, "door1", 2, callId, answer(offered, "door1", DOOR_PASSWORD)));
      assertThat(status(ok)).isEqualTo(200);
    }
  }

  private static String invite(PlainSipClient c, String from, String to, String authorization) {
    String uri = "sip:" + to + "@" + DOMAIN;
    return "INVITE "
        + uri
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:"
        + c.localPort()
        + ";rport;branch=z9hG4bK"
        + UUID.randomUUID()
        + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:"
        + from
        + "@"
        + DOMAIN
        + ">;tag=door\r\n"
        + "To: <"
        + uri
        + ">\r\n"
        + "Call-ID: "
        + UUID.randomUUID()
        + "\r\n"
        + "CSeq: 1 INVITE\r\n"
        + "Contact: <sip:"
        + from
        + "@127.0.0.1:"
        + c.localPort()
        + ">\r\n"
        + (authorization == null ? "" : "Proxy-Authorization: " + authorization + "\r\n")
        + "Content-Length: 0\r\n\r\n";
  }

  private static String answerInvite(
      String challengeHeader, String user, SipPassword password, String to) {
    return answerInvite(challengeHeader, user, password, to, 1);
  }

  private static String answerInvite(
      String challengeHeader, String user, SipPassword password, String to, long nc) {
    DigestChallenge challenge = DigestChallenge.parseAll(challengeHeader).get(0);
    Ha1 ha1 =
        Ha1.compute(
            challenge.algorithm(), user, challenge.realm(), password.reveal().toCharArray());
    return DigestAuthorization.answer(
            challenge,
            user,
            ha1,
            "INVITE",
            "sip:" + to + "@" + DOMAIN,
            "cn" + UUID.randomUUID(),
            nc)
        .toHeaderValue();
  }

  @org.junit.jupiter.api.Test
  void an_invite_is_challenged_then_proxied_to_the_registered_contact_and_answers_come_back()
      throws Exception {
    try (PlainSipClient caller = PlainSipClient.udp(address);
        PlainSipClient callee = PlainSipClient.udp(address)) {
      server
          .registrations()
          .put("callee", "sip:callee@127.0.0.1:" + callee.localPort(), "udp", "127.0.0.1", 120);
      String challenged = caller.send(invite(caller, "door1", "callee", null));
      assertThat(status(challenged)).isEqualTo(407);
      String challenge = header(challenged, "Proxy-Authenticate");
      assertThat(challenge).contains("realm=\"" + DOMAIN + "\"");
      caller.write(
          invite(
              caller,
              "door1",
              "callee",
              answerInvite(challenge, "door1", DOOR_PASSWORD, "callee")));
      String forwarded = callee.receive();
      assertThat(forwarded)
          .startsWith("INVITE sip:callee@127.0.0.1:" + callee.localPort() + " SIP/2.0");
      assertThat(forwarded).doesNotContain("Proxy-Authorization");
      assertThat(header(forwarded, "Max-Forwards")).isEqualTo("69");
      // the callee answers busy along the Via: the proxy pops its own and relays it
      StringBuilder busy = new StringBuilder("SIP/2.0 486 Busy Here\r\n");
      for (String line : forwarded.split("\r\n")) {
        String name = line.contains(":") ? line.substring(0, line.indexOf(':')) : "";
        if (name.equalsIgnoreCase("Via")
            || name.equalsIgnoreCase("From")
            || name.equalsIgnoreCase("Call-ID")
            || name.equalsIgnoreCase("CSeq")) {
          busy.append(line).append("\r\n");
        } else if (name.equalsIgnoreCase("To")) {
          busy.append(line).append(";tag=callee\r\n");
        }
      }
      busy.append("Content-Length: 0\r\n\r\n");
      callee.write(busy.toString());
      String relayed = caller.receive();
      while (relayed.startsWith("SIP/2.0 1")) {
        relayed = caller.receive();
      }
      assertThat(status(relayed)).isEqualTo(486);
      assertThat(relayed.split("Via:", -1)).hasSize(2);
    } finally {
      server.registrations().put("callee", "*", "udp", "", 0);
    }
  }

  /**
   * RFC 3261 §16.11 and §17.1.1.3: the ACK of a relayed error is hop by hop, so the stateless proxy
   * forwards it with the same derived branch as the INVITE (the callee's INVITE server transaction
   * takes it and stops retransmitting its error), while the ACK of the proxy's own {@code 407}
   * stays at the proxy (it carries the proxy's To tag).
   */
  @org.junit.jupiter.api.Test
  void the_ack_of_a_relayed_error_reaches_the_callee_and_the_ack_of_our_own_407_stays_here()
      throws Exception {
    try (PlainSipClient caller = PlainSipClient.udp(address);
        PlainSipClient callee = PlainSipClient.udp(address)) {
      server
          .registrations()
          .put("callee", "sip:callee@127.0.0.1:" + callee.localPort(), "udp", "127.0.0.1", 120);
      String first = invite(caller, "door1", "callee", null);
      String challenged = caller.send(first);
      assertThat(status(challenged)).isEqualTo(407);
      assertThat(header(challenged, "To")).contains(";tag=");
      caller.write(ackOf(first, challenged));
      String second =
          invite(
              caller,
              "door1",
              "callee",
              answerInvite(
                  header(challenged, "Proxy-Authenticate"), "door1", DOOR_PASSWORD, "callee"));
      caller.write(second);
      String forwarded = callee.receive();
      assertThat(forwarded)
          .as("the ACK of the proxy's own 407 is not forwarded")
          .startsWith("INVITE sip:callee@127.0.0.1:" + callee.localPort() + " SIP/2.0");
      StringBuilder busy = new StringBuilder("SIP/2.0 486 Busy Here\r\n");
      for (String line : forwarded.split("\r\n")) {
        String name = line.contains(":") ? line.substring(0, line.indexOf(':')) : "";
        if (name.equalsIgnoreCase("Via")
            || name.equalsIgnoreCase("From")
            || name.equalsIgnoreCase("Call-ID")
            || name.equalsIgnoreCase("CSeq")) {
          busy.append(line).append("\r\n");
        } else if (name.equalsIgnoreCase("To")) {
          busy.append(line).append(";tag=callee\r\n");
        }
      }
      busy.append("Content-Length: 0\r\n\r\n");
      callee.write(busy.toString());
      String relayed = caller.receive();
      while (relayed.startsWith("SIP/2.0 1")) {
        relayed = caller.receive();
      }
      assertThat(status(relayed)).isEqualTo(486);
      caller.write(ackOf(second, relayed));
      String ack = callee.receive();
      assertThat(ack).startsWith("ACK sip:callee@127.0.0.1:" + callee.localPort() + " SIP/2.0");
      assertThat(header(ack, "Via"))
          .as("the same branch as the forwarded INVITE: the callee's transaction matches it")
          .isEqualTo(header(forwarded, "Via"));
      assertThat(header(ack, "CSeq")).isEqualTo("1 ACK");
      assertThat(header(ack, "To")).endsWith(";tag=callee");
      assertThat(header(ack, "Max-Forwards")).isEqualTo("69");
    } finally {
      server.registrations().put("callee", "*", "udp", "", 0);
    }
  }

  /** The hop-by-hop ACK of a non-2xx final response to {@code invite} (RFC 3261 §17.1.1.3). */
  private static String ackOf(String invite, String response) {
    String[] lines = invite.split("\r\n");
    StringBuilder ack = new StringBuilder("ACK " + lines[0].split(" ")[1] + " SIP/2.0\r\n");
    ack.append("Via: ").append(header(invite, "Via")).append("\r\n");
    ack.append("Max-Forwards: 70\r\n");
    ack.append("From: ").append(header(invite, "From")).append("\r\n");
    ack.append("To: ").append(header(response, "To")).append("\r\n");
    ack.append("Call-ID: ").append(header(invite, "Call-ID")).append("\r\n");
    ack.append("CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
    return ack.toString();
  }

  @org.junit.jupiter.api.Test
  void an_invite_from_another_account_than_the_credentials_or_to_nobody_is_refused()
      throws Exception {
    try (PlainSipClient caller = PlainSipClient.udp(address)) {
      String challenge =
          header(caller.send(invite(caller, "door2", "ipgw", null)), "Proxy-Authenticate");
      String forged =
          caller.send(
              invite(
                  caller,
                  "door2",
                  "ipgw",
                  answerInvite(challenge, "door1", DOOR_PASSWORD, "ipgw")));
      assertThat(status(forged)).isEqualTo(403);
      // the same nonce again, with the next nonce count (nc 1 is used up)
      String nobody =
          caller.send(
              invite(
                  caller,
                  "door1",
                  "nobody",
                  answerInvite(challenge, "door1", DOOR_PASSWORD, "nobody", 2)));
      assertThat(status(nobody)).isEqualTo(480);
    }
  }

  private static String routed(String request, String route) {
    return request.replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nRoute: " + route + "\r\n");
  }

  /**
   * A phone with this server as its outbound proxy (Linphone's {@code reg_route}) names it in a
   * {@code Route}: the proxy removes it and forwards to the contact (before, the stack sent the
   * forwarded INVITE back to the server itself, which challenged it: the phone saw 407 again).
   */
  @org.junit.jupiter.api.Test
  void a_route_naming_this_server_is_removed_and_a_route_elsewhere_is_refused() throws Exception {
    try (PlainSipClient caller = PlainSipClient.udp(address);
        PlainSipClient callee = PlainSipClient.udp(address)) {
      server
          .registrations()
          .put("callee", "sip:callee@127.0.0.1:" + callee.localPort(), "udp", "127.0.0.1", 120);
      String ours = "<sip:127.0.0.1:" + address.getPort() + ";transport=udp;lr>";
      String challenged = caller.send(routed(invite(caller, "door1", "callee", null), ours));
      assertThat(status(challenged)).isEqualTo(407);
      String challenge = header(challenged, "Proxy-Authenticate");
      caller.write(
          routed(
              invite(
                  caller,
                  "door1",
                  "callee",
                  answerInvite(challenge, "door1", DOOR_PASSWORD, "callee")),
              ours));
      String forwarded = callee.receive();
      assertThat(forwarded)
          .startsWith("INVITE sip:callee@127.0.0.1:" + callee.localPort() + " SIP/2.0")
          .doesNotContain("Route:")
          .doesNotContain("Proxy-Authorization");

      String elsewhere =
          caller.send(
              routed(
                  invite(
                      caller,
                      "door1",
                      "callee",
                      answerInvite(challenge, "door1", DOOR_PASSWORD, "callee", 2)),
                  "<sip:127.0.0.1:9;lr>"));
      while (elsewhere.startsWith("SIP/2.0 1")) {
        elsewhere = caller.receive();
      }
      assertThat(status(elsewhere)).isEqualTo(403);
    } finally {
      server.registrations().put("callee", "*", "udp", "", 0);
    }
  }
}
