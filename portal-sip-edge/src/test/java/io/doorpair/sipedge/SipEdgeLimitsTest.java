package io.doorpair.sipedge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.registrar.InMemoryBindings;
import io.doorpair.sipedge.registrar.RegistrationPolicy;
import io.doorpair.sipedge.stack.StackSettings;
import io.doorpair.sipedge.testing.SipTlsClient;
import java.io.IOException;
import java.net.Socket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Limits against abuse on the real stack over real TLS: the connection caps (total and per
 * certificate) and RFC 5626 keep-alive with its timeout. One edge with small caps; the tests of
 * this class run one after another.
 */
class SipEdgeLimitsTest {
  private static final String DOMAIN = "portal.test";
  private static final int MAX_CONNECTIONS = 4;
  private static final int PER_CERTIFICATE = 2;
  private static final int KEEP_ALIVE_SECONDS = 2;
  private static final TestPki PKI = TestPki.shared();
  private static RunningSipEdge edge;

  @BeforeAll
  static void start() throws IOException {
    Leaf server = PKI.issueServer("127.0.0.1");
    StackSettings settings =
        new StackSettings("limits-edge", 65536, 4, 600_000, 60_000)
            .withConnectionCaps(MAX_CONNECTIONS, PER_CERTIFICATE)
            .withKeepAliveTimeoutSeconds(KEEP_ALIVE_SECONDS);
    edge =
        SipEdge.start(
            new SipEdgeConfig(
                SipEdgeConfig.parseListen("127.0.0.1:0"),
                DOMAIN,
                List.of(PKI.caCertificate()),
                server.keys().getPrivate(),
                List.of(server.certificate()),
                RegistrationPolicy.DEFAULT,
                settings,
                Optional.empty(),
                SipEdgeConfig.DEFAULT_TIMER_C),
            new InMemoryBindings(),
            Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (edge != null) {
      edge.close();
    }
  }

  private static Leaf user(String name) {
    return PKI.issueClient(name + "@" + DOMAIN, Optional.of(UUID.randomUUID()));
  }

  private static SipTlsClient connect(Leaf identity) throws IOException {
    return SipTlsClient.connect(edge.sipAddress(), Optional.of(identity), PKI.caCertificate());
  }

  private static int options(SipTlsClient client, String user) throws IOException {
    return client
        .send(
            SipTlsClient.request(
                "OPTIONS",
                "sip:" + DOMAIN,
                "<sip:" + user + "@" + DOMAIN + ">",
                "<sip:" + DOMAIN + ">"))
        .status();
  }

  /** Retries until a fresh connection of {@code identity} is served (the server saw the closes). */
  private static void awaitServed(Leaf identity, String user) throws InterruptedException {
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (SipTlsClient client = connect(identity)) {
        if (options(client, user) == 200) {
          return;
        }
      } catch (IOException notYet) {
        if (System.nanoTime() > guard) {
          throw new AssertionError("never served again", notYet);
        }
      }
      Thread.sleep(100);
    }
  }

  @Test
  void a_certificate_gets_its_share_of_connections_and_no_more() throws Exception {
    Leaf kim = user("kim");
    Leaf lee = user("lee");
    try (SipTlsClient first = connect(kim);
        SipTlsClient second = connect(kim)) {
      assertThat(options(first, "kim")).isEqualTo(200);
      assertThat(options(second, "kim")).isEqualTo(200);

      assertThatThrownBy(
              () -> {
                try (SipTlsClient third = connect(kim)) {
                  options(third, "kim");
                }
              })
          .as("a third connection with the same certificate")
          .isInstanceOf(IOException.class);

      // the first two are untouched, and another certificate is served
      assertThat(options(first, "kim")).isEqualTo(200);
      try (SipTlsClient other = connect(lee)) {
        assertThat(options(other, "lee")).isEqualTo(200);
      }
    }
    // both closed: the certificate is served again
    awaitServed(kim, "kim");
  }

  @Test
  void connections_over_the_total_cap_are_closed_at_once() throws Exception {
    Leaf max = user("max");
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_CONNECTIONS; i++) {
        Socket socket = new Socket();
        socket.connect(edge.sipAddress());
        idle.add(socket);
      }
      // the server accepts the TCP connection and closes it: the handshake fails
      long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      boolean refused = false;
      while (!refused && System.nanoTime() < guard) {
        try (SipTlsClient client = connect(max)) {
          options(client, "max");
          Thread.sleep(100); // the cap counts accepted sockets: the server may not have them all
        } catch (IOException expected) {
          refused = true;
        }
      }
      assertThat(refused).as("a connection over the cap is refused").isTrue();
    } finally {
      for (Socket socket : idle) {
        socket.close();
      }
    }
    awaitServed(max, "max");
  }

  @Test
  void keep_alive_ping_gets_a_crlf_pong_and_a_flow_that_stops_pinging_is_closed() throws Exception {
    Leaf nina = user("nina");
    Leaf otto = user("otto");
    try (SipTlsClient silent = connect(otto);
        SipTlsClient pinging = connect(nina)) {
      assertThat(options(silent, "otto")).isEqualTo(200);
      assertThat(pinging.ping()).isEqualTo("\r\n");
      assertThat(options(pinging, "nina")).isEqualTo(200);
      assertThat(pinging.ping()).isEqualTo("\r\n");

      // no further ping: the flow is closed after the keep-alive timeout (2 s)
      assertThat(pinging.awaitClosedByServer()).as("closed by the keep-alive timeout").isTrue();

      // a flow that never pinged is left alone (it is older than the timeout by now)
      assertThat(options(silent, "otto")).isEqualTo(200);
    }
  }
}
