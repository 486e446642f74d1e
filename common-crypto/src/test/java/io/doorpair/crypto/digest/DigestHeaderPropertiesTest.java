package io.doorpair.crypto.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

class DigestHeaderPropertiesTest {

  private static final List<String> FRAGMENTS =
      List.of(
          "Digest",
          "digest",
          "Basic",
          " ",
          "  ",
          "\t",
          ",",
          "=",
          "==",
          "\"",
          "\\",
          "username",
          "realm",
          "nonce",
          "uri",
          "response",
          "algorithm",
          "MD5",
          "SHA-256",
          "SHA-256-sess",
          "nc",
          "00000001",
          "00000000",
          "cnonce",
          "qop",
          "auth",
          "auth-int",
          "opaque",
          "userhash",
          "username*",
          "stale",
          "true",
          "false",
          "/a/b",
          "abc/def",
          "é",
          "\u0000",
          "\r\n",
          "8ca523f5e9506fed4657c9700eebdbec",
          "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");

  @Property(tries = 2000)
  void authorization_parse_throws_only_digest_format_exception(@ForAll("headerish") String s) {
    assertThatCode(() -> parseAuthorizationQuietly(s)).doesNotThrowAnyException();
  }

  @Property(tries = 2000)
  void challenge_parse_throws_only_digest_format_exception(@ForAll("headerish") String s) {
    assertThatCode(() -> parseChallengesQuietly(s)).doesNotThrowAnyException();
  }

  @Property(tries = 300)
  void arbitrary_long_strings_throw_only_digest_format_exception(
      @ForAll @StringLength(max = 6000) String s) {
    assertThatCode(() -> parseAuthorizationQuietly(s)).doesNotThrowAnyException();
    assertThatCode(() -> parseChallengesQuietly(s)).doesNotThrowAnyException();
  }

  @Property(tries = 1000)
  void authorization_round_trips(@ForAll("authorizations") DigestAuthorization a) {
    assertThat(DigestAuthorization.parse(a.toHeaderValue())).isEqualTo(a);
  }

  @Property(tries = 1000)
  void challenge_round_trips(@ForAll("challenges") DigestChallenge c) {
    assertThat(DigestChallenge.parseAll(c.toHeaderValue())).containsExactly(c);
  }

  @Property(tries = 300)
  void several_challenges_in_one_value_round_trip(
      @ForAll("challenges") DigestChallenge a, @ForAll("challenges") DigestChallenge b) {
    assertThat(DigestChallenge.parseAll(a.toHeaderValue() + ", " + b.toHeaderValue()))
        .containsExactly(a, b);
  }

  private static void parseAuthorizationQuietly(String s) {
    try {
      DigestAuthorization.parse(s);
    } catch (DigestFormatException expected) {
      // the one documented failure
    }
  }

  private static void parseChallengesQuietly(String s) {
    try {
      DigestChallenge.parseAll(s);
    } catch (DigestFormatException expected) {
      // the one documented failure
    }
  }

  @Provide
  Arbitrary<String> headerish() {
    Arbitrary<String> joined =
        Arbitraries.of(FRAGMENTS).list().ofMaxSize(60).map(parts -> String.join("", parts));
    Arbitrary<String> mutated =
        authorizations()
            .map(DigestAuthorization::toHeaderValue)
            .flatMap(
                h ->
                    Combinators.combine(
                            Arbitraries.integers().between(0, h.length()),
                            Arbitraries.integers().between(0, 3),
                            Arbitraries.of(FRAGMENTS))
                        .as((at, cut, insert) -> cut(h, at, cut) + insert));
    return Arbitraries.oneOf(joined, mutated, Arbitraries.strings().ofMaxLength(200));
  }

  private static String cut(String h, int at, int cut) {
    return h.substring(0, at) + h.substring(Math.min(h.length(), at + cut));
  }

  private static Arbitrary<String> values(int minLength) {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .withChars('é', '€', '\u0080', '\u00ff')
        .ofMinLength(minLength)
        .ofMaxLength(40);
  }

  private static Arbitrary<String> hex(int length) {
    return Arbitraries.strings().withChars("0123456789abcdefABCDEF".toCharArray()).ofLength(length);
  }

  @Provide
  Arbitrary<DigestAuthorization> authorizations() {
    return Arbitraries.of(DigestAlgorithm.class)
        .flatMap(DigestHeaderPropertiesTest::authorizations);
  }

  private static Arbitrary<DigestAuthorization> authorizations(DigestAlgorithm alg) {
    Arbitrary<String> nc =
        Arbitraries.longs().between(1, 0xffffffffL).map(DigestAuthorization::formatNc);
    Arbitrary<List<String>> strings =
        Combinators.combine(
                List.of(
                    values(1),
                    values(0),
                    values(1),
                    values(1),
                    hex(alg.hexLength()),
                    values(1),
                    nc,
                    Arbitraries.of("auth", "AUTH", "Auth")))
            .as(list -> list);
    return Combinators.combine(strings, values(0).optional())
        .as(
            (v, opaque) ->
                new DigestAuthorization(
                    v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), alg, v.get(5), v.get(6),
                    v.get(7), opaque));
  }

  @Provide
  Arbitrary<DigestChallenge> challenges() {
    return Combinators.combine(
            values(0),
            values(1),
            values(0).optional(),
            Arbitraries.of(DigestAlgorithm.class),
            Arbitraries.of(true, false))
        .as(
            (realm, nonce, opaque, alg, stale) ->
                new DigestChallenge(realm, nonce, opaque, alg, "auth", stale));
  }
}
