package io.doorpair.sipedge;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.registrar.Binding;
import io.doorpair.sipedge.registrar.Bindings;
import io.doorpair.sipedge.registrar.InMemoryBindings;
import io.doorpair.sipedge.registrar.RegistrationPolicy;
import io.doorpair.sipedge.stack.StackSettings;
import io.doorpair.sipedge.testing.SipTlsClient;
import io.doorpair.sipedge.testing.SipTlsClient.Message;
import io.doorpair.sipedge.testing.SipTlsClient.Request;
import io.doorpair.sipedge.testing.SipTlsClient.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proxy over real TLS sockets against the real stack: forking to a user's devices, GRUU and
 * gateway routing, CANCEL, ACK and BYE through Record-Route flow tokens, and the guard that never
 * dials a client.
 */
class SipProxyTest {
  private static final String DOMAIN = "portal.test";
  private static final String GW_DOMAIN = "abcdefghijkl";
  private static final Duration TIMER_C = Duration.ofSeconds(4);
  private static final TestPki PKI = TestPki.shared();
  private static final Set<String> STICKY_FLOWS = ConcurrentHashMap.newKeySet();
  private static final BlockingQueue<String> CLOSED_FLOWS = new LinkedBlockingQueue<>();
  private static RunningSipEdge edge;
  private static Leaf gateway;

  @BeforeAll
  static void start() throws IOException {
    gateway = PKI.issueClient("ipgw@" + GW_DOMAIN, Optional.empty());
    Leaf server = PKI.issueServer("127.0.0.1");
    edge =
        SipEdge.start(
            new SipEdgeConfig(
                SipEdgeConfig.parseListen("127.0.0.1:0"),
                DOMAIN,
                List.of(PKI.caCertificate()),
                server.keys().getPrivate(),
                List.of(server.certificate()),
                RegistrationPolicy.DEFAULT,
                new StackSettings("test-proxy", 65536, 4, 600_000, 5000),
                Optional.empty(),
                TIMER_C),
            new StickyBindings(),
            Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (edge != null) {
      edge.close();
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static SipTlsClient connect(Leaf identity) throws IOException {
    return SipTlsClient.connect(edge.sipAddress(), Optional.of(identity), PKI.caCertificate());
  }

  /** A registered device: its connection, certificate and Contact. */
  private record Device(SipTlsClient client, Leaf leaf, String contact) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      client.close();
    }
  }

  private static Device device(String user, String name) throws IOException {
    return device(user, name, 0);
  }

  private static Device device(String user, String name, int localPort) throws IOException {
    Leaf leaf = PKI.issueClient(user + "@" + DOMAIN, Optional.of(UUID.randomUUID()));
    UUID instance = CertificateIdentity.of(leaf.certificate()).instance().orElseThrow();
    SipTlsClient client =
        localPort == 0
            ? connect(leaf)
            : SipTlsClient.connectFrom(
                localPort, edge.sipAddress(), Optional.of(leaf), PKI.caCertificate());
    String contact = "sip:" + name + "@192.0.2.10:5999;transport=tls";
    Response ok =
        client.send(
            SipTlsClient.request(
                "REGISTER",
                "sip:" + DOMAIN,
                "<sip:" + user + "@" + DOMAIN + ">",
                "<sip:" + user + "@" + DOMAIN + ">",
                "Contact: <" + contact + ">;+sip.instance=\"<urn:uuid:" + instance + ">\"",
                "Supported: gruu",
                "Expires: 600"));
    assertThat(ok.status()).isEqualTo(200);
    return new Device(client, leaf, contact);
  }

  private static Device gatewayDevice(Leaf leaf, String domain) throws IOException {
    SipTlsClient client = connect(leaf);
    String contact = "sip:ipgw@192.0.2.20:5999;transport=tls";
    Response ok =
        client.send(
            SipTlsClient.request(
                "REGISTER",
                "sip:" + domain,
                "<sip:ipgw@" + domain + ">",
                "<sip:ipgw@" + domain + ">",
                "Contact: <" + contact + ">",
                "Expires: 600"));
    assertThat(ok.status()).isEqualTo(200);
    return new Device(client, leaf, contact);
  }

  private static String invite(String requestUri, String from, String to) {
    return SipTlsClient.request(
        "INVITE",
        requestUri,
        from,
        to,
        "Contact: <sip:caller@192.0.2.30:5999;transport=tls>",
        "Content-Type: application/sdp");
  }

  /** The gateway's INVITE to {@code user} at the portal domain. */
  private static String gatewayInvite(String user) {
    return invite(
        "sip:" + user + "@" + DOMAIN,
        "<sip:ipgw@" + GW_DOMAIN + ">",
        "<sip:" + user + "@" + DOMAIN + ">");
  }

  private static String callId(String request) {
    for (String line : request.split("\r\n")) {
      if (line.startsWith("Call-ID:")) {
        return line.substring("Call-ID:".length()).trim();
      }
    }
    throw new AssertionError("no Call-ID");
  }

  /** How many Via entries a message carries (the stack may fold them into one line). */
  private static int vias(Message message) {
    int n = 0;
    for (String via : message.header("Via")) {
      n += via.split("SIP/2\\.0/", -1).length - 1;
    }
    return n;
  }

  private static String uniqueUser(String base) {
    return base + SipTlsClient.token().substring(0, 6);
  }

  // ---- assumptions about the stack's connection handling -------------------------------------

  @Test
  void outgoing_request_uses_the_connection_the_target_registered_on() throws IOException {
    String user = uniqueUser("olga");
    try (Device phone = device(user, "phone");
        SipTlsClient caller = connect(gateway)) {
      String request =
          SipTlsClient.request(
              "MESSAGE",
              "sip:" + user + "@" + DOMAIN,
              "<sip:ipgw@" + GW_DOMAIN + ">",
              "<sip:" + user + "@" + DOMAIN + ">");
      caller.write(request);
      Request received = phone.client().awaitRequest("MESSAGE");
      // arrived on the registered socket, Request-URI retargeted to the registered Contact
      assertThat(received.uri()).isEqualTo(phone.contact());
      assertThat(vias(received)).isEqualTo(2);
      phone.client().reply(received, 200, "OK", "t1");
      assertThat(caller.awaitResponse(200).first("Call-ID")).isEqualTo(callId(request));
      assertThat(edge.refusedDials()).isZero();
    }
  }

  @Test
  void gone_connection_gets_480_and_the_stack_dials_nobody() throws Exception {
    String user = uniqueUser("gone");
    Device phone = device(user, "phone", portBelowTheEphemeralRange());
    String flow = phone.client().flow();
    int oldPort = phone.client().localPort();
    STICKY_FLOWS.add(flow); // the binding outlives its connection: the stack must not dial it
    try {
      phone.client().abort();
      awaitClosed(flow);
      assertThat(edge.bindings().of(user + "@" + DOMAIN, Instant.now())).hasSize(1);
      try (ServerSocket oldAddress = new ServerSocket()) {
        oldAddress.setReuseAddress(true);
        oldAddress.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), oldPort));
        long before = edge.refusedDials();
        try (SipTlsClient caller = connect(gateway)) {
          Response response = caller.send(gatewayInvite(user));
          assertThat(response.status()).isEqualTo(480);
        }
        assertThat(edge.refusedDials()).isGreaterThan(before);
        oldAddress.setSoTimeout(500);
        try {
          oldAddress.accept().close();
          throw new AssertionError("the stack dialled the device's old address");
        } catch (SocketTimeoutException expected) {
          // nobody connected
        }
      }
    } finally {
      STICKY_FLOWS.remove(flow);
    }
  }

  /** A free loopback port that no outgoing connection will be given meanwhile. */
  private static int portBelowTheEphemeralRange() throws IOException {
    SecureRandom random = new SecureRandom();
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = 20_000 + random.nextInt(10_000);
      try (ServerSocket probe = new ServerSocket()) {
        probe.setReuseAddress(false);
        probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port in 20000-29999");
  }

  private static void awaitClosed(String flow) throws InterruptedException {
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String closed;
    do {
      closed = CLOSED_FLOWS.poll(Math.max(1, guard - System.nanoTime()), TimeUnit.NANOSECONDS);
    } while (closed != null && !closed.equals(flow));
    assertThat(closed).as("server noticed the close of " + flow).isEqualTo(flow);
  }

  @Test
  void responses_read_together_are_relayed_in_the_order_they_were_sent() throws IOException {
    // jain-sip handed each message of a read to the next pool thread: a 180 and a 200 written
    // together raced, and a 180 handled after its 200 had ended the transaction was lost
    String user = uniqueUser("order");
    try (Device phone = device(user, "phone");
        Device gw = gatewayDevice(gateway, GW_DOMAIN)) {
      for (int call = 0; call < 30; call++) {
        String invite = gatewayInvite(user);
        gw.client().write(invite);
        Request at = phone.client().awaitRequest("INVITE");
        phone
            .client()
            .write(
                SipTlsClient.response(at, 180, "Ringing", "tag-p")
                    + SipTlsClient.response(
                        at, 200, "OK", "tag-p", "Contact: <" + phone.contact() + ">"));
        String callId = callId(invite);
        Message first =
            gw.client()
                .poll(
                    m ->
                        m instanceof Response r
                            && r.status() >= 180
                            && callId.equals(r.first("Call-ID")),
                    30_000)
                .orElseThrow();
        assertThat(((Response) first).status()).as("call %d", call).isEqualTo(180);
        gw.client().awaitResponse(r -> r.status() == 200 && callId.equals(r.first("Call-ID")));
      }
    }
  }

  // ---- forking ------------------------------------------------------------------------------

  @Test
  void call_rings_both_devices_first_answer_wins_and_the_dialog_stays_on_the_proxy()
      throws IOException {
    try (Device one = device("alice", "alice-one");
        Device two = device("alice", "alice-two");
        Device gw = gatewayDevice(gateway, GW_DOMAIN)) {
      String invite = gatewayInvite("alice");
      gw.client().write(invite);
      Request atOne = one.client().awaitRequest("INVITE");
      Request atTwo = two.client().awaitRequest("INVITE");
      assertThat(atOne.uri()).isEqualTo(one.contact());
      assertThat(atTwo.uri()).isEqualTo(two.contact());
      assertThat(atOne.header("Record-Route")).hasSize(1);
      assertThat(atOne.first("Max-Forwards")).isEqualTo("69");

      one.client().reply(atOne, 180, "Ringing", "tag-one");
      two.client().reply(atTwo, 180, "Ringing", "tag-two");
      assertThat(vias(gw.client().awaitResponse(180))).isEqualTo(1);

      one.client().reply(atOne, 200, "OK", "tag-one", "Contact: <" + one.contact() + ">");
      Request cancel = two.client().awaitRequest("CANCEL");
      two.client().reply(cancel, 200, "OK", "tag-two");
      two.client().reply(atTwo, 487, "Request Terminated", "tag-two");
      two.client().awaitRequest("ACK"); // the proxy's ACK for the 487

      Response ok = gw.client().awaitResponse(200);
      assertThat(ok.first("To")).contains("tag=tag-one");
      assertThat(vias(ok)).isEqualTo(1);
      List<String> routes = new ArrayList<>();
      for (String rr : ok.header("Record-Route")) {
        routes.add(0, SipTlsClient.uriOf(rr));
      }
      assertThat(routes).hasSize(1);
      String remote = SipTlsClient.uriOf(ok.first("Contact"));
      String callId = callId(invite);

      // ACK for the 2xx, caller to callee, statelessly along the Route
      gw.client()
          .write(
              SipTlsClient.inDialog(
                  "ACK", remote, routes, ok.first("From"), ok.first("To"), callId, 1));
      Request ack = one.client().awaitRequest("ACK");
      assertThat(ack.header("Route")).isEmpty();

      // BYE callee to caller: the callee's route set is the INVITE's Record-Route
      List<String> calleeRoutes = new ArrayList<>();
      for (String rr : atOne.header("Record-Route")) {
        calleeRoutes.add(SipTlsClient.uriOf(rr));
      }
      String calleeFrom = atOne.first("To") + ";tag=tag-one";
      one.client()
          .write(
              SipTlsClient.inDialog(
                  "BYE",
                  "sip:caller@192.0.2.30:5999;transport=tls",
                  calleeRoutes,
                  calleeFrom,
                  atOne.first("From"),
                  callId,
                  1));
      Request bye = gw.client().awaitRequest("BYE");
      gw.client().reply(bye, 200, "OK", "unused");
      assertThat(one.client().awaitResponse(200).first("CSeq")).contains("BYE");

      // and a BYE the other way round, caller to callee
      gw.client()
          .write(
              SipTlsClient.inDialog(
                  "BYE", remote, routes, ok.first("From"), ok.first("To"), callId, 2));
      Request bye2 = one.client().awaitRequest("BYE");
      one.client().reply(bye2, 200, "OK", "tag-one");
      assertThat(gw.client().awaitResponse(200).first("CSeq")).contains("BYE");
    }
  }

  @Test
  void decline_from_one_device_ends_the_search() throws IOException {
    String user = uniqueUser("bella");
    try (Device one = device(user, "one");
        Device two = device(user, "two");
        Device gw = gatewayDevice(gateway, GW_DOMAIN)) {
      gw.client().write(gatewayInvite(user));
      Request atOne = one.client().awaitRequest("INVITE");
      Request atTwo = two.client().awaitRequest("INVITE");
      two.client().reply(atTwo, 180, "Ringing", "two");
      one.client().reply(atOne, 603, "Decline", "one");
      assertThat(two.client().awaitRequest("CANCEL")).isNotNull();
      assertThat(gw.client().awaitResponse(r -> r.status() >= 200).status()).isEqualTo(603);
    }
  }

  @Test
  void busy_and_unreachable_branches_give_the_best_response() throws IOException {
    String user = uniqueUser("cora");
    try (Device one = device(user, "one");
        Device two = device(user, "two");
        Device gw = gatewayDevice(gateway, GW_DOMAIN)) {
      String invite = gatewayInvite(user);
      gw.client().write(invite);
      Request atOne = one.client().awaitRequest("INVITE");
      Request atTwo = two.client().awaitRequest("INVITE");
      one.client().reply(atOne, 480, "Temporarily Unavailable", "one");
      two.client().reply(atTwo, 486, "Busy Here", "two");
      Response busy = gw.client().awaitResponse(r -> r.status() >= 200);
      assertThat(busy.status()).isEqualTo(486);
      // each device gets the proxy's own ACK for its non-2xx (one Via: the proxy's)...
      assertThat(vias(one.client().awaitRequest("ACK"))).isEqualTo(1);
      assertThat(vias(two.client().awaitRequest("ACK"))).isEqualTo(1);
      // ...and the caller's ACK for the 486 is absorbed by the proxy's transaction
      gw.client().write(SipTlsClient.ackOf(invite, busy));
      assertThat(two.client().poll(m -> m instanceof Request, 500)).isEmpty();
      assertThat(one.client().poll(m -> m instanceof Request, 100)).isEmpty();
    }
  }

  @Test
  void gruu_reaches_exactly_that_device() throws IOException {
    String user = uniqueUser("dora");
    try (Device one = device(user, "one");
        Device two = device(user, "two");
        Device gw = gatewayDevice(gateway, GW_DOMAIN)) {
      UUID instance = CertificateIdentity.of(two.leaf().certificate()).instance().orElseThrow();
      String gruu = "sip:" + user + "@" + DOMAIN + ";gr=urn:uuid:" + instance;
      gw.client()
          .write(
              SipTlsClient.request(
                  "MESSAGE",
                  gruu,
                  "<sip:ipgw@" + GW_DOMAIN + ">",
                  "<sip:" + user + "@" + DOMAIN + ">"));
      Request atTwo = two.client().awaitRequest("MESSAGE");
      assertThat(atTwo.uri()).isEqualTo(two.contact());
      two.client().reply(atTwo, 200, "OK", "two");
      assertThat(gw.client().awaitResponse(r -> r.status() >= 200).status()).isEqualTo(200);
      assertThat(one.client().poll(m -> m instanceof Request, 300)).isEmpty();

      Response unknown =
          gw.client()
              .send(
                  SipTlsClient.request(
                      "MESSAGE",
                      "sip:" + user + "@" + DOMAIN + ";gr=urn:uuid:" + UUID.randomUUID(),
                      "<sip:ipgw@" + GW_DOMAIN + ">",
                      "<sip:" + user + "@" + DOMAIN + ">"));
      assertThat(unknown.status()).isEqualTo(480);
    }
  }

  @Test
  void a_gateway_cannot_address_another_gateways_domain() throws IOException {
    String domain = "gw" + SipTlsClient.token().substring(0, 10);
    Leaf victim = PKI.issueClient("ipgw@" + domain, Optional.empty());
    try (Device gw = gatewayDevice(victim, domain);
        SipTlsClient thief = connect(gateway)) {
      Response refused =
          thief.send(
              invite(
                  "sip:door@" + domain,
                  "<sip:alice@" + GW_DOMAIN + ">",
                  "<sip:door@" + domain + ">"));
      assertThat(refused.status()).isEqualTo(403);
      thief.write(
          invite(
              "sip:door@" + domain, "<sip:ipgw@" + GW_DOMAIN + ">", "<sip:door@" + domain + ">"));
      assertThat(thief.awaitResponse(r -> r.status() >= 200).status()).isEqualTo(403);
      assertThat(gw.contact()).as("the victim gateway is registered all along").isNotEmpty();
    }
  }

  @Test
  void app_calling_any_user_at_a_gateway_domain_reaches_the_gateway_connection()
      throws IOException {
    String domain = "gw" + SipTlsClient.token().substring(0, 10);
    Leaf otherGateway = PKI.issueClient("ipgw@" + domain, Optional.empty());
    try (Device app = device(uniqueUser("erin"), "app");
        Device gw = gatewayDevice(otherGateway, domain)) {
      String user = CertificateIdentity.of(app.leaf().certificate()).commonName();
      app.client()
          .write(invite("sip:door@" + domain, "<sip:" + user + ">", "<sip:door@" + domain + ">"));
      Request atGateway = gw.client().awaitRequest("INVITE");
      assertThat(atGateway.uri()).isEqualTo("sip:door@" + domain);
      gw.client().reply(atGateway, 486, "Busy Here", "gw");
      assertThat(app.client().awaitResponse(r -> r.status() >= 200).status()).isEqualTo(486);
    }
  }

  @Test
  void gateway_answers_a_call_to_its_domain_and_hangs_up_as_the_door() throws IOException {
    String domain = "gw" + SipTlsClient.token().substring(0, 10);
    Leaf otherGateway = PKI.issueClient("ipgw@" + domain, Optional.empty());
    try (Device app = device(uniqueUser("fred"), "app");
        Device gw = gatewayDevice(otherGateway, domain)) {
      String user = CertificateIdentity.of(app.leaf().certificate()).commonName();
      String invite =
          invite("sip:door@" + domain, "<sip:" + user + ">", "<sip:door@" + domain + ">");
      app.client().write(invite);
      Request atGateway = gw.client().awaitRequest("INVITE");
      gw.client().reply(atGateway, 200, "OK", "door", "Contact: <" + gw.contact() + ">");
      Response ok = app.client().awaitResponse(200);
      List<String> gatewayRoutes = new ArrayList<>();
      for (String rr : atGateway.header("Record-Route")) {
        gatewayRoutes.add(SipTlsClient.uriOf(rr));
      }
      // RFC 3261 12.2.1.1: the b2b's BYE comes From the address that was called, door@DOMAIN;
      // its certificate ipgw@DOMAIN speaks for that DOMAIN outside REGISTER.
      gw.client()
          .write(
              SipTlsClient.inDialog(
                  "BYE",
                  "sip:app@192.0.2.31:5999;transport=tls",
                  gatewayRoutes,
                  atGateway.first("To") + ";tag=door",
                  atGateway.first("From"),
                  callId(invite),
                  1));
      Request bye = app.client().awaitRequest("BYE");
      assertThat(bye.first("From")).contains("door@" + domain);
      app.client().reply(bye, 200, "OK", "unused");
      assertThat(gw.client().awaitResponse(200).first("CSeq")).contains("BYE");
      assertThat(ok.first("To")).contains("tag=door");
    }
  }

  @Test
  void domain_without_a_registered_gateway_gets_480() throws IOException {
    try (Device app = device(uniqueUser("fay"), "app")) {
      String user = CertificateIdentity.of(app.leaf().certificate()).commonName();
      Response response =
          app.client()
              .send(
                  invite(
                      "sip:door@nogateway.example",
                      "<sip:" + user + ">",
                      "<sip:door@nogateway.example>"));
      assertThat(response.status()).isEqualTo(480);
    }
  }

  // ---- CANCEL, timer C, Max-Forwards, flow tokens ------------------------------------------

  @Test
  void caller_cancel_reaches_every_ringing_device() throws IOException {
    String user = uniqueUser("gina");
    try (Device one = device(user, "one");
        Device two = device(user, "two");
        Device gw = gatewayDevice(gateway, GW_DOMAIN)) {
      String invite = gatewayInvite(user);
      gw.client().write(invite);
      Request atOne = one.client().awaitRequest("INVITE");
      Request atTwo = two.client().awaitRequest("INVITE");
      one.client().reply(atOne, 180, "Ringing", "one");
      two.client().reply(atTwo, 180, "Ringing", "two");
      gw.client().awaitResponse(180);
      gw.client().awaitResponse(180);

      gw.client().write(SipTlsClient.cancelOf(invite));
      Response cancelled = gw.client().awaitResponse(r -> r.first("CSeq").contains("CANCEL"));
      assertThat(cancelled.status()).isEqualTo(200);
      Response terminated =
          gw.client().awaitResponse(r -> r.status() >= 200 && r.first("CSeq").contains("INVITE"));
      assertThat(terminated.status()).isEqualTo(487);
      for (Device d : List.of(one, two)) {
        Request cancel = d.client().awaitRequest("CANCEL");
        assertThat(cancel.first("Call-ID")).isEqualTo(callId(invite));
        d.client().reply(cancel, 200, "OK", "x");
      }
      // device two obeys; device one had answered at the same moment: its 2xx still goes upstream
      two.client().reply(atTwo, 487, "Request Terminated", "two");
      one.client().reply(atOne, 200, "OK", "one", "Contact: <" + one.contact() + ">");
      Response late =
          gw.client().awaitResponse(r -> r.status() == 200 && r.first("CSeq").contains("INVITE"));
      assertThat(late.first("To")).contains("tag=one");
      assertThat(vias(late)).isEqualTo(1);
    }
  }

  @Test
  void cancel_from_another_connection_is_not_matched() throws IOException {
    String user = uniqueUser("hana");
    try (Device one = device(user, "one");
        Device gw = gatewayDevice(gateway, GW_DOMAIN);
        SipTlsClient sameCertificate = connect(gateway)) {
      String invite = gatewayInvite(user);
      gw.client().write(invite);
      Request atOne = one.client().awaitRequest("INVITE");
      one.client().reply(atOne, 180, "Ringing", "one");
      gw.client().awaitResponse(180);
      assertThat(sameCertificate.send(SipTlsClient.cancelOf(invite)).status()).isEqualTo(481);
      assertThat(one.client().poll(m -> m instanceof Request, 300)).isEmpty();
      one.client().reply(atOne, 486, "Busy Here", "one");
      assertThat(gw.client().awaitResponse(r -> r.status() >= 200).status()).isEqualTo(486);
    }
  }

  @Test
  void timer_c_cancels_a_device_that_never_answers() throws IOException {
    String user = uniqueUser("iris");
    try (Device one = device(user, "one");
        Device gw = gatewayDevice(gateway, GW_DOMAIN)) {
      gw.client().write(gatewayInvite(user));
      Request atOne = one.client().awaitRequest("INVITE");
      one.client().reply(atOne, 180, "Ringing", "one");
      assertThat(gw.client().awaitResponse(r -> r.status() >= 200).status()).isEqualTo(408);
      Request cancel = one.client().awaitRequest("CANCEL");
      one.client().reply(cancel, 200, "OK", "one");
    }
  }

  @Test
  void max_forwards_zero_gets_483() throws IOException {
    String user = uniqueUser("jade");
    try (Device one = device(user, "one");
        SipTlsClient caller = connect(gateway)) {
      String request =
          SipTlsClient.request(
                  "MESSAGE",
                  "sip:" + user + "@" + DOMAIN,
                  "<sip:ipgw@" + GW_DOMAIN + ">",
                  "<sip:" + user + "@" + DOMAIN + ">")
              .replace("Max-Forwards: 70", "Max-Forwards: 0");
      assertThat(caller.send(request).status()).isEqualTo(483);
      assertThat(one.client().poll(m -> m instanceof Request, 300)).isEmpty();

      String missing =
          SipTlsClient.request(
                  "MESSAGE",
                  "sip:" + user + "@" + DOMAIN,
                  "<sip:ipgw@" + GW_DOMAIN + ">",
                  "<sip:" + user + "@" + DOMAIN + ">")
              .replace("Max-Forwards: 70\r\n", "");
      caller.write(missing);
      Request forwarded = one.client().awaitRequest("MESSAGE");
      assertThat(forwarded.first("Max-Forwards")).isEqualTo("69");
      one.client().reply(forwarded, 200, "OK", "one");
      assertThat(caller.awaitResponse(200)).isNotNull();
    }
  }

  @Test
  void forged_or_altered_flow_token_is_refused() throws IOException {
    String user = uniqueUser("kim");
    try (Device one = device(user, "one");
        Device gw = gatewayDevice(gateway, GW_DOMAIN)) {
      String invite = gatewayInvite(user);
      gw.client().write(invite);
      Request atOne = one.client().awaitRequest("INVITE");
      one.client().reply(atOne, 200, "OK", "one", "Contact: <" + one.contact() + ">");
      Response ok = gw.client().awaitResponse(200);
      String route = SipTlsClient.uriOf(ok.first("Record-Route"));
      String token = route.substring("sip:".length(), route.indexOf('@'));
      String host = route.substring(route.indexOf('@'));
      String callId = callId(invite);

      String altered = "sip:" + flip(token) + host;
      String forged = "sip:" + "dGxzOjEyNy4wLjAuMTox.AAAAAAAAAAAAAAAAAAAAAA" + host;
      for (String bad : List.of(altered, forged)) {
        Response refused =
            gw.client()
                .send(
                    SipTlsClient.inDialog(
                        "BYE",
                        one.contact(),
                        List.of(bad),
                        ok.first("From"),
                        ok.first("To"),
                        callId,
                        2));
        assertThat(refused.status()).as(bad).isEqualTo(403);
      }
      // the genuine token in another dialog (another Call-ID) is refused too
      Response moved =
          gw.client()
              .send(
                  SipTlsClient.inDialog(
                      "BYE",
                      one.contact(),
                      List.of(route),
                      ok.first("From"),
                      ok.first("To"),
                      "other-" + callId,
                      2));
      assertThat(moved.status()).isEqualTo(403);
      // and from a connection that is not one of the dialog's
      try (SipTlsClient third = connect(gateway)) {
        Response stranger =
            third.send(
                SipTlsClient.inDialog(
                    "BYE",
                    one.contact(),
                    List.of(route),
                    ok.first("From"),
                    ok.first("To"),
                    callId,
                    2));
        assertThat(stranger.status()).isEqualTo(403);
      }
      assertThat(one.client().poll(m -> m instanceof Request, 300)).isEmpty();
    }
  }

  @Test
  void in_dialog_request_from_someone_else_is_still_refused_by_the_certificate_check()
      throws IOException {
    String user = uniqueUser("lena");
    try (Device one = device(user, "one");
        Device gw = gatewayDevice(gateway, GW_DOMAIN)) {
      String invite = gatewayInvite(user);
      gw.client().write(invite);
      Request atOne = one.client().awaitRequest("INVITE");
      one.client().reply(atOne, 200, "OK", "one", "Contact: <" + one.contact() + ">");
      Response ok = gw.client().awaitResponse(200);
      String route = SipTlsClient.uriOf(ok.first("Record-Route"));
      // the gateway sends a BYE pretending to be the callee: From is not its certificate
      Response refused =
          gw.client()
              .send(
                  SipTlsClient.inDialog(
                      "BYE",
                      one.contact(),
                      List.of(route),
                      ok.first("To"),
                      ok.first("From"),
                      callId(invite),
                      2));
      assertThat(refused.status()).isEqualTo(403);
      assertThat(one.client().poll(m -> m instanceof Message, 300)).isEmpty();
    }
  }

  private static String flip(String token) {
    char[] c = token.toCharArray();
    c[2] = c[2] == 'A' ? 'B' : 'A';
    return new String(c);
  }

  /** In-memory bindings; flows in {@link #STICKY_FLOWS} keep their bindings after they close. */
  private static final class StickyBindings implements Bindings {
    private final InMemoryBindings delegate = new InMemoryBindings();

    @Override
    public void put(Binding binding) {
      delegate.put(binding);
    }

    @Override
    public boolean remove(String aor, String key) {
      return delegate.remove(aor, key);
    }

    @Override
    public boolean removeExactly(Binding binding) {
      return delegate.removeExactly(binding);
    }

    @Override
    public List<Binding> removeFlow(String flow) {
      CLOSED_FLOWS.add(flow);
      return STICKY_FLOWS.contains(flow) ? List.of() : delegate.removeFlow(flow);
    }

    @Override
    public List<Binding> of(String aor, Instant now) {
      return delegate.of(aor, now);
    }
  }
}
