package io.doorpair.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SipPasswordTest {
  @Test
  void generated_passwords_are_24_alphanumerics() {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 200; i++) {
      assertThat(SipPassword.generate(random).reveal()).matches("[A-Za-z0-9]{24}");
    }
  }

  @Test
  void generated_characters_are_spread_over_all_62() throws Exception {
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(7);
    Map<Character, Integer> counts = new HashMap<>();
    for (int i = 0; i < 2_000; i++) {
      for (char c : SipPassword.generate(random).reveal().toCharArray()) {
        counts.merge(c, 1, Integer::sum);
      }
    }
    // 48,000 draws: about 774 per character; a biased modulo draw would skew the low ones
    assertThat(counts).hasSize(62);
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(650, 900));
  }

  @Test
  void to_string_is_redacted() {
    SipPassword password = SipPassword.of("s3cret-Value");
    assertThat(password.toString()).isEqualTo("SipPassword[redacted]");
    assertThat(String.valueOf(password)).doesNotContain("s3cret");
  }

  @Test
  void equal_passwords_are_equal_with_equal_hashes() {
    SipPassword a = SipPassword.of("s3cret-Value");
    SipPassword b = SipPassword.of("s3cret-Value");
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(SipPassword.of("s3cret-Valuf"));
    assertThat(a.hashCode()).isNotEqualTo("s3cret-Value".hashCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "with space", "tab\there", "caf\u00e9", "new\nline"})
  void invalid_values_are_refused_without_quoting_them(String value) {
    assertThatThrownBy(() -> SipPassword.of(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SIP password must be 1 to 128 printable ASCII characters without spaces");
  }

  @Test
  void length_limit_is_128() {
    assertThat(SipPassword.of("x".repeat(128)).reveal()).hasSize(128);
    assertThatThrownBy(() -> SipPassword.of("x".repeat(129)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
