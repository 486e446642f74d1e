package io.doorpair.b2b.doorsim;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.doorsim.DoorStation.Received;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DoorSimTest {
  private static Received info(String type, String body) {
    return new Received(
        "INFO sip:door1@127.0.0.1 SIP/2.0\r\nCall-ID: x\r\nContent-Type: "
            + type
            + "\r\nContent-Length: "
            + body.length()
            + "\r\n\r\n"
            + body,
        new InetSocketAddress("127.0.0.1", 5070));
  }

  @Test
  void reads_the_digit_of_both_dtmf_info_forms() {
    assertThat(DoorSim.dtmf(info("application/dtmf-relay", "Signal=#\r\nDuration=250\r\n")))
        .contains('#');
    assertThat(DoorSim.dtmf(info("application/dtmf-relay", "Signal= 5\r\nDuration=250")))
        .contains('5');
    assertThat(DoorSim.dtmf(info("application/dtmf", "*"))).contains('*');
  }

  @Test
  void anything_else_is_no_digit() {
    assertThat(DoorSim.dtmf(info("application/dtmf-relay", "Signal=##")))
        .isEqualTo(Optional.empty());
    assertThat(DoorSim.dtmf(info("application/dtmf-relay", "Duration=250"))).isEmpty();
    assertThat(DoorSim.dtmf(info("application/sdp", "Signal=#"))).isEmpty();
    assertThat(DoorSim.dtmf(info("application/dtmf", "x"))).isEmpty();
  }

  @Test
  void text_from_the_network_cannot_drive_the_terminal() {
    assertThat(DoorSim.printable("\"Eve\" <sip:e@x>\u001b[2J\r\n"))
        .isEqualTo("\"Eve\" <sip:e@x>?[2J??");
    assertThat(DoorSim.printable("a".repeat(500))).hasSize(200);
  }
}
