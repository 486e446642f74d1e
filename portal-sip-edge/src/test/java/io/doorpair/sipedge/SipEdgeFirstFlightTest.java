package io.doorpair.sipedge;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.testing.FirstFlightTlsClient;
import io.doorpair.sipedge.testing.SipTlsClient;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A device's first request arriving in the same read as the end of its handshake (TLS 1.3: the
 * client's Finished and its first REGISTER leave together). The stack records the peer certificate
 * only when it sees the handshake finish with nothing left to read; here the request was read
 * first, and its identity check found "no certificate": a one-off {@code 403} for a registration on
 * a busy portal. The certificate must be the one this connection's handshake verified, never none,
 * never another connection's.
 */
class SipEdgeFirstFlightTest {
  private static final String DOMAIN = "portal.test";
  private static final int CONNECTIONS = 8;
  private static final TestPki PKI = TestPki.shared();
  private static Leaf gateway;
  private static Leaf other;
  private static RunningSipEdge edge;

  @BeforeAll
  static void start() throws IOException {
    gateway = PKI.issueClient("ipgw@firstflight", Optional.empty());
    other = PKI.issueClient("ipgw@otherflight", Optional.empty());
    Leaf server = PKI.issueServer("127.0.0.1");
    edge =
        SipEdge.start(
            SipEdgeConfig.of(
                SipEdgeConfig.parseListen("127.0.0.1:0"),
                DOMAIN,
                List.of(PKI.caCertificate()),
                server.keys().getPrivate(),
                List.of(server.certificate())));
  }

  @AfterAll
  static void stop() {
    if (edge != null) {
      edge.close();
    }
  }

  private static String register(String host) {
    return SipTlsClient.request(
        "REGISTER",
        "sip:" + host,
        "<sip:ipgw@" + host + ">",
        "<sip:ipgw@" + host + ">",
        "Contact: <sip:ipgw@127.0.0.1:5999;transport=tls>",
        "Expires: 600");
  }

  private static String firstRequestStatus(SSLContext context, String protocol, String request)
      throws IOException {
    try (FirstFlightTlsClient client =
        FirstFlightTlsClient.connect(edge.sipAddress(), context, protocol, request)) {
      return client.awaitStatusLine();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void a_register_sent_with_the_last_handshake_flight_is_admitted(String protocol)
      throws IOException {
    for (int i = 0; i < CONNECTIONS; i++) {
      // a new context each time: a full handshake, the trust manager verifies the chain
      SSLContext context = SipTlsClient.context(Optional.of(gateway), PKI.caCertificate());
      assertThat(firstRequestStatus(context, protocol, register("firstflight")))
          .as("connection %d", i)
          .isEqualTo("SIP/2.0 200 OK");
    }
  }

  @Test
  void a_resumed_session_carries_the_certificate_to_the_first_request() throws IOException {
    SSLContext context = SipTlsClient.context(Optional.of(gateway), PKI.caCertificate());
    for (int i = 0; i < CONNECTIONS; i++) {
      // from the second connection on, the session is resumed: no trust manager call
      assertThat(firstRequestStatus(context, "TLSv1.3", register("firstflight")))
          .as("connection %d", i)
          .isEqualTo("SIP/2.0 200 OK");
    }
  }

  @Test
  void the_first_request_is_checked_against_its_own_connections_certificate() throws IOException {
    SSLContext mine = SipTlsClient.context(Optional.of(gateway), PKI.caCertificate());
    SSLContext theirs = SipTlsClient.context(Optional.of(other), PKI.caCertificate());
    try (SipTlsClient open = SipTlsClient.connect(edge.sipAddress(), mine, "TLSv1.3")) {
      // an open connection of ipgw@firstflight: never lends its certificate to another one
      assertThat(open.send(register("firstflight")).status()).isEqualTo(200);
      for (int i = 0; i < CONNECTIONS; i++) {
        // its own identity: its certificate was found; the other one's: refused by it
        assertThat(firstRequestStatus(theirs, "TLSv1.3", register("otherflight")))
            .as("connection %d as itself", i)
            .isEqualTo("SIP/2.0 200 OK");
        assertThat(firstRequestStatus(theirs, "TLSv1.3", register("firstflight")))
            .as("connection %d as the open connection's holder", i)
            .isEqualTo("SIP/2.0 403 Bad tls client certificate");
      }
    }
  }

  @Test
  void a_connection_opened_with_its_first_request_is_cut_when_its_certificate_is_revoked()
      throws IOException {
    Leaf doomed = PKI.issueClient("ipgw@doomedflight", Optional.empty());
    SSLContext context = SipTlsClient.context(Optional.of(doomed), PKI.caCertificate());
    try (FirstFlightTlsClient client =
        FirstFlightTlsClient.connect(
            edge.sipAddress(), context, "TLSv1.3", register("doomedflight"))) {
      assertThat(client.awaitStatusLine()).isEqualTo("SIP/2.0 200 OK");
      // updateCrl closes the connections of newly revoked certificates: the connection's
      // certificate must be known for that
      edge.updateCrl(PKI.crl(doomed.serial()));
      assertThat(client.awaitClosedByServer()).isTrue();
    }
  }
}
