package io.doorpair.b2b.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.SipPassword;
import java.time.Duration;
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

  @Test
  void a_file_without_timers_gets_the_defaults() {
    B2bConf conf = B2bConf.parse(GOOD);
    assertThat(conf.ringTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(conf.maxCallDuration()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void management_is_off_unless_given_and_renders_back() {
    assertThat(B2bConf.parse(GOOD).management()).isEmpty();
    assertThat(B2bConf.parse(GOOD).render()).doesNotContain("management");
    B2bConf conf = B2bConf.parse(GOOD + "management = 127.0.0.1:9467\n");
    assertThat(conf.management()).contains("127.0.0.1:9467");
    assertThat(B2bConf.parse(conf.render())).isEqualTo(conf);
    assertThat(B2bConf.parse(GOOD + "management=[::1]:0\n").management()).contains("[::1]:0");
    assertThat(conf.withTimers(Duration.ofSeconds(3), Duration.ofSeconds(4)).management())
        .as("kept by withTimers")
        .contains("127.0.0.1:9467");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.1:65536", ":9467", "host name:1", "::1:9467"})
  void refuses_a_management_address_that_is_not_host_port(String address) {
    assertThatThrownBy(() -> B2bConf.parse(GOOD + "management=" + address + "\n"))
        .isInstanceOf(FileFormatException.class)
        .hasMessage("line 7: management must be host:port ([v6]:port), port 0 to 65535");
  }

  @Test
  void reads_the_timers_and_renders_them_back() {
    B2bConf conf = B2bConf.parse(GOOD + "ring-timeout = 3\nmax-call-duration=86400\n");
    assertThat(conf.ringTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(conf.maxCallDuration()).isEqualTo(Duration.ofDays(1));
    assertThat(B2bConf.parse(conf.render()).render()).isEqualTo(conf.render());
    assertThat(conf.render()).contains("\nring-timeout=3\nmax-call-duration=86400\n");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ring-timeout=0|line 7: ring-timeout must be whole seconds from 1 to 120",
        "ring-timeout=121|line 7: ring-timeout must be whole seconds from 1 to 120",
        "ring-timeout=-5|line 7: ring-timeout must be whole seconds from 1 to 120",
        "ring-timeout=45s|line 7: ring-timeout must be whole seconds from 1 to 120",
        "ring-timeout=|line 7: ring-timeout must be whole seconds from 1 to 120",
        "ring-timeout=4.5|line 7: ring-timeout must be whole seconds from 1 to 120",
        "max-call-duration=86401|line 7: max-call-duration must be whole seconds from 1 to 86400",
        "max-call-duration=9999999|line 7: max-call-duration must be whole seconds from 1 to 86400",
        "max-call-duration=+60|line 7: max-call-duration must be whole seconds from 1 to 86400",
        "'ring-timeout=3\nring-timeout=4'|line 8: ring-timeout given twice",
      })
  void refuses_a_timer_out_of_range_naming_its_line(String lines, String message) {
    assertThatThrownBy(() -> B2bConf.parse(GOOD + lines + "\n"))
        .isInstanceOf(FileFormatException.class)
        .hasMessage(message);
  }

  @Test
  void refuses_timers_that_would_not_round_trip() {
    B2bConf conf = B2bConf.parse(GOOD);
    assertThatThrownBy(() -> conf.withTimers(Duration.ofMillis(1500), Duration.ofMinutes(1)))
        .isInstanceOf(FileFormatException.class)
        .hasMessage("ring-timeout must be whole seconds from 1 to 120");
    assertThatThrownBy(() -> conf.withTimers(Duration.ofSeconds(1), Duration.ZERO))
        .isInstanceOf(FileFormatException.class)
        .hasMessage("max-call-duration must be whole seconds from 1 to 86400");
    assertThat(conf.toString()).doesNotContain("password=abc").contains("ringTimeout=PT45S");
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
