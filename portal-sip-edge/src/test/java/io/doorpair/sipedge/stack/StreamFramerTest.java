package io.doorpair.sipedge.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.sipedge.stack.StreamFramer.FramingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamFramerTest {
  private static final int MAX = 4096;

  /** Records what the framer hands on, as text: "M:head|body", "PING", "PONG". */
  private static final class Recorder implements StreamFramer.Sink {
    final List<String> seen = new ArrayList<>();

    @Override
    public void message(byte[] head, byte[] body) {
      seen.add(
          "M:"
              + new String(head, StandardCharsets.UTF_8)
              + "|"
              + new String(body, StandardCharsets.UTF_8));
    }

    @Override
    public void ping() {
      seen.add("PING");
    }

    @Override
    public void pong() {
      seen.add("PONG");
    }
  }

  private final Recorder sink = new Recorder();
  private final StreamFramer framer = new StreamFramer(MAX, sink);

  private static String head(String contentLength) {
    return "OPTIONS sip:portal.test SIP/2.0\r\n"
        + "Call-ID: c1\r\n"
        + (contentLength == null ? "" : "Content-Length: " + contentLength + "\r\n")
        + "\r\n";
  }

  private void add(String text) throws IOException {
    framer.add(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void splits_pipelined_messages_with_bodies_read_at_once() throws IOException {
    String first = head("5");
    String second = head("0");
    add(first + "hello" + second);
    assertThat(sink.seen).containsExactly("M:" + first + "|hello", "M:" + second + "|");
    assertThat(framer.idle()).isTrue();
  }

  @Test
  void gives_the_same_messages_when_every_byte_arrives_alone() throws IOException {
    String text = "\r\n\r\n" + head("3") + "abc" + head(null) + "\r\n";
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      framer.add(new byte[] {b});
    }
    assertThat(sink.seen)
        .containsExactly(
            "PONG", "PING", "M:" + head("3") + "|abc", "M:" + head(null) + "|", "PONG");
  }

  @Test
  void keeps_an_unfinished_message_until_its_body_is_complete() throws IOException {
    add(head("10") + "01234");
    assertThat(sink.seen).isEmpty();
    assertThat(framer.idle()).isFalse();
    add("56789");
    assertThat(sink.seen).containsExactly("M:" + head("10") + "|0123456789");
    assertThat(framer.idle()).isTrue();
  }

  @Test
  void accepts_lf_line_ends_the_compact_form_and_space_before_the_colon() throws IOException {
    String lf = "MESSAGE sip:a@portal.test SIP/2.0\nCall-ID: c\nl : 2\n\n";
    add(lf + "hi");
    assertThat(sink.seen).containsExactly("M:" + lf + "|hi");
  }

  @Test
  void a_message_without_content_length_has_no_body() throws IOException {
    add(head(null) + head("0"));
    assertThat(sink.seen).containsExactly("M:" + head(null) + "|", "M:" + head("0") + "|");
  }

  @Test
  void answers_a_double_crlf_ping_and_notes_a_single_crlf_pong() throws IOException {
    add("\r\n\r\n");
    add("\r\n");
    assertThat(sink.seen).containsExactly("PONG", "PING", "PONG");
  }

  @Test
  void refuses_a_huge_content_length_before_its_body_arrives() {
    // the stack's own parser allocated this body at once: OutOfMemoryError on the selector thread
    assertThatThrownBy(() -> add(head("999999999")))
        .isInstanceOf(FramingException.class)
        .hasMessageContaining("over " + MAX);
    StreamFramer fresh = new StreamFramer(MAX, sink);
    assertThatThrownBy(() -> fresh.add(head("2000000000").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(FramingException.class);
    // a framer that refused its stream takes nothing more: the connection is being closed
    assertThatThrownBy(() -> add(head("0"))).isInstanceOf(FramingException.class);
    assertThat(sink.seen).isEmpty();
  }

  @Test
  void refuses_a_content_length_that_is_not_plain_digits() {
    for (String bad : new String[] {"-1", "1e3", "0x10", "", "12 34", "+5", "1234567890"}) {
      StreamFramer fresh = new StreamFramer(MAX, sink);
      assertThatThrownBy(() -> fresh.add(head(bad).getBytes(StandardCharsets.UTF_8)))
          .as("Content-Length: %s", bad)
          .isInstanceOf(FramingException.class);
    }
    assertThat(sink.seen).isEmpty();
  }

  @Test
  void refuses_two_content_lengths_that_disagree_in_any_form() {
    String twice = "OPTIONS sip:p SIP/2.0\r\nContent-Length: 0\r\nl: 5\r\n\r\nhello";
    assertThatThrownBy(() -> add(twice))
        .isInstanceOf(FramingException.class)
        .hasMessageContaining("two different Content-Length");
    assertThat(sink.seen).isEmpty();
  }

  @Test
  void two_equal_content_lengths_frame_the_message_and_leave_the_rest_to_the_parser()
      throws IOException {
    String twice = "OPTIONS sip:p SIP/2.0\r\nContent-Length: 2\r\nl: 2\r\n\r\nok";
    add(twice);
    assertThat(sink.seen).hasSize(1);
  }

  @Test
  void a_message_of_exactly_the_limit_passes_and_one_byte_more_is_refused() throws IOException {
    int bodyLength = MAX - head("0000").length();
    String exact = head(String.format("%04d", bodyLength)) + "x".repeat(bodyLength);
    assertThat(exact).hasSize(MAX);
    add(exact);
    assertThat(sink.seen).hasSize(1);
    String over = head(String.format("%04d", bodyLength + 1));
    assertThatThrownBy(() -> add(over)).isInstanceOf(FramingException.class);
  }

  @Test
  void refuses_a_head_that_never_ends_once_it_passes_the_limit() throws IOException {
    add("OPTIONS sip:p SIP/2.0\r\n");
    String line = "X-Pad: " + "a".repeat(100) + "\r\n";
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < MAX / line.length() + 2; i++) {
                add(line);
              }
            })
        .isInstanceOf(FramingException.class)
        .hasMessageContaining("over " + MAX);
    assertThat(sink.seen).isEmpty();
  }

  @Test
  void refuses_a_lone_cr_between_messages() {
    assertThatThrownBy(() -> add("\rOPTIONS")).isInstanceOf(FramingException.class);
  }

  @Test
  void many_messages_in_one_read_may_exceed_the_limit_together() throws IOException {
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      all.append(head("0"));
    }
    assertThat(all.length()).isGreaterThan(MAX);
    add(all.toString());
    assertThat(sink.seen).hasSize(100);
    assertThat(framer.idle()).isTrue();
  }

  @Test
  void refuses_a_cr_without_lf_in_a_head_where_the_parser_would_see_another_header() {
    // the stack's parser ends a line at a lone CR: "X-A: a\rContent-Length: 50" is two headers
    // to it and one to a scan for LF
    for (String hidden : new String[] {"Content-Length: 50", "l: 50", "From: <sip:victim@p>"}) {
      StreamFramer fresh = new StreamFramer(MAX, sink);
      String head = "OPTIONS sip:p SIP/2.0\r\nX-A: a\r" + hidden + "\r\nContent-Length: 0\r\n\r\n";
      assertThatThrownBy(() -> fresh.add(head.getBytes(StandardCharsets.UTF_8)))
          .as(hidden)
          .isInstanceOf(FramingException.class)
          .hasMessageContaining("CR without LF");
    }
    assertThat(sink.seen).isEmpty();
  }

  @Test
  void refuses_a_folded_content_length_and_keeps_other_folded_headers() throws IOException {
    // folded, the parser reads "Content-Length: 050" where a line scan reads 0
    assertThatThrownBy(() -> add("OPTIONS sip:p SIP/2.0\r\nContent-Length: 0\r\n\t50\r\n\r\n"))
        .isInstanceOf(FramingException.class)
        .hasMessageContaining("folded Content-Length");
    StreamFramer fresh = new StreamFramer(MAX, sink);
    String folded = "OPTIONS sip:p SIP/2.0\r\nSubject: a\r\n b\r\nContent-Length: 0\r\n\r\n";
    fresh.add(folded.getBytes(StandardCharsets.UTF_8));
    assertThat(sink.seen).containsExactly("M:" + folded + "|");
  }

  @Test
  void a_head_sent_a_byte_at_a_time_is_scanned_about_once() throws IOException {
    String head = "OPTIONS sip:p SIP/2.0\r\n" + "X-Pad: aaaaaaaaaa\r\n".repeat(200) + "\r\n";
    assertThat(head.length()).isLessThan(MAX);
    for (byte b : head.getBytes(StandardCharsets.UTF_8)) {
      framer.add(new byte[] {b});
    }
    assertThat(sink.seen).hasSize(1);
    assertThat(framer.scanned()).isLessThanOrEqualTo(2L * head.length());
  }

  @Test
  void answers_one_ping_per_read_however_many_it_holds() throws IOException {
    add("\r\n\r\n".repeat(50));
    assertThat(sink.seen.stream().filter("PING"::equals).count()).isEqualTo(1);
    add("\r\n\r\n");
    assertThat(sink.seen.stream().filter("PING"::equals).count()).isEqualTo(2);
  }
}
