package io.doorpair.sipedge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.admission.IdentityCheck;
import io.doorpair.sipedge.registrar.Binding;
import io.doorpair.sipedge.registrar.Bindings;
import io.doorpair.sipedge.registrar.InMemoryBindings;
import io.doorpair.sipedge.registrar.Registrar;
import io.doorpair.sipedge.registrar.RegistrationPolicy;
import io.doorpair.sipedge.stack.StackSettings;
import io.doorpair.sipedge.testing.SipTlsClient;
import io.doorpair.sipedge.testing.SipTlsClient.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real stack over real TLS sockets: handshake refusals, the From check, the registrar. */
class SipEdgeTlsTest {
  private static final String DOMAIN = "portal.test";
  private static final long HANDSHAKE_MILLIS = 3000;
  private static final UUID ALICE_PHONE = UUID.randomUUID();
  private static final TestPki PKI = TestPki.shared();
  private static Leaf alice;
  private static Leaf revokedAtStart;
  private static RunningSipEdge edge;
  private static final BlockingQueue<String> CLOSED_FLOWS = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws IOException {
    alice = PKI.issueClient("alice@" + DOMAIN, Optional.of(ALICE_PHONE));
    revokedAtStart = PKI.issueClient("henry@" + DOMAIN, Optional.of(UUID.randomUUID()));
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
                new StackSettings("test-edge", 65536, 4, 600_000, HANDSHAKE_MILLIS),
                Optional.of(PKI.crl(revokedAtStart.serial())),
                SipEdgeConfig.DEFAULT_TIMER_C),
            new ObservedBindings(),
            Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (edge != null) {
      edge.close();
    }
  }

  private static SipTlsClient connect(Leaf identity) throws IOException {
    return SipTlsClient.connect(edge.sipAddress(), Optional.of(identity), PKI.caCertificate());
  }

  private static String options(String from) {
    return SipTlsClient.request("OPTIONS", "sip:" + DOMAIN, from, "<sip:" + DOMAIN + ">");
  }

  @Test
  void reports_the_port_it_bound() {
    InetSocketAddress bound = edge.sipAddress();
    assertThat(bound.getPort()).isPositive();
    assertThat(bound.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void certificate_of_the_portal_ca_is_admitted_over_tls_1_3() throws IOException {
    try (SipTlsClient client = connect(alice)) {
      assertThat(client.protocol()).isEqualTo("TLSv1.3");
      assertThat(client.send(options("<sip:alice@" + DOMAIN + ">")).status()).isEqualTo(200);
    }
  }

  @Test
  void accepted_connections_have_tcp_nodelay() throws IOException {
    try (SipTlsClient client = connect(alice)) {
      assertThat(client.send(options("<sip:alice@" + DOMAIN + ">")).status()).isEqualTo(200);
      assertThat(edge.openConnections()).isPositive();
      // with Nagle on, each response would wait for the client's next segment to acknowledge the
      // previous one
      assertThat(edge.connectionsWithNagle()).isZero();
    }
  }

  @Test
  void tls_1_2_is_admitted_for_linphone() throws IOException {
    try (SipTlsClient client =
        SipTlsClient.connect(
            edge.sipAddress(), Optional.of(alice), PKI.caCertificate(), "TLSv1.2")) {
      assertThat(client.protocol()).isEqualTo("TLSv1.2");
      assertThat(client.send(options("<sip:alice@" + DOMAIN + ">")).status()).isEqualTo(200);
    }
  }

  @Test
  void resumed_tls_sessions_still_carry_the_certificate_identity() throws IOException {
    javax.net.ssl.SSLContext context =
        SipTlsClient.context(Optional.of(alice), PKI.caCertificate());
    for (int i = 0; i < 3; i++) {
      try (SipTlsClient client =
          SipTlsClient.connect(
              edge.sipAddress(), context, io.doorpair.crypto.tls.TlsMaterial.protocols())) {
        assertThat(client.send(options("<sip:alice@" + DOMAIN + ">")).status()).isEqualTo(200);
        assertThat(client.send(options("<sip:bob@" + DOMAIN + ">")).status()).isEqualTo(403);
      }
    }
  }

  @Test
  void silent_connection_is_closed_at_the_handshake_deadline_and_others_stay() throws IOException {
    try (SipTlsClient admitted = connect(alice);
        Socket silent = new Socket()) {
      assertThat(admitted.send(options("<sip:alice@" + DOMAIN + ">")).status()).isEqualTo(200);
      silent.connect(edge.sipAddress());
      silent.setSoTimeout((int) (HANDSHAKE_MILLIS * 20)); // failure guard only
      // the server closes it: read sees end of stream (or a reset), never a timeout
      int read;
      try {
        read = silent.getInputStream().read();
      } catch (java.net.SocketException reset) {
        read = -1;
      }
      assertThat(read).isEqualTo(-1);
      // the admitted connection's deadline came first and left it open
      assertThat(admitted.send(options("<sip:alice@" + DOMAIN + ">")).status()).isEqualTo(200);
    }
  }

  @Test
  void no_client_certificate_is_refused() {
    assertThatThrownBy(
            () -> {
              try (SipTlsClient client =
                  SipTlsClient.connect(edge.sipAddress(), Optional.empty(), PKI.caCertificate())) {
                client.send(options("<sip:alice@" + DOMAIN + ">"));
              }
            })
        .isInstanceOf(IOException.class);
  }

  @Test
  void certificate_of_another_ca_is_refused() {
    Leaf rogue = PKI.issueRogueClient("alice@" + DOMAIN, Optional.of(ALICE_PHONE));
    assertRefused(rogue);
  }

  @Test
  void a_server_certificate_of_the_portal_ca_is_refused_as_a_client_certificate() {
    // a SIP node's certificate (portal sip-node-cert: extended key usage serverAuth only) fails
    // the PKIX client check: node-to-node mutual TLS needs node certificates with clientAuth too
    assertRefused(PKI.issueServer("sip2.portal.test"));
  }

  @Test
  void self_signed_certificate_is_refused() {
    assertRefused(PKI.selfSignedClient("alice@" + DOMAIN, Optional.of(ALICE_PHONE)));
  }

  @Test
  void revoked_certificate_is_refused() {
    assertRefused(revokedAtStart);
  }

  @Test
  void certificate_revoked_while_connected_is_cut_off_and_cannot_reconnect() throws IOException {
    Leaf gina = PKI.issueClient("gina@" + DOMAIN, Optional.of(UUID.randomUUID()));
    try (SipTlsClient client = connect(gina);
        SipTlsClient bystander = connect(alice)) {
      assertThat(client.send(options("<sip:gina@" + DOMAIN + ">")).status()).isEqualTo(200);

      edge.updateCrl(PKI.crl(revokedAtStart.serial(), gina.serial()));

      // closed before updateCrl returned: the next exchange fails, no response comes
      assertThatThrownBy(() -> client.send(options("<sip:gina@" + DOMAIN + ">")))
          .isInstanceOf(IOException.class);
      assertThat(bystander.send(options("<sip:alice@" + DOMAIN + ">")).status()).isEqualTo(200);
    }
    assertRefused(gina);
  }

  @Test
  void crl_of_another_ca_is_not_taken() {
    assertThatThrownBy(() -> edge.updateCrl(PKI.rogueCrl(alice.serial())))
        .isInstanceOf(IllegalArgumentException.class);
    try (SipTlsClient client = connect(alice)) {
      assertThat(client.send(options("<sip:alice@" + DOMAIN + ">")).status()).isEqualTo(200);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void expired_certificate_is_refused() {
    assertRefused(PKI.expiredClient("alice@" + DOMAIN, Optional.of(ALICE_PHONE)));
  }

  private static void assertRefused(Leaf identity) {
    assertThatThrownBy(
            () -> {
              try (SipTlsClient client = connect(identity)) {
                client.send(options("<sip:alice@" + DOMAIN + ">"));
              }
            })
        .isInstanceOf(IOException.class);
  }

  @ParameterizedTest(name = "From {0} is admitted for alice")
  @ValueSource(
      strings = {
        "<sip:alice@portal.test>",
        "<sip:ALICE@PORTAL.TEST>",
        "<sips:alice@portal.test>",
        "<sip:alice@portal.test:5999;transport=tls>",
        "\"Bob\" <sip:alice@portal.test>",
        "sip:alice@portal.test",
      })
  void from_naming_the_certificate_holder_is_admitted(String from) throws IOException {
    try (SipTlsClient client = connect(alice)) {
      assertThat(client.send(options(from)).status()).isEqualTo(200);
    }
  }

  @ParameterizedTest(name = "From {0} gets 403 for alice")
  @ValueSource(
      strings = {
        "<sip:bob@portal.test>",
        "<sip:alice@evil.test>",
        "<sip:alice%40portal.test@evil.test>",
        "\"alice@portal.test\" <sip:bob@portal.test>",
        "\"sip:alice@portal.test\" <sip:mallory@evil.test>",
        "<sips:bob@portal.test>",
        "<tel:+4312345>",
        "<sip:portal.test>",
        "<sip:alice@portal.test.evil.test>",
      })
  void from_naming_someone_else_gets_403(String from) throws IOException {
    try (SipTlsClient client = connect(alice)) {
      Response response = client.send(options(from));
      assertThat(response.status()).isEqualTo(403);
      assertThat(response.reason()).isEqualTo(IdentityCheck.REASON);
    }
  }

  @Test
  void register_with_to_and_from_swapped_gets_403() throws IOException {
    try (SipTlsClient client = connect(alice)) {
      Response response =
          client.send(
              SipTlsClient.request(
                  "REGISTER",
                  "sip:" + DOMAIN,
                  "<sip:bob@portal.test>",
                  "<sip:alice@portal.test>",
                  contact(ALICE_PHONE),
                  "Expires: 600"));
      assertThat(response.status()).isEqualTo(403);
      assertThat(response.reason()).isEqualTo(IdentityCheck.REASON);

      Response thirdParty =
          client.send(
              SipTlsClient.request(
                  "REGISTER",
                  "sip:" + DOMAIN,
                  "<sip:alice@portal.test>",
                  "<sip:bob@portal.test>",
                  contact(ALICE_PHONE),
                  "Expires: 600"));
      assertThat(thirdParty.status()).isEqualTo(403);
      assertThat(thirdParty.reason()).isEqualTo(Registrar.THIRD_PARTY);
    }
  }

  @ParameterizedTest(name = "From {0} then From {1} is never admitted")
  @org.junit.jupiter.params.provider.CsvSource({"bob, alice", "alice, bob"})
  void second_from_header_is_never_admitted(String first, String second) throws IOException {
    String twoFroms =
        SipTlsClient.request(
            "OPTIONS",
            "sip:" + DOMAIN,
            "<sip:" + first + "@portal.test>",
            "<sip:" + DOMAIN + ">",
            "From: <sip:" + second + "@portal.test>;tag=" + SipTlsClient.token());
    try (SipTlsClient client = connect(alice)) {
      Response response;
      try {
        response = client.send(twoFroms);
      } catch (IOException dropped) {
        return; // the stack dropped the message and the connection: not admitted either
      }
      assertThat(response.status()).isEqualTo(400);
    }
  }

  @Test
  void compact_from_is_checked_like_the_long_form() throws IOException {
    String compact =
        SipTlsClient.request(
                "OPTIONS", "sip:" + DOMAIN, "<sip:bob@portal.test>", "<sip:" + DOMAIN + ">")
            .replace("\r\nFrom: ", "\r\nf: ");
    String mixed =
        SipTlsClient.request(
            "OPTIONS",
            "sip:" + DOMAIN,
            "<sip:alice@portal.test>",
            "<sip:" + DOMAIN + ">",
            "f: <sip:bob@portal.test>;tag=" + SipTlsClient.token());
    try (SipTlsClient client = connect(alice)) {
      Response response = client.send(compact);
      assertThat(response.status()).isEqualTo(403);
      assertThat(response.reason()).isEqualTo(IdentityCheck.REASON);
      assertThat(client.send(mixed).status()).isEqualTo(400);
    }
  }

  @Test
  void huge_announced_body_closes_that_connection_and_the_server_keeps_serving()
      throws IOException {
    // jain-sip's NIO parser allocated the announced body at once: OutOfMemoryError on the
    // selector thread, after which the server read no connection at all
    String huge =
        options("<sip:alice@" + DOMAIN + ">")
            .replace("Content-Length: 0\r\n", "Content-Length: 999999999\r\n");
    try (SipTlsClient attacker = connect(alice)) {
      attacker.write(huge);
      assertThat(attacker.awaitClosedByServer()).isTrue();
    }
    for (String length : new String[] {"2000000000", "-1"}) {
      try (SipTlsClient attacker = connect(alice)) {
        attacker.write(
            options("<sip:alice@" + DOMAIN + ">")
                .replace("Content-Length: 0\r\n", "Content-Length: " + length + "\r\n"));
        assertThat(attacker.awaitClosedByServer()).as("Content-Length: %s", length).isTrue();
      }
    }
    try (SipTlsClient client = connect(alice)) {
      assertThat(client.send(options("<sip:alice@" + DOMAIN + ">")).status()).isEqualTo(200);
    }
  }

  @Test
  void a_head_the_parser_would_read_differently_closes_the_connection() throws IOException {
    // a folded Content-Length, or one after a lone CR: the stack's parser would read a length the
    // framing did not use, and a relayed copy would announce a body made of the next message
    String plain = options("<sip:alice@" + DOMAIN + ">");
    for (String smuggled :
        new String[] {
          plain.replace("Content-Length: 0\r\n", "Content-Length: 0\r\n\t50\r\n"),
          plain.replace("Content-Length: 0\r\n", "X-A: a\rContent-Length: 50\r\n")
        }) {
      try (SipTlsClient attacker = connect(alice)) {
        attacker.write(smuggled);
        assertThat(attacker.awaitClosedByServer()).isTrue();
      }
    }
    try (SipTlsClient client = connect(alice)) {
      assertThat(client.send(plain).status()).isEqualTo(200);
    }
  }

  @Test
  void compact_call_id_is_framed_and_answered() throws IOException {
    // the stack's NIO framing looked for a long-form Call-ID and dropped the connection without
    String compact = options("<sip:alice@" + DOMAIN + ">").replace("\r\nCall-ID:", "\r\ni:");
    assertThat(compact).contains("\r\ni:").doesNotContain("Call-ID");
    try (SipTlsClient client = connect(alice)) {
      assertThat(client.send(compact).status()).isEqualTo(200);
    }
  }

  @Test
  void message_over_the_size_limit_closes_the_connection() {
    String big =
        options("<sip:alice@" + DOMAIN + ">")
            .replace(
                "Content-Length: 0\r\n\r\n",
                "X-Pad: " + "a".repeat(70_000) + "\r\nContent-Length: 0\r\n\r\n");
    assertThatThrownBy(
            () -> {
              try (SipTlsClient client = connect(alice)) {
                client.send(big);
              }
            })
        .isInstanceOf(IOException.class);
  }

  @Test
  void gateway_registers_without_instance_and_gets_no_gruu() throws IOException {
    Leaf gateway = PKI.issueClient("ipgw@abcdefghijkl", Optional.empty());
    try (SipTlsClient client = connect(gateway)) {
      Response response =
          client.send(
              SipTlsClient.request(
                  "REGISTER",
                  "sip:abcdefghijkl",
                  "<sip:ipgw@abcdefghijkl>",
                  "<sip:ipgw@abcdefghijkl>",
                  "Contact: <sip:ipgw@127.0.0.1:5999;transport=tls>",
                  "Supported: gruu",
                  "Expires: 600"));
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.header("Contact").get(0)).doesNotContain("pub-gruu");
      assertThat(edge.bindings().of("ipgw@abcdefghijkl", Instant.now()))
          .extracting(Binding::key)
          .containsExactly("ipgw@abcdefghijkl");
    }
  }

  @Test
  void register_of_the_certificate_instance_returns_pub_gruu() throws IOException {
    Leaf carol = PKI.issueClient("carol@" + DOMAIN, Optional.of(UUID.randomUUID()));
    UUID instance = instanceOf(carol);
    try (SipTlsClient client = connect(carol)) {
      Response response =
          client.send(
              SipTlsClient.request(
                  "REGISTER",
                  "sip:" + DOMAIN,
                  "<sip:carol@portal.test>",
                  "<sip:carol@portal.test>",
                  contact(instance),
                  "Supported: gruu, outbound",
                  "Expires: 600"));
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.header("Contact")).hasSize(1);
      String contact = response.header("Contact").get(0);
      assertThat(contact)
          .contains("pub-gruu=\"sip:carol@portal.test;gr=urn:uuid:" + instance + "\"")
          .contains("+sip.instance=\"<urn:uuid:" + instance + ">\"")
          .containsIgnoringCase("expires=600");

      List<Binding> bindings = edge.bindings().of("carol@portal.test", Instant.now());
      assertThat(bindings).hasSize(1);
      assertThat(bindings.get(0).flow()).isEqualTo(client.flow());
      assertThat(bindings.get(0).key()).isEqualTo("urn:uuid:" + instance);

      Response unregister =
          client.send(
              SipTlsClient.request(
                  "REGISTER",
                  "sip:" + DOMAIN,
                  "<sip:carol@portal.test>",
                  "<sip:carol@portal.test>",
                  contact(instance),
                  "Expires: 0"));
      assertThat(unregister.status()).isEqualTo(200);
      assertThat(unregister.header("Contact")).isEmpty();
      assertThat(edge.bindings().of("carol@portal.test", Instant.now())).isEmpty();
    }
  }

  @Test
  void register_without_supported_gruu_gets_no_pub_gruu() throws IOException {
    Leaf dave = PKI.issueClient("dave@" + DOMAIN, Optional.of(UUID.randomUUID()));
    try (SipTlsClient client = connect(dave)) {
      Response response =
          client.send(
              SipTlsClient.request(
                  "REGISTER",
                  "sip:" + DOMAIN,
                  "<sip:dave@portal.test>",
                  "<sip:dave@portal.test>",
                  contact(instanceOf(dave)),
                  "Expires: 600"));
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.header("Contact").get(0)).doesNotContain("pub-gruu");
    }
  }

  @Test
  void register_of_another_instance_gets_403() throws IOException {
    Leaf erin = PKI.issueClient("erin@" + DOMAIN, Optional.of(UUID.randomUUID()));
    try (SipTlsClient client = connect(erin)) {
      Response response =
          client.send(
              SipTlsClient.request(
                  "REGISTER",
                  "sip:" + DOMAIN,
                  "<sip:erin@portal.test>",
                  "<sip:erin@portal.test>",
                  contact(UUID.randomUUID()),
                  "Supported: gruu",
                  "Expires: 600"));
      assertThat(response.status()).isEqualTo(403);
      assertThat(response.reason()).isEqualTo(Registrar.WRONG_INSTANCE);
      assertThat(edge.bindings().of("erin@portal.test", Instant.now())).isEmpty();
    }
  }

  @Test
  void register_too_brief_gets_423_with_min_expires() throws IOException {
    Leaf frank = PKI.issueClient("frank@" + DOMAIN, Optional.of(UUID.randomUUID()));
    try (SipTlsClient client = connect(frank)) {
      Response response =
          client.send(
              SipTlsClient.request(
                  "REGISTER",
                  "sip:" + DOMAIN,
                  "<sip:frank@portal.test>",
                  "<sip:frank@portal.test>",
                  contact(instanceOf(frank)),
                  "Expires: 10"));
      assertThat(response.status()).isEqualTo(423);
      assertThat(response.header("Min-Expires")).containsExactly("60");
    }
  }

  @Test
  void cancel_is_checked_like_any_request() throws IOException {
    try (SipTlsClient client = connect(alice)) {
      Response forged =
          client.send(
              SipTlsClient.request(
                  "CANCEL", "sip:bob@" + DOMAIN, "<sip:bob@portal.test>", "<sip:bob@portal.test>"));
      assertThat(forged.status()).isEqualTo(403);
      assertThat(forged.reason()).isEqualTo(IdentityCheck.REASON);

      Response own =
          client.send(
              SipTlsClient.request(
                  "CANCEL",
                  "sip:bob@" + DOMAIN,
                  "<sip:alice@portal.test>",
                  "<sip:bob@portal.test>"));
      assertThat(own.status()).isEqualTo(481);
    }
  }

  @Test
  void message_outside_any_transaction_is_checked_too() throws IOException {
    try (SipTlsClient client = connect(alice)) {
      Response forged =
          client.send(
              SipTlsClient.request(
                  "MESSAGE",
                  "sip:bob@" + DOMAIN,
                  "<sip:bob@portal.test>",
                  "<sip:bob@portal.test>"));
      assertThat(forged.status()).isEqualTo(403);
    }
  }

  @Test
  void invite_for_a_user_without_binding_gets_480() throws IOException {
    try (SipTlsClient client = connect(alice)) {
      Response response =
          client.send(
              SipTlsClient.request(
                  "INVITE",
                  "sip:bob@" + DOMAIN,
                  "<sip:alice@portal.test>",
                  "<sip:bob@portal.test>",
                  "Contact: <sip:alice@127.0.0.1:5999;transport=tls>"));
      assertThat(response.status()).isEqualTo(480);
    }
  }

  @Test
  void binding_goes_when_its_connection_closes() throws IOException, InterruptedException {
    Leaf ivan = PKI.issueClient("ivan@" + DOMAIN, Optional.of(UUID.randomUUID()));
    String flow;
    try (SipTlsClient client = connect(ivan)) {
      flow = client.flow();
      Response ok =
          client.send(
              SipTlsClient.request(
                  "REGISTER",
                  "sip:" + DOMAIN,
                  "<sip:ivan@portal.test>",
                  "<sip:ivan@portal.test>",
                  contact(instanceOf(ivan)),
                  "Expires: 600"));
      assertThat(ok.status()).isEqualTo(200);
      assertThat(edge.bindings().of("ivan@portal.test", Instant.now())).hasSize(1);
    }
    // wait for the server to notice the close (event, with a generous failure guard)
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String closed;
    do {
      closed = CLOSED_FLOWS.poll(Math.max(1, guard - System.nanoTime()), TimeUnit.NANOSECONDS);
    } while (closed != null && !closed.equals(flow));
    assertThat(closed).as("flow-closed event for " + flow).isEqualTo(flow);
    assertThat(edge.bindings().of("ivan@portal.test", Instant.now())).isEmpty();
  }

  /** In-memory bindings that report every flow whose bindings are dropped. */
  private static final class ObservedBindings implements Bindings {
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
      List<Binding> removed = delegate.removeFlow(flow);
      CLOSED_FLOWS.add(flow);
      return removed;
    }

    @Override
    public List<Binding> of(String aor, Instant now) {
      return delegate.of(aor, now);
    }
  }

  private static UUID instanceOf(Leaf leaf) {
    return io.doorpair.crypto.CertificateIdentity.of(leaf.certificate()).instance().orElseThrow();
  }

  private static String contact(UUID instance) {
    return "Contact: <sip:device@127.0.0.1:5999;transport=tls>;+sip.instance=\"<urn:uuid:"
        + instance
        + ">\"";
  }
}
