package io.doorpair.sipedge;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.registrar.InMemoryBindings;
import io.doorpair.sipedge.registrar.RegistrationPolicy;
import io.doorpair.sipedge.stack.StackSettings;
import io.doorpair.sipedge.testing.SipTlsClient;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The idle timeout on the real stack: a connection that goes silent is closed by the server. */
class SipEdgeIdleTimeoutTest {
  private static final TestPki PKI = TestPki.shared();

  @Test
  void silent_connection_is_closed_after_the_idle_time() throws Exception {
    Leaf server = PKI.issueServer("127.0.0.1");
    Leaf paula = PKI.issueClient("paula@portal.test", Optional.of(UUID.randomUUID()));
    try (RunningSipEdge edge =
        SipEdge.start(
            new SipEdgeConfig(
                SipEdgeConfig.parseListen("127.0.0.1:0"),
                "portal.test",
                List.of(PKI.caCertificate()),
                server.keys().getPrivate(),
                List.of(server.certificate()),
                RegistrationPolicy.DEFAULT,
                new StackSettings("idle-edge", 65536, 2, 1000, 10_000),
                Optional.empty(),
                SipEdgeConfig.DEFAULT_TIMER_C),
            new InMemoryBindings(),
            Clock.systemUTC())) {
      try (SipTlsClient client =
          SipTlsClient.connect(edge.sipAddress(), Optional.of(paula), PKI.caCertificate())) {
        String options =
            SipTlsClient.request(
                "OPTIONS", "sip:portal.test", "<sip:paula@portal.test>", "<sip:portal.test>");
        assertThat(client.send(options).status()).isEqualTo(200);
        // silent from now on: the reaper (every idle time) closes it after one to two idle times
        assertThat(client.awaitClosedByServer()).as("closed for idleness").isTrue();
      }
    }
  }
}
