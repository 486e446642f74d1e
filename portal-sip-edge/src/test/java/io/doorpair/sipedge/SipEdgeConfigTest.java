package io.doorpair.sipedge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SipEdgeConfigTest {
  @ParameterizedTest
  @CsvSource({
    "127.0.0.1:5061, 127.0.0.1, 5061",
    "[::1]:0, ::1, 0",
    "sip.example:5061, sip.example, 5061"
  })
  void parses_sip_addresses(String text, String host, int port) {
    InetSocketAddress address = SipEdgeConfig.parseListen(text);
    assertThat(address.getHostString()).isEqualTo(host);
    assertThat(address.getPort()).isEqualTo(port);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "5061",
        ":5061",
        "127.0.0.1:",
        "127.0.0.1:65536",
        "127.0.0.1:-1",
        "::1:5061",
        "host:x"
      })
  void refuses_anything_else(String text) {
    assertThatThrownBy(() -> SipEdgeConfig.parseListen(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--sip");
  }
}
