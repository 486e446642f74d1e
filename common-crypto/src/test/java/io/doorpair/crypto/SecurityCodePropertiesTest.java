package io.doorpair.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class SecurityCodePropertiesTest {
  @Property
  void normalize_never_throws_and_gives_8_canonical_chars_or_nothing(@ForAll String entered) {
    Optional<String> normalized = SecurityCode.normalize(entered);
    normalized.ifPresent(n -> assertThat(n).matches("[0-9]{4}[0-9a-f]{4}"));
  }

  @Property
  void normalize_is_idempotent(@ForAll("typed") String entered) {
    Optional<String> once = SecurityCode.normalize(entered);
    assertThat(once.flatMap(SecurityCode::normalize)).isEqualTo(once);
  }

  @Property
  void spaces_dashes_and_case_do_not_change_a_match(
      @ForAll @IntRange(min = 0, max = 9999) int salt,
      @ForAll("hashes") String hash,
      @ForAll("separators") String separator,
      @ForAll boolean upper) {
    String value = SecurityCode.of(String.format(Locale.ROOT, "%04d", salt), hash).value();
    String typed = value.substring(0, 4) + separator + value.substring(4);
    if (upper) {
      typed = typed.toUpperCase(Locale.ROOT);
    }
    assertThat(SecurityCode.normalize(typed)).contains(value);
    assertThat(SecurityCode.matches(typed, hash)).isTrue();
  }

  @Property
  void changing_a_check_character_never_matches(
      @ForAll @IntRange(min = 0, max = 9999) int salt,
      @ForAll("hashes") String hash,
      @ForAll @IntRange(min = 4, max = 7) int position,
      @ForAll @IntRange(min = 1, max = 15) int delta) {
    String value = SecurityCode.of(String.format(Locale.ROOT, "%04d", salt), hash).value();
    int digit = Character.digit(value.charAt(position), 16);
    char changed = Character.forDigit((digit + delta) % 16, 16);
    String wrong = value.substring(0, position) + changed + value.substring(position + 1);
    assertThat(SecurityCode.matches(wrong, hash)).isFalse();
  }

  @Property
  void matches_never_throws_for_any_entry(@ForAll String entered, @ForAll("hashes") String hash) {
    SecurityCode.matches(entered, hash);
  }

  @Provide
  Arbitrary<String> hashes() {
    return Arbitraries.strings().withChars("0123456789abcdef").ofLength(64);
  }

  @Provide
  Arbitrary<String> separators() {
    return Arbitraries.strings().withChars(" -\t\u2013\u00a0").ofMaxLength(4);
  }

  @Provide
  Arbitrary<String> typed() {
    return Arbitraries.strings().withChars("0123456789abcdefABCDEF -g").ofMaxLength(16);
  }
}
