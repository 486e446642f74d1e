package io.doorpair.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecurityCodeTest {
  private static final String HASH =
      "5894f3bf73c3a5c2d7dd2f6cdbeaa419afebc50bf1ed8f134dae7caae0f5379a";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "042026dc",
        "042026DC",
        "0420-26dc",
        "0420 26DC",
        " 04-20-26-dc ",
        "0420\u201326dc",
        "0420\u00a026dc",
        "0420\t26dc"
      })
  void typed_variants_of_the_code_match(String entered) {
    assertThat(SecurityCode.matches(entered, HASH)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "042026dd",
        "042126dc",
        "042026d",
        "042026dc0",
        "",
        "----",
        "0420_26dc",
        "042O26dc",
        "\uff1042026dc",
        "0420\u0130\u0130dc",
        "042026dg"
      })
  void wrong_or_malformed_codes_do_not_match(String entered) {
    assertThat(SecurityCode.matches(entered, HASH)).isFalse();
  }

  @Test
  void code_of_another_key_does_not_match() {
    String other = "0".repeat(64);
    assertThat(SecurityCode.matches("042026dc", other)).isFalse();
  }

  @Test
  void normalize_gives_canonical_lowercase_code() {
    assertThat(SecurityCode.normalize("0420-26DC")).contains("042026dc");
    assertThat(SecurityCode.normalize("0420-26DG")).isEmpty();
    assertThat(SecurityCode.normalize("ABCD26dc")).isEmpty();
    assertThat(SecurityCode.normalize(" ".repeat(100) + "042026dc")).isEmpty();
  }

  @Test
  void generated_salts_are_four_digits_and_cover_the_range() {
    SecureRandom random = new SecureRandom();
    Set<String> salts = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      SecurityCode code = SecurityCode.generate(HASH, random);
      assertThat(code.salt()).matches("[0-9]{4}");
      assertThat(code.value()).startsWith(code.salt()).hasSize(8);
      assertThat(code).isEqualTo(SecurityCode.of(code.salt(), HASH));
      salts.add(code.salt());
    }
    // 20,000 draws over 10,000 salts leave about 1,350 unseen; a biased or constant draw leaves
    // many more
    assertThat(salts.size()).isGreaterThan(8_000);
  }

  @Test
  void generate_draws_from_the_injected_random() throws Exception {
    SecureRandom a = SecureRandom.getInstance("SHA1PRNG");
    a.setSeed(42);
    SecureRandom b = SecureRandom.getInstance("SHA1PRNG");
    b.setSeed(42);
    assertThat(SecurityCode.generate(HASH, a)).isEqualTo(SecurityCode.generate(HASH, b));
  }

  @Test
  void bad_salt_is_bad_code_and_bad_hash_is_illegal() {
    assertThatThrownBy(() -> SecurityCode.of("42", HASH))
        .isInstanceOfSatisfying(
            CryptoException.class, e -> assertThat(e.code()).isEqualTo("bad_code"))
        .hasMessage("security code salt must be 4 decimal digits");
    assertThatThrownBy(() -> SecurityCode.of("0420", HASH.toUpperCase(Locale.ROOT)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("public key hash must be 64 lowercase hex characters");
    assertThatThrownBy(() -> SecurityCode.matches("042026dc", "abc"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void to_string_hides_the_code() {
    SecurityCode code = SecurityCode.of("0420", HASH);
    assertThat(code.toString())
        .isEqualTo("SecurityCode[salt=0420, value=redacted]")
        .doesNotContain("26dc");
  }
}
