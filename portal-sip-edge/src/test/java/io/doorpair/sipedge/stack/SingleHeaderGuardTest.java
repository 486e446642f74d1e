package io.doorpair.sipedge.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SingleHeaderGuardTest {
  private static final String HEAD =
      "OPTIONS sip:portal.test SIP/2.0\r\n"
          + "Via: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bK1\r\n"
          + "Via: SIP/2.0/TLS 127.0.0.1:5998;branch=z9hG4bK2\r\n"
          + "From: <sip:alice@portal.test>;tag=1\r\n"
          + "To: <sip:portal.test>\r\n"
          + "Call-ID: abc\r\n"
          + "CSeq: 1 OPTIONS\r\n";

  private static boolean repeats(String extra) {
    String message = HEAD + extra + "Content-Length: 0\r\n\r\n";
    return SingleHeaderGuard.repeatsSingleHeader(message.getBytes(StandardCharsets.ISO_8859_1));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "From: <sip:bob@portal.test>;tag=2\r\n",
        "f: <sip:bob@portal.test>;tag=2\r\n",
        "FROM : <sip:bob@portal.test>\r\n",
        "t: <sip:bob@portal.test>\r\n",
        "Call-ID: other\r\n",
        "i: other\r\n",
        "CSeq: 2 OPTIONS\r\n",
        "l: 0\r\n",
      })
  void a_repeated_single_header_is_marked(String extra) {
    assertThat(repeats(extra)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Supported: gruu\r\nSupported: outbound\r\n",
        "Subject: From: <sip:bob@portal.test>\r\n",
        " From: folded continuation\r\n",
      })
  void lists_and_lookalikes_are_not(String extra) {
    assertThat(repeats(extra)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"From: <sip:bob@portal.test>\r\n"})
  void the_body_is_not_read(String body) {
    String message = HEAD + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    assertThat(SingleHeaderGuard.repeatsSingleHeader(message.getBytes(StandardCharsets.ISO_8859_1)))
        .isFalse();
  }
}
