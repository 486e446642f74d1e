package io.doorpair.b2b;

import static io.doorpair.b2b.testing.PlainSipClient.header;
import static io.doorpair.b2b.testing.PlainSipClient.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.b2b.testing.InternalSip;
import io.doorpair.b2b.testing.PlainSipClient;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request captured on the LAN and sent again (same nonce, nc and cnonce) is refused by the
 * embedded internal server over real UDP and TCP sockets with {@code stale=true}, while the honest
 * client that answers the new challenge passes.
 */
class DigestReplayTest {
  private static InternalSip sip;

  @BeforeAll
  static void start() throws Exception {
    sip = InternalSip.start();
  }

  @AfterAll
  static void stop() {
    sip.close();
  }

  private static PlainSipClient client(String transport) throws Exception {
    return transport.equals("udp")
        ? PlainSipClient.udp(sip.address())
        : PlainSipClient.tcp(sip.address());
  }

  private static String branch() {
    return "z9hG4bK" + UUID.randomUUID();
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp"})
  void a_captured_register_replayed_is_challenged_stale(String transport) throws Exception {
    try (PlainSipClient door = client(transport);
        PlainSipClient attacker = client(transport)) {
      String callId = UUID.randomUUID().toString();
      int port = door.localPort();
      String challenged =
          door.send(
              InternalSip.register(
                  transport, "127.0.0.1", port, "door1", branch(), callId, 1, null));
      assertThat(status(challenged)).isEqualTo(401);
      String credentials =
          InternalSip.answer(
              header(challenged, "WWW-Authenticate"),
              "door1",
              InternalSip.DOOR_PASSWORD,
              "REGISTER",
              "sip:" + InternalSip.DOMAIN,
              1);
      String captured =
          InternalSip.register(
              transport, "127.0.0.1", port, "door1", branch(), callId, 2, credentials);
      assertThat(status(door.send(captured))).isEqualTo(200);

      // the attacker sends the captured request again as a new transaction (over TCP as it is)
      String replay =
          transport.equals("tcp")
              ? captured
              : InternalSip.register(
                  transport, "127.0.0.1", port, "door1", branch(), callId, 2, credentials);
      String refused = attacker.send(replay);
      assertThat(status(refused)).isEqualTo(401);
      assertThat(header(refused, "WWW-Authenticate")).contains("stale=true");

      // the honest door answers the new challenge and registers again
      String again =
          InternalSip.answer(
              header(refused, "WWW-Authenticate"),
              "door1",
              InternalSip.DOOR_PASSWORD,
              "REGISTER",
              "sip:" + InternalSip.DOMAIN,
              1);
      assertThat(
              status(
                  door.send(
                      InternalSip.register(
                          transport, "127.0.0.1", port, "door1", branch(), callId, 3, again))))
          .isEqualTo(200);
      assertThat(sip.gate().trackedNonces()).isLessThanOrEqualTo(8);
    }
  }

  @Test
  void a_captured_invite_replayed_as_a_new_call_does_not_ring_but_its_retransmission_does()
      throws Exception {
    try (PlainSipClient door = PlainSipClient.udp(sip.address());
        PlainSipClient attacker = PlainSipClient.udp(sip.address());
        DatagramSocket callee = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      callee.setSoTimeout(10_000);
      sip.server()
          .registrations()
          .put("door2", "sip:door2@127.0.0.1:" + callee.getLocalPort(), "udp", "127.0.0.1", 120);
      int port = door.localPort();
      String challenged =
          door.send(
              InternalSip.invite(
                  "127.0.0.1", port, "door1", "door2", branch(), UUID.randomUUID() + "", null));
      assertThat(status(challenged)).isEqualTo(407);
      String credentials =
          InternalSip.answer(
              header(challenged, "Proxy-Authenticate"),
              "door1",
              InternalSip.DOOR_PASSWORD,
              "INVITE",
              "sip:door2@" + InternalSip.DOMAIN,
              1);
      String callId = UUID.randomUUID().toString();
      String inviteBranch = branch();
      String captured =
          InternalSip.invite(
              "127.0.0.1", port, "door1", "door2", inviteBranch, callId, credentials);
      door.write(captured);
      assertThat(receive(callee)).contains("Call-ID: " + callId);

      // a retransmission (same branch, Call-ID, CSeq) is forwarded again: the callee's
      // transaction absorbs it. UDP: sent again, as a door's timer A would, until one arrives
      callee.setSoTimeout(2_000);
      String forwarded = null;
      for (int i = 0; i < 8 && forwarded == null; i++) {
        door.write(captured);
        try {
          forwarded = receive(callee);
        } catch (SocketTimeoutException e) {
          // lost on a loaded machine: retransmit
        }
      }
      assertThat(forwarded).contains("Call-ID: " + callId);
      callee.setSoTimeout(200);
      try {
        while (true) {
          receive(callee); // drain further copies
        }
      } catch (SocketTimeoutException drained) {
        // none left
      }

      // the capture as a new call (new branch and Call-ID): refused stale, nothing forwarded
      String newCall = UUID.randomUUID().toString();
      String refused =
          attacker.send(
              InternalSip.invite(
                  "127.0.0.1", port, "door1", "door2", branch(), newCall, credentials));
      assertThat(status(refused)).isEqualTo(407);
      assertThat(header(refused, "Proxy-Authenticate")).contains("stale=true");
      // the 407 was the proxy's decision for that request: nothing of it reached the callee
      callee.setSoTimeout(1_000);
      assertThatThrownBy(() -> receive(callee)).isInstanceOf(SocketTimeoutException.class);
    } finally {
      sip.server().registrations().put("door2", "*", "udp", "", 0);
    }
  }

  private static String receive(DatagramSocket socket) throws Exception {
    byte[] buffer = new byte[65536];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    socket.receive(packet);
    return new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
  }
}
