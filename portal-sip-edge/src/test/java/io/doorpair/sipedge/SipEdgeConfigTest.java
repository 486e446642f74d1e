package io.doorpair.sipedge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
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

  @Test
  void domain_is_lower_cased_and_timer_c_bounded() throws Exception {
    io.doorpair.crypto.testing.TestPki pki = io.doorpair.crypto.testing.TestPki.shared();
    io.doorpair.crypto.testing.TestPki.Leaf server = pki.issueServer("127.0.0.1");
    SipEdgeConfig config =
        SipEdgeConfig.of(
            SipEdgeConfig.parseListen("127.0.0.1:0"),
            "Portal.Example",
            java.util.List.of(pki.caCertificate()),
            server.keys().getPrivate(),
            java.util.List.of(server.certificate()));
    assertThat(config.domain()).isEqualTo("portal.example");
    assertThat(config.timerC()).isEqualTo(SipEdgeConfig.DEFAULT_TIMER_C);
    assertThat(config.toString()).contains("serverKey=(redacted)").contains("portal.example");
    assertThatThrownBy(() -> config.withTimerC(java.time.Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                SipEdgeConfig.of(
                    SipEdgeConfig.parseListen("127.0.0.1:0"),
                    " ",
                    java.util.List.of(pki.caCertificate()),
                    server.keys().getPrivate(),
                    java.util.List.of(server.certificate())))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
