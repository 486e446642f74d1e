package io.doorpair.b2b;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.localsip.DigestGate;
import io.doorpair.b2b.localsip.InternalTarget;
import io.doorpair.b2b.localsip.Registrations;
import io.doorpair.b2b.stack.InternalServer;
import io.doorpair.b2b.testing.LanPhone;
import io.doorpair.crypto.SipPassword;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import io.doorpair.sipedge.testing.LinphoneDaemon.CallEvent;
import io.doorpair.sipedge.testing.Peers;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls between two real Linphone devices (linphone-daemon, digest over UDP) registered at the
 * embedded internal SIP server, through its proxy: the caller answers the proxy's {@code 407} with
 * its own credentials, the callee rings, answers, and either side hangs up.
 */
class LanCallTest {
  private static final String DOMAIN = "lancall00001";
  private static final SipPassword DOOR_PASSWORD = SipPassword.of("DoorPassw0rd1");
  private static final SipPassword PHONE_PASSWORD = SipPassword.of("PhonePassw0rd2");

  @TempDir Path dir;

  private InternalServer server;
  private InetSocketAddress address;

  @BeforeEach
  void start() throws Exception {
    Peers.require("linphone-daemon", "linphone-cli");
    int port;
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      port = probe.getLocalPort();
    }
    address = new InetSocketAddress("127.0.0.1", port);
    DigestGate gate =
        new DigestGate(
            DOMAIN,
            List.of(
                new PasswdEntry("door1", DOMAIN, DOOR_PASSWORD),
                new PasswdEntry("grace", DOMAIN, PHONE_PASSWORD)),
            Clock.systemUTC(),
            new SecureRandom());
    server =
        InternalServer.start(
            new InternalTarget("127.0.0.1", port, "udp"),
            gate,
            new Registrations(Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private LinphoneDaemon device(String user, SipPassword password) throws Exception {
    LinphoneDaemon daemon = LanPhone.start(dir, user, DOMAIN, password, address);
    daemon.awaitRegistrationState(LinphoneDaemon.REGISTRATION_OK);
    return daemon;
  }

  @Test
  void a_door_station_calls_a_phone_through_the_proxy_and_each_side_can_hang_up() throws Exception {
    try (LinphoneDaemon door = device("door1", DOOR_PASSWORD);
        LinphoneDaemon phone = device("grace", PHONE_PASSWORD)) {
      // the caller hangs up
      int call = door.call("sip:grace@" + DOMAIN);
      CallEvent rings = phone.awaitCallState("LinphoneCallIncomingReceived");
      assertThat(rings.from()).contains("door1@" + DOMAIN);
      phone.answer(rings.callId());
      door.awaitCallState(call, "LinphoneCallConnected");
      phone.awaitCallState(rings.callId(), "LinphoneCallConnected");
      door.terminate(call);
      phone.awaitCallState(rings.callId(), "LinphoneCallEnd");
      door.awaitCallState(call, "LinphoneCallEnd");

      // the callee hangs up
      int second = door.call("sip:grace@" + DOMAIN);
      CallEvent again =
          phone.awaitEvent(
              "a second incoming call",
              e ->
                  e.state().equals("LinphoneCallIncomingReceived") && e.callId() != rings.callId());
      phone.answer(again.callId());
      door.awaitCallState(second, "LinphoneCallConnected");
      phone.terminate(again.callId());
      door.awaitCallState(second, "LinphoneCallEnd");
      phone.awaitCallState(again.callId(), "LinphoneCallEnd");
    }
  }
}
