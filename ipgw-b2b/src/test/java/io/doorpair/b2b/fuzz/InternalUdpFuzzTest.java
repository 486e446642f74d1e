package io.doorpair.b2b.fuzz;

import static io.doorpair.b2b.testing.PlainSipClient.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.localsip.DigestGate;
import io.doorpair.b2b.localsip.FloodGuard;
import io.doorpair.b2b.localsip.InternalTarget;
import io.doorpair.b2b.localsip.Registrations;
import io.doorpair.b2b.stack.InternalServer;
import io.doorpair.b2b.testing.InternalSip;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Datagrams at a running embedded internal SIP server's UDP port, mutated from door-station
 * requests (REGISTER with and without digest, INVITE with SDP, ACK, CANCEL, BYE, OPTIONS, a
 * response; the seed corpus under {@code src/test/resources/io/doorpair/b2b/fuzz/
 * InternalUdpFuzzTestInputs/}): after each one the server still answers a valid OPTIONS {@code 200}
 * and no exception came out of its own code ({@link InternalServer#unexpectedErrors()}). The
 * server's flood guard is widened so the fuzzer's own rate is not what gets refused.
 */
class InternalUdpFuzzTest {
  private static InternalServer server;
  private static InetSocketAddress address;
  private static DatagramSocket sender;
  private static DatagramSocket probe;

  @BeforeAll
  static void start() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    address = new InetSocketAddress("127.0.0.1", port);
    DigestGate gate =
        new DigestGate(
            InternalSip.DOMAIN,
            List.of(
                new PasswdEntry("door1", InternalSip.DOMAIN, InternalSip.DOOR_PASSWORD),
                new PasswdEntry("ipgw", InternalSip.DOMAIN, InternalSip.DOOR_PASSWORD)),
            Clock.systemUTC(),
            new SecureRandom());
    Registrations registrations = new Registrations(Clock.systemUTC());
    server =
        InternalServer.start(
            new InternalTarget("127.0.0.1", port, "udp"),
            gate,
            registrations,
            new FloodGuard(System::nanoTime, new FloodGuard.Limits(1e6, 1e6, 1e6, 1e6)));
    sender = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    probe.setSoTimeout(2_000);
    // a registered contact (the sender itself), so that proxied requests are really forwarded
    registrations.put("ipgw", "sip:ipgw@127.0.0.1:" + sender.getLocalPort(), "udp", "", 3600);
  }

  @AfterAll
  static void stop() throws IOException {
    probe.close();
    sender.close();
    server.close();
  }

  @FuzzTest
  void any_datagram_leaves_the_server_answering(byte[] datagram) throws IOException {
    if (datagram.length == 0 || datagram.length > 65_000) {
      return;
    }
    sender.send(new DatagramPacket(datagram, datagram.length, address));
    assertThat(optionsAnswered()).as("a valid OPTIONS is answered 200").isTrue();
    assertThat(server.unexpectedErrors()).isZero();
  }

  /**
   * Sends a valid OPTIONS, again every 2 s as a UDP client's timer E would (a datagram may be lost,
   * the stack drops what waited over 2 s in its queue), at most 5 times: true once one is answered
   * {@code 200}.
   */
  private static boolean optionsAnswered() throws IOException {
    byte[] buffer = new byte[65536];
    for (int attempt = 0; attempt < 5; attempt++) {
      String options = InternalSip.options("udp", "127.0.0.1", probe.getLocalPort());
      int from = options.indexOf("branch=") + 7;
      String branch = options.substring(from, options.indexOf("\r\n", from));
      byte[] bytes = options.getBytes(StandardCharsets.UTF_8);
      probe.send(new DatagramPacket(bytes, bytes.length, address));
      long until = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < until) {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          probe.receive(packet);
        } catch (SocketTimeoutException e) {
          break;
        }
        String answer = new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
        if (answer.startsWith("SIP/2.0 ") && answer.contains(branch)) {
          return status(answer) == 200;
        }
      }
    }
    return false;
  }
}
