package io.doorpair.b2b.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.b2b.conf.FileFormatException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PortalTargetTest {
  @ParameterizedTest
  @CsvSource({
    "sips:portal.example.com, portal.example.com, 5061",
    "sips:Portal.Example.com:5071, portal.example.com, 5071",
    "sip:127.0.0.1:5061;transport=tls, 127.0.0.1, 5061",
    "'sips:[::1]:6000', ::1, 6000",
  })
  void reads_tls_uris(String uri, String host, int port) {
    assertThat(PortalTarget.parse(uri)).isEqualTo(new PortalTarget(host, port));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sip:portal.example.com",
        "sip:portal.example.com;transport=tcp",
        "sips:portal.example.com;transport=udp",
        "sips:portal.example.com:0",
        "sips:portal.example.com:70000",
        "sips:",
        "http://portal.example.com"
      })
  void refuses_anything_but_tls(String uri) {
    assertThatThrownBy(() -> PortalTarget.parse(uri)).isInstanceOf(FileFormatException.class);
  }
}
