package io.doorpair.crypto.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DigestMathTest {

  private static final char[] RFC7616_PASSWORD = "Circle of Life".toCharArray();
  private static final String RFC7616_REALM = "http-auth@example.org";
  private static final String RFC7616_NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  private static final String RFC7616_CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

  @ParameterizedTest(name = "RFC 7616 §3.9.1 {0}")
  @CsvSource({
    "MD5,     8ca523f5e9506fed4657c9700eebdbec",
    "SHA_256, 753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
  })
  void rfc7616_example_gives_the_published_response(DigestAlgorithm algorithm, String expected) {
    Ha1 ha1 = Ha1.compute(algorithm, "Mufasa", RFC7616_REALM, RFC7616_PASSWORD);

    String response =
        DigestMath.response(
            ha1,
            algorithm,
            "GET",
            "/dir/index.html",
            RFC7616_NONCE,
            "00000001",
            RFC7616_CNONCE,
            "auth");

    assertThat(response).isEqualTo(expected);
  }

  @Test
  void rfc2617_example_gives_the_published_response() {
    Ha1 ha1 =
        Ha1.compute(
            DigestAlgorithm.MD5, "Mufasa", "testrealm@host.com", "Circle Of Life".toCharArray());

    String response =
        DigestMath.response(
            ha1,
            DigestAlgorithm.MD5,
            "GET",
            "/dir/index.html",
            "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            "00000001",
            "0a4f113b",
            "auth");

    assertThat(response).isEqualTo("6629fae49393a05397450978507c4ef1");
  }

  @Test
  void rfc7616_authorization_header_verifies_with_the_right_password_only() {
    DigestAuthorization authorization =
        DigestAuthorization.parse(
            "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\","
                + " algorithm=SHA-256, nonce=\""
                + RFC7616_NONCE
                + "\", nc=00000001, cnonce=\""
                + RFC7616_CNONCE
                + "\", qop=auth,"
                + " response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\","
                + " opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
    Ha1 right = Ha1.compute(DigestAlgorithm.SHA_256, "Mufasa", RFC7616_REALM, RFC7616_PASSWORD);
    Ha1 wrong =
        Ha1.compute(
            DigestAlgorithm.SHA_256, "Mufasa", RFC7616_REALM, "Circle of life".toCharArray());

    assertThat(DigestMath.verify(right, "GET", authorization)).isTrue();
    assertThat(DigestMath.verify(wrong, "GET", authorization)).isFalse();
    assertThat(DigestMath.verify(right, "POST", authorization)).isFalse();
  }

  @Test
  void uppercase_hex_response_verifies() {
    Ha1 ha1 = Ha1.compute(DigestAlgorithm.MD5, "mufasa", "doorpair", "pw".toCharArray());
    DigestAuthorization lower =
        DigestAuthorization.answer(
            DigestChallenge.of("doorpair", "n1", DigestAlgorithm.MD5, false),
            "mufasa",
            ha1,
            "POST",
            "/api/pair",
            "c1",
            1);
    DigestAuthorization upper =
        new DigestAuthorization(
            lower.username(),
            lower.realm(),
            lower.nonce(),
            lower.uri(),
            lower.response().toUpperCase(Locale.ROOT),
            lower.algorithm(),
            lower.cnonce(),
            lower.nc(),
            lower.qop(),
            lower.opaque());

    assertThat(DigestMath.verify(ha1, "POST", upper)).isTrue();
  }

  @Test
  void ha1_of_another_algorithm_is_refused() {
    Ha1 md5 = Ha1.compute(DigestAlgorithm.MD5, "u", "r", "p".toCharArray());

    assertThatThrownBy(
            () ->
                DigestMath.response(
                    md5, DigestAlgorithm.SHA_256, "GET", "/", "n", "00000001", "c", "auth"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("HA1 algorithm differs");
  }
}
