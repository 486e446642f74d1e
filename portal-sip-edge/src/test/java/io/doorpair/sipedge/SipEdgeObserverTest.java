package io.doorpair.sipedge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.metrics.EdgeObserver;
import io.doorpair.sipedge.metrics.HandshakeFailure;
import io.doorpair.sipedge.registrar.InMemoryBindings;
import io.doorpair.sipedge.registrar.RegistrationPolicy;
import io.doorpair.sipedge.stack.StackSettings;
import io.doorpair.sipedge.testing.SipTlsClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the running server tells its observer, over real TLS connections. */
class SipEdgeObserverTest {
  private static final String DOMAIN = "portal.test";
  private static final TestPki PKI = TestPki.shared();
  private static final Map<String, AtomicLong> HEARD = new ConcurrentHashMap<>();
  private static Leaf revoked;
  private static RunningSipEdge edge;

  @BeforeAll
  static void start() throws IOException {
    revoked = PKI.issueClient("henry@" + DOMAIN, Optional.of(UUID.randomUUID()));
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
                new StackSettings("observed-edge", 65536, 4, 600_000, 5000),
                Optional.of(PKI.crl(revoked.serial())),
                SipEdgeConfig.DEFAULT_TIMER_C),
            new InMemoryBindings(),
            Clock.systemUTC());
    edge.observe(
        new EdgeObserver() {
          @Override
          public void handshakeFailed(HandshakeFailure reason) {
            heard("handshake." + reason.label());
          }

          @Override
          public void registerAnswered(int status) {
            heard("register." + status);
          }

          @Override
          public void inviteAnswered(int status) {
            heard("invite." + status);
          }

          @Override
          public void revokedConnectionsClosed(int count) {
            HEARD.computeIfAbsent("closed", k -> new AtomicLong()).addAndGet(count);
          }
        });
  }

  @AfterAll
  static void stop() {
    if (edge != null) {
      edge.close();
    }
  }

  private static void heard(String what) {
    HEARD.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
  }

  private static long count(String what) {
    AtomicLong n = HEARD.get(what);
    return n == null ? 0 : n.get();
  }

  /** Waits (generously: the machine may be loaded) until {@code what} was heard {@code n} times. */
  private static void awaitAtLeast(String what, long n) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (count(what) < n && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    assertThat(count(what)).as(what + " in " + HEARD).isGreaterThanOrEqualTo(n);
  }

  private static void refused(Optional<Leaf> identity) {
    assertThatThrownBy(
            () -> {
              try (SipTlsClient client =
                  SipTlsClient.connect(edge.sipAddress(), identity, PKI.caCertificate())) {
                client.send(options("alice"));
              }
            })
        .isInstanceOf(IOException.class);
  }

  private static String options(String user) {
    return SipTlsClient.request(
        "OPTIONS", "sip:" + DOMAIN, "<sip:" + user + "@" + DOMAIN + ">", "<sip:" + DOMAIN + ">");
  }

  @Test
  void failed_handshakes_are_told_with_their_reason() throws InterruptedException {
    long none = count("handshake.no_certificate");
    long unknown = count("handshake.unknown_ca");
    long gone = count("handshake.revoked");
    long expired = count("handshake.expired");

    refused(Optional.empty());
    refused(Optional.of(PKI.issueRogueClient("alice@" + DOMAIN, Optional.empty())));
    refused(Optional.of(revoked));
    refused(Optional.of(PKI.expiredClient("alice@" + DOMAIN, Optional.empty())));

    awaitAtLeast("handshake.no_certificate", none + 1);
    awaitAtLeast("handshake.unknown_ca", unknown + 1);
    awaitAtLeast("handshake.revoked", gone + 1);
    awaitAtLeast("handshake.expired", expired + 1);
  }

  @Test
  void register_and_invite_answers_and_revoked_connections_are_told()
      throws IOException, InterruptedException {
    Leaf gateway = PKI.issueClient("ipgw@abcdefghijkl", Optional.empty());
    long registered = count("register.200");
    long unavailable = count("invite.480");
    try (SipTlsClient client =
        SipTlsClient.connect(edge.sipAddress(), Optional.of(gateway), PKI.caCertificate())) {
      assertThat(
              client
                  .send(
                      SipTlsClient.request(
                          "REGISTER",
                          "sip:abcdefghijkl",
                          "<sip:ipgw@abcdefghijkl>",
                          "<sip:ipgw@abcdefghijkl>",
                          "Contact: <sip:ipgw@127.0.0.1:5999;transport=tls>",
                          "Expires: 600"))
                  .status())
          .isEqualTo(200);
      assertThat(edge.bindings().count(Instant.now())).hasValue(1);
      assertThat(
              client
                  .send(
                      SipTlsClient.request(
                          "INVITE",
                          "sip:bob@" + DOMAIN,
                          "<sip:ipgw@abcdefghijkl>",
                          "<sip:bob@" + DOMAIN + ">",
                          "Contact: <sip:ipgw@127.0.0.1:5999;transport=tls>"))
                  .status())
          .isEqualTo(480);
      awaitAtLeast("register.200", registered + 1);
      awaitAtLeast("invite.480", unavailable + 1);

      long closed = count("closed");
      edge.updateCrl(PKI.crl(revoked.serial(), gateway.serial()));
      awaitAtLeast("closed", closed + 1);
    }
  }
}
