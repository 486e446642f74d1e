package io.doorpair.b2b.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.SipPassword;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** b2b.conf: INI like Flexisip's. */
class B2bConfTest {
  private static final String GOOD =
      "[b2b]\ndomain = k3x9abcd1234\nportal-sip-uri=sips:p.example:5061\n"
          + "internal-sip-uri=sip:127.0.0.1:5070\n; comment\npassword=abc\n";

  @Test
  void reads_spaces_and_comments() {
    B2bConf conf = B2bConf.parse(GOOD);
    assertThat(conf.domain()).isEqualTo("k3x9abcd1234");
    assertThat(conf.password().reveal()).isEqualTo("abc");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'domain=k3x9abcd1234\n'|line 1: expected key=value in [b2b]",
        "'[b2b]\n[b2b]\n'|line 2: only one section [b2b] is known",
        "'[other]\n'|line 1: only one section [b2b] is known",
        "'[b2b]\nfoo=bar\n'|line 2: unknown key",
        "'[b2b]\ndomain=a\ndomain=b\n'|line 3: domain given twice",
        "'[b2b]\ndomain\n'|line 2: expected key=value in [b2b]",
        "'[b2b]\ndomain=k3x9abcd1234\n'|missing portal-sip-uri",
      })
  void refuses_bad_lines(String text, String message) {
    assertThatThrownBy(() -> B2bConf.parse(text))
        .isInstanceOf(FileFormatException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://x", "sip:a b", "sip:a\nb", "sip:a#b", "sips:"})
  void refuses_a_uri_that_would_break_the_file(String uri) {
    assertThatThrownBy(
            () -> new B2bConf("k3x9abcd1234", uri, "sip:127.0.0.1", SipPassword.of("abc")))
        .isInstanceOf(FileFormatException.class);
  }

  @Test
  void refuses_a_bad_domain() {
    assertThatThrownBy(() -> new B2bConf("K3X9", "sips:p", "sip:127.0.0.1", SipPassword.of("abc")))
        .isInstanceOf(FileFormatException.class)
        .hasMessage("gateway DOMAIN must be 12 characters of [a-z0-9]");
  }
}
