package io.doorpair.crypto.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DigestChallengeTest {

  private static final String NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  private static final String OPAQUE = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";

  /** RFC 7616 §3.9.1, the two WWW-Authenticate headers, unfolded. */
  private static final List<String> RFC7616 =
      List.of(
          "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256,"
              + " nonce=\""
              + NONCE
              + "\", opaque=\""
              + OPAQUE
              + "\"",
          "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=MD5,"
              + " nonce=\""
              + NONCE
              + "\", opaque=\""
              + OPAQUE
              + "\"");

  @Test
  void rfc7616_example_challenges_parse_in_order() {
    assertThat(DigestChallenge.parseAll(RFC7616))
        .containsExactly(
            new DigestChallenge(
                "http-auth@example.org",
                NONCE,
                Optional.of(OPAQUE),
                DigestAlgorithm.SHA_256,
                "auth",
                false),
            new DigestChallenge(
                "http-auth@example.org",
                NONCE,
                Optional.of(OPAQUE),
                DigestAlgorithm.MD5,
                "auth",
                false));
  }

  @Test
  void several_challenges_in_one_value_with_other_schemes_are_split() {
    String header =
        "Basic realm=\"simple\", Negotiate, NTLM abc/def==, "
            + "Digest realm=\"a, b\", nonce=\"n1\", qop=auth, algorithm=sha-256 ,"
            + " Bearer realm=\"x\", error=\"invalid_token\","
            + " DIGEST nonce=\"n2\", realm=\"r2\", qop=\"auth-int,auth\", stale=TRUE";

    assertThat(DigestChallenge.parseAll(header))
        .containsExactly(
            DigestChallenge.of("a, b", "n1", DigestAlgorithm.SHA_256, false),
            DigestChallenge.of("r2", "n2", DigestAlgorithm.MD5, true));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"",
        "Digest realm=\"r\", nonce=\"n\"",
        "Digest realm=\"r\", nonce=\"n\", qop=auth, algorithm=SHA-256-sess",
        "Digest realm=\"r\", nonce=\"n\", qop=auth, algorithm=MD5-sess",
        "Digest realm=\"r\", nonce=\"n\", qop=auth, algorithm=SHA-512-256",
        "Digest realm=\"r\", qop=auth",
        "Digest nonce=\"n\", qop=auth",
        "Digest nonce=\"\", realm=\"r\", qop=auth",
        "Digest abcdef==",
        "Basic realm=\"r\"",
      })
  void challenges_that_cannot_be_answered_are_skipped(String header) {
    assertThat(DigestChallenge.parseAll(header)).isEmpty();
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Digest realm=\"r\", realm=\"s\", nonce=\"n\", qop=auth | duplicate parameter: realm",
        "Digest realm=\"r, nonce=\"n\" | malformed challenge header",
        "Digest realm=\"r\" nonce=\"n\" | malformed challenge header",
        "Digest realm=\"r\", nonce= | malformed challenge header",
        "=Digest | malformed challenge header",
        "Digest realm=\"\u0000\" | malformed challenge header",
      })
  void broken_syntax_is_refused_with_exact_messages(String header, String message) {
    assertThatThrownBy(() -> DigestChallenge.parseAll(header))
        .isInstanceOf(DigestFormatException.class)
        .hasMessage(message);
  }

  @Test
  void value_over_4_kib_is_refused() {
    String header = "Digest realm=\"r\", nonce=\"n\", qop=auth, x=\"" + "a".repeat(4100) + "\"";

    assertThatThrownBy(() -> DigestChallenge.parseAll(header))
        .isInstanceOf(DigestFormatException.class)
        .hasMessage("challenge header too long");
  }

  @Test
  void to_header_value_renders_the_documented_form() {
    DigestChallenge c =
        new DigestChallenge(
            "doorpair", "abc", Optional.of("op\"q"), DigestAlgorithm.SHA_256, "auth", true);

    assertThat(c.toHeaderValue())
        .isEqualTo(
            "Digest realm=\"doorpair\", qop=\"auth\", algorithm=SHA-256, nonce=\"abc\","
                + " opaque=\"op\\\"q\", stale=true");
    assertThat(DigestChallenge.of("doorpair", "abc", DigestAlgorithm.MD5, false).toHeaderValue())
        .isEqualTo("Digest realm=\"doorpair\", qop=\"auth\", algorithm=MD5, nonce=\"abc\"");
  }

  @Test
  void rendering_then_parsing_gives_the_same_challenge() {
    DigestChallenge c =
        new DigestChallenge(
            "we\\ird \"realm\", x=y", "n", Optional.of(""), DigestAlgorithm.MD5, "auth", true);

    assertThat(DigestChallenge.parseAll(c.toHeaderValue())).containsExactly(c);
  }

  @Test
  void qop_other_than_auth_cannot_be_built() {
    assertThatThrownBy(
            () ->
                new DigestChallenge(
                    "r", "n", Optional.empty(), DigestAlgorithm.MD5, "auth-int", false))
        .isInstanceOf(DigestFormatException.class)
        .hasMessage("unsupported qop");
  }

  @ParameterizedTest
  @CsvSource({"md5, MD5", "MD5, MD5", "sha-256, SHA_256", "Sha-256, SHA_256"})
  void algorithm_tokens_are_case_insensitive(String token, DigestAlgorithm expected) {
    assertThat(DigestAlgorithm.fromToken(token)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"MD5-sess", "SHA-256-sess", "SHA-512-256", "SHA256", "''"})
  void other_algorithm_tokens_are_unsupported(String token) {
    assertThatThrownBy(() -> DigestAlgorithm.fromToken(token))
        .isInstanceOf(DigestFormatException.class)
        .hasMessage("unsupported algorithm");
  }
}
