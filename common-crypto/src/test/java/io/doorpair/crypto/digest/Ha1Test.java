package io.doorpair.crypto.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ha1Test {

  @Test
  void compute_hashes_username_realm_and_password_in_utf8() {
    Ha1 ha1 = Ha1.compute(DigestAlgorithm.SHA_256, "josé", "doorpair", "pässwörd".toCharArray());

    assertThat(ha1.hex()).isEqualTo(DigestAlgorithm.SHA_256.hashHex("josé:doorpair:pässwörd"));
    assertThat(ha1.algorithm()).isEqualTo(DigestAlgorithm.SHA_256);
  }

  @Test
  void compute_leaves_the_password_untouched() {
    char[] password = "secret".toCharArray();

    Ha1.compute(DigestAlgorithm.MD5, "u", "r", password);

    assertThat(password).containsExactly("secret".toCharArray());
  }

  @Test
  void lone_surrogate_in_password_is_refused_without_quoting_it() {
    assertThatThrownBy(
            () -> Ha1.compute(DigestAlgorithm.MD5, "u", "r", new char[] {'a', '\ud800', 'b'}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("password is not valid UTF-16");
  }

  @Test
  void to_string_never_shows_the_value() {
    Ha1 ha1 = Ha1.compute(DigestAlgorithm.SHA_256, "u", "r", "p".toCharArray());

    assertThat(ha1.toString()).isEqualTo("Ha1[SHA-256, <redacted>]").doesNotContain(ha1.hex());
  }

  @Test
  void of_hex_keeps_lowercase_and_equals_the_computed_value() {
    Ha1 computed = Ha1.compute(DigestAlgorithm.MD5, "u", "r", "p".toCharArray());

    Ha1 stored = Ha1.ofHex(DigestAlgorithm.MD5, computed.hex().toUpperCase(java.util.Locale.ROOT));

    assertThat(stored.hex()).isEqualTo(computed.hex());
    assertThat(stored).isEqualTo(computed).hasSameHashCodeAs(computed);
  }

  @Test
  void same_hex_with_another_algorithm_is_not_equal() {
    String hex = "0".repeat(32);
    Ha1 md5 = Ha1.ofHex(DigestAlgorithm.MD5, hex);

    assertThat(md5).isNotEqualTo(Ha1.ofHex(DigestAlgorithm.MD5, "1" + hex.substring(1)));
    assertThat(md5).isNotEqualTo(hex);
  }

  @ParameterizedTest(name = "{0} \"{1}\" → {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "MD5     | 0123456789abcdef0123456789abcde   | HA1 must be 32 hex digits for MD5",
        "MD5     | 0123456789abcdef0123456789abcdef0 | HA1 must be 32 hex digits for MD5",
        "MD5     | 0123456789abcdef0123456789abcdeg  | HA1 must be 32 hex digits for MD5",
        "SHA_256 | 0123456789abcdef0123456789abcdef  | HA1 must be 64 hex digits for SHA-256",
      })
  void of_hex_refuses_wrong_length_or_non_hex(
      DigestAlgorithm algorithm, String hex, String message) {
    assertThatThrownBy(() -> Ha1.ofHex(algorithm, hex))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message)
        .message()
        .doesNotContain(hex);
  }

  @Test
  void hex_lengths_follow_the_algorithm() {
    assertThat(Arrays.stream(DigestAlgorithm.values()).mapToInt(DigestAlgorithm::hexLength))
        .containsExactly(64, 32);
  }
}
