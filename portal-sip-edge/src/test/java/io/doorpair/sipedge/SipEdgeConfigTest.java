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

  @ParameterizedTest
  @CsvSource({"10.0.0.5:5061, 10.0.0.5, 5061", "[2001:db8::5]:5061, 2001:db8:0:0:0:0:0:5, 5061"})
  void parses_advertised_addresses(String text, String ip, int port) {
    InetSocketAddress address = SipEdgeConfig.parseAdvertise(text);
    assertThat(address.getAddress().getHostAddress()).isEqualTo(ip);
    assertThat(address.getPort()).isEqualTo(port);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0.0.0.0:5061 | not a wildcard",
        "[::]:5061 | not a wildcard",
        "10.0.0.5:0 | port must be 1 to 65535",
        "10.0.0.5:65536 | port must be 1 to 65535",
        "10.0.0.5:x | port must be 1 to 65535",
        "sip1.example.com:5061 | not a name",
        "10.0.0.256:5061 | not a name",
        "::1:5061 | not a name",
        "10.0.0.5 | needs ip:port"
      })
  void refuses_advertised_wildcards_names_and_bad_ports(String text, String reason) {
    assertThatThrownBy(() -> SipEdgeConfig.parseAdvertise(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--advertise")
        .hasMessageContaining(reason);
  }

  @ParameterizedTest
  @CsvSource({
    "0.0.0.0:5061, true",
    "[::]:0, true",
    "127.0.0.1:5061, false",
    "sip.example:1, false"
  })
  void tells_wildcard_listen_addresses(String text, boolean wildcard) {
    assertThat(SipEdgeConfig.isWildcard(SipEdgeConfig.parseListen(text))).isEqualTo(wildcard);
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
