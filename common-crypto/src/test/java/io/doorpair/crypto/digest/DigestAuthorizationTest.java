package io.doorpair.crypto.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DigestAuthorizationTest {

  private static final String MD5_RESPONSE = "8ca523f5e9506fed4657c9700eebdbec";

  /** RFC 7616 §3.9.1, unfolded. */
  private static final String RFC7616_MD5 =
      "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\","
          + " algorithm=MD5, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001,"
          + " cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth,"
          + " response=\"8ca523f5e9506fed4657c9700eebdbec\","
          + " opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";

  @Test
  void rfc7616_example_header_parses() {
    DigestAuthorization a = DigestAuthorization.parse(RFC7616_MD5);

    assertThat(a)
        .isEqualTo(
            new DigestAuthorization(
                "Mufasa",
                "http-auth@example.org",
                "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                "/dir/index.html",
                MD5_RESPONSE,
                DigestAlgorithm.MD5,
                "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
                "00000001",
                "auth",
                Optional.of("FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS")));
    assertThat(a.ncValue()).isEqualTo(1);
  }

  @Test
  void rendering_then_parsing_gives_the_same_credentials() {
    DigestAuthorization a = DigestAuthorization.parse(RFC7616_MD5);

    assertThat(DigestAuthorization.parse(a.toHeaderValue())).isEqualTo(a);
    assertThat(a.toHeaderValue()).isEqualTo(RFC7616_MD5);
  }

  @Test
  void lenient_forms_parse_scheme_case_quoted_tokens_spaces_empty_elements_unknown_params() {
    DigestAuthorization a =
        DigestAuthorization.parse(
            "  digest username = \"u\" ,, realm=\"\", uri=\"/a?b=c\", algorithm=\"sha-256\","
                + " nonce=n0, nc=\"0000000A\", cnonce=\"c\", qop=\"auth\", charset=UTF-8,"
                + " userhash=false, response=\""
                + "a".repeat(64)
                + "\"  ");

    assertThat(a.algorithm()).isEqualTo(DigestAlgorithm.SHA_256);
    assertThat(a.realm()).isEmpty();
    assertThat(a.nonce()).isEqualTo("n0");
    assertThat(a.ncValue()).isEqualTo(10);
    assertThat(a.opaque()).isEmpty();
  }

  @Test
  void missing_algorithm_means_md5() {
    String header = RFC7616_MD5.replace(" algorithm=MD5,", "");

    assertThat(DigestAuthorization.parse(header).algorithm()).isEqualTo(DigestAlgorithm.MD5);
  }

  @Test
  void quoted_string_escapes_are_read_and_written() {
    DigestAuthorization a =
        DigestAuthorization.parse(RFC7616_MD5.replace("\"Mufasa\"", "\"Mu\\\"fa\\\\sa\\x\""));

    assertThat(a.username()).isEqualTo("Mu\"fa\\sax");
    assertThat(a.toHeaderValue()).startsWith("Digest username=\"Mu\\\"fa\\\\sax\", ");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "Basic dXNlcjpwYXNz | not a Digest authorization",
        "Digest | missing parameter: username",
        "Digest abc== | malformed authorization header",
        "Digest, username=\"u\" | malformed authorization header",
        "Digest username=\"u | malformed authorization header",
        "Digest username=\"u\" realm=\"r\" | malformed authorization header",
        "Digest username= | malformed authorization header",
        "Digest =\"u\" | malformed authorization header",
        "Digest username=\"a\u0001\" | malformed authorization header",
        "Digest username=\"u\", username=\"v\" | duplicate parameter: username",
        "Digest foo=1, FOO=2 | duplicate parameter",
        "Digest username*=UTF-8''J%C3%A4s | unsupported parameter: username*",
        "Digest userhash=true | unsupported userhash",
        "Digest algorithm=SHA-256-sess | unsupported algorithm",
        "Digest algorithm=SHA-512-256 | unsupported algorithm",
        "Digest algorithm=MD5 | missing parameter: username",
      })
  void malformed_headers_are_refused_with_exact_messages(String header, String message) {
    assertThatThrownBy(() -> DigestAuthorization.parse(header))
        .isInstanceOf(DigestFormatException.class)
        .hasMessage(message);
  }

  @ParameterizedTest(name = "{0} → {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "nc=00000001 | nc=0000001 | invalid nc",
        "nc=00000001 | nc=000000001 | invalid nc",
        "nc=00000001 | nc=0000000g | invalid nc",
        "nc=00000001 | nc=00000000 | invalid nc",
        "qop=auth | qop=auth-int | unsupported qop",
        "response=\"8ca523f5e9506fed4657c9700eebdbec\" | response=\"8ca523\" | invalid response",
        "algorithm=MD5 | algorithm=SHA-256 | invalid response",
        "uri=\"/dir/index.html\" | uri=\"\" | empty parameter: uri",
        "cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\" | xnonce=1 | missing parameter: cnonce",
        "username=\"Mufasa\" | username=\"Mu\tfasa\" | invalid character in parameter: username",
      })
  void bad_values_are_refused_with_exact_messages(String from, String to, String message) {
    String header = RFC7616_MD5.replace(from, to);

    assertThat(header).isNotEqualTo(RFC7616_MD5);
    assertThatThrownBy(() -> DigestAuthorization.parse(header))
        .isInstanceOf(DigestFormatException.class)
        .hasMessage(message);
  }

  @Test
  void header_over_4_kib_is_refused() {
    String header = RFC7616_MD5 + ", x=\"" + "a".repeat(4096 - RFC7616_MD5.length()) + "\"";

    assertThat(header.length()).isGreaterThan(4096);
    assertThatThrownBy(() -> DigestAuthorization.parse(header))
        .isInstanceOf(DigestFormatException.class)
        .hasMessage("authorization header too long");
  }

  @Test
  void header_of_exactly_4_kib_is_read() {
    StringBuilder header = new StringBuilder(RFC7616_MD5);
    for (int i = 0; header.length() < 4096 - 1030; i++) {
      header.append(", x").append(i).append("=\"").append("a".repeat(1000)).append('"');
    }
    header.append(", y=\"");
    header.append("a".repeat(4096 - header.length() - 1)).append('"');

    assertThat(header).hasSize(4096);
    assertThat(DigestAuthorization.parse(header.toString()).username()).isEqualTo("Mufasa");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"username", "x"})
  void value_over_1_kib_is_refused(String name) {
    String header =
        RFC7616_MD5.replace("username=\"Mufasa\"", name + "=\"" + "a".repeat(1025) + "\"");

    assertThatThrownBy(() -> DigestAuthorization.parse(header))
        .isInstanceOf(DigestFormatException.class)
        .hasMessage(name.equals("x") ? "parameter too long" : "parameter too long: username");
  }

  @Test
  void more_than_32_parameters_are_refused() {
    StringBuilder header = new StringBuilder(RFC7616_MD5);
    for (int i = 0; i < 23; i++) {
      header.append(", p").append(i).append("=1");
    }

    assertThatThrownBy(() -> DigestAuthorization.parse(header.toString()))
        .isInstanceOf(DigestFormatException.class)
        .hasMessage("too many parameters");
  }

  @Test
  void answer_gives_credentials_that_verify() {
    DigestChallenge challenge =
        new DigestChallenge(
            "doorpair", "nonce-1", Optional.of("op"), DigestAlgorithm.SHA_256, "auth", false);
    Ha1 ha1 = Ha1.compute(DigestAlgorithm.SHA_256, "alice", "doorpair", "pw".toCharArray());

    DigestAuthorization a =
        DigestAuthorization.answer(challenge, "alice", ha1, "POST", "/api/pair", "cn", 0x1f);

    assertThat(a.nc()).isEqualTo("0000001f");
    assertThat(a.opaque()).contains("op");
    assertThat(DigestMath.verify(ha1, "POST", a)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"0", "4294967296", "-1"})
  void nc_out_of_range_cannot_be_formatted(long nc) {
    assertThatThrownBy(() -> DigestAuthorization.formatNc(nc))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nc out of range");
  }

  @Test
  void to_string_leaves_out_nonces_and_response() {
    DigestAuthorization a = DigestAuthorization.parse(RFC7616_MD5);

    assertThat(a.toString())
        .contains("Mufasa")
        .doesNotContain(MD5_RESPONSE)
        .doesNotContain(a.nonce())
        .doesNotContain(a.cnonce());
  }
}
