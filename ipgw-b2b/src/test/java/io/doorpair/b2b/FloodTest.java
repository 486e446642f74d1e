package io.doorpair.b2b;

import static io.doorpair.b2b.testing.PlainSipClient.header;
import static io.doorpair.b2b.testing.PlainSipClient.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.localsip.DigestGate;
import io.doorpair.b2b.localsip.FloodGuard;
import io.doorpair.b2b.testing.InternalSip;
import io.doorpair.b2b.testing.PlainSipClient;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A flood from the LAN at the embedded internal server over real sockets: 20,000 INVITEs and
 * REGISTERs with made-up credentials from 48 UDP ports on 8 loopback addresses, sent as fast as the
 * sockets go. The guard's state, the digest gate's and the stack's transactions stay bounded, and a
 * door station registers afterwards.
 */
class FloodTest {
  private static final int FLOOD = 20_000;
  private InternalSip sip;

  @BeforeEach
  void start() throws Exception {
    sip = InternalSip.start();
  }

  @AfterEach
  void stop() {
    sip.close();
  }

  @Test
  void a_udp_flood_is_bounded_and_a_door_still_registers_afterwards() throws Exception {
    long started = System.nanoTime();
    List<DatagramSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 48; i++) {
        sockets.add(new DatagramSocket(new InetSocketAddress("127.0.0." + (2 + i % 8), 0)));
      }
      Random random = new Random(6);
      InetSocketAddress target = sip.address();
      for (int i = 0; i < FLOOD; i++) {
        DatagramSocket s = sockets.get(i % sockets.size());
        String host = s.getLocalAddress().getHostAddress();
        String bogus =
            "Digest username=\"door1\", realm=\""
                + InternalSip.DOMAIN
                + "\", nonce=\""
                + UUID.randomUUID()
                + "\", uri=\"sip:ipgw@"
                + InternalSip.DOMAIN
                + "\", response=\""
                + String.format("%032x", random.nextLong())
                + "\", algorithm=MD5, cnonce=\""
                + random.nextInt()
                + "\", nc=00000001, qop=auth";
        String text =
            i % 4 == 3
                ? InternalSip.register(
                    "udp",
                    host,
                    s.getLocalPort(),
                    "door1",
                    "z9hG4bK" + UUID.randomUUID(),
                    UUID.randomUUID().toString(),
                    1,
                    bogus)
                : InternalSip.invite(
                    host,
                    s.getLocalPort(),
                    "door1",
                    "ipgw",
                    "z9hG4bK" + UUID.randomUUID(),
                    UUID.randomUUID().toString(),
                    bogus);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        s.send(new DatagramPacket(bytes, bytes.length, target));
      }
    } finally {
      sockets.forEach(DatagramSocket::close);
    }

    // a door station registers afterwards (from its own address; retried while told to wait)
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    int registered = 0;
    try (PlainSipClient door = PlainSipClient.udp(sip.address())) {
      String callId = UUID.randomUUID().toString();
      int cseq = 1;
      while (registered != 200 && Instant.now().isBefore(deadline)) {
        try {
          registered = registerOnce(door, callId, cseq);
        } catch (java.net.SocketTimeoutException lost) {
          // UDP: the datagram or its answer was lost (the stack drops what waited over 2 s)
        }
        cseq += 2;
      }
    }
    assertRegisteredAndBounded(started);
  }

  private int registerOnce(PlainSipClient door, String callId, int cseq) throws Exception {
    String challenged =
        door.send(
            InternalSip.register(
                "udp",
                "127.0.0.1",
                door.localPort(),
                "door1",
                "z9hG4bK" + UUID.randomUUID(),
                callId,
                cseq,
                null));
    if (status(challenged) == 503) {
      assertThat(header(challenged, "Retry-After")).isEqualTo("5");
      Thread.sleep(500);
      return 503;
    }
    assertThat(status(challenged)).isEqualTo(401);
    String credentials =
        InternalSip.answer(
            header(challenged, "WWW-Authenticate"),
            "door1",
            InternalSip.DOOR_PASSWORD,
            "REGISTER",
            "sip:" + InternalSip.DOMAIN,
            1);
    return status(
        door.send(
            InternalSip.register(
                "udp",
                "127.0.0.1",
                door.localPort(),
                "door1",
                "z9hG4bK" + UUID.randomUUID(),
                callId,
                cseq + 1,
                credentials)));
  }

  private void assertRegisteredAndBounded(long started) {
    assertThat(sip.server().registrations().of("door1")).as("door1 registered").isPresent();

    double seconds = (System.nanoTime() - started) / 1e9;
    long[] counts = sip.server().floodGuard().counts();
    // the kernel and the stack's 2 s queue limit drop datagrams under the flood; of those read,
    // no more passed than the global bucket allows over the whole time, the rest were refused
    assertThat(counts[0])
        .isLessThanOrEqualTo((long) (FloodGuard.GLOBAL_BURST + FloodGuard.GLOBAL_RATE * seconds));
    assertThat(counts[1]).isPositive();
    assertThat(counts[2]).isPositive();
    assertThat(sip.server().floodGuard().trackedSources())
        .isLessThanOrEqualTo(FloodGuard.MAX_SOURCES)
        .isLessThanOrEqualTo(16);
    // made-up credentials never enter the nonce table; the honest REGISTER used one nonce
    assertThat(sip.gate().trackedNonces()).isLessThanOrEqualTo(1);
    assertThat(sip.gate().trackedNonces()).isLessThanOrEqualTo(DigestGate.TRACKED_NONCES);
    // the stateless proxy keeps no transaction per INVITE; REGISTERs end theirs
    assertThat(sip.server().serverTransactions()).isLessThan(2_000);
  }

  @Test
  void a_tcp_burst_gets_503_with_retry_after_not_silence() throws Exception {
    try (PlainSipClient client = PlainSipClient.tcp(sip.address())) {
      int n = 200;
      StringBuilder burst = new StringBuilder();
      for (int i = 0; i < n; i++) {
        burst.append(InternalSip.options("tcp", "127.0.0.1", client.localPort()));
      }
      long started = System.nanoTime();
      client.write(burst.toString());
      int ok = 0;
      int busy = 0;
      for (int i = 0; i < n; i++) {
        String response = client.receive();
        if (status(response) == 200) {
          ok++;
        } else {
          assertThat(status(response)).isEqualTo(503);
          assertThat(header(response, "Retry-After")).isEqualTo("5");
          busy++;
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      assertThat(ok + busy).isEqualTo(n);
      assertThat((double) ok)
          .isLessThanOrEqualTo(FloodGuard.PER_SOURCE_BURST + FloodGuard.PER_SOURCE_RATE * seconds);
      assertThat(busy).isPositive();
    }
  }
}
