package io.doorpair.portal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.portal.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class EventCursorsTest {
  @Provide
  Arbitrary<String> domains() {
    return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofLength(12);
  }

  @Property
  void every_encoded_cursor_decodes_to_its_positions(
      @ForAll @Size(max = 128) Map<@From("domains") String, @LongRange(min = 0) Long> positions) {
    String cursor = EventCursors.encode(positions);
    assertThat(cursor).matches("[A-Za-z0-9_-]*").hasSizeLessThanOrEqualTo(EventCursors.MAX_CHARS);
    if (!positions.isEmpty()) {
      assertThat(EventCursors.decode(cursor)).isEqualTo(new TreeMap<>(positions));
    }
  }

  @Property(tries = 2000)
  void any_text_decodes_or_is_400_bad_cursor(@ForAll String text) {
    try {
      EventCursors.decode(text);
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.code()).isEqualTo("bad_cursor");
    }
  }

  @Property(tries = 2000)
  void any_json_text_in_base64url_decodes_or_is_400_bad_cursor(@ForAll String json) {
    String cursor =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    try {
      EventCursors.decode(cursor);
    } catch (ApiException e) {
      assertThat(e.code()).isEqualTo("bad_cursor");
    }
  }

  @Property
  void the_empty_object_is_a_cursor_of_nothing() {
    assertThat(EventCursors.decode(EventCursors.encode(Map.of()))).isEmpty();
    assertThat(EventCursors.encode(Map.of())).isEqualTo("e30");
  }

  @Property
  void the_documented_example_round_trips() {
    String cursor = EventCursors.encode(Map.of("k3x9abcd1234", 17L));
    assertThat(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8))
        .isEqualTo("{\"k3x9abcd1234\":17}");
  }

  @Property(tries = 1)
  void too_many_gateways_are_refused() {
    Map<String, Long> many = new TreeMap<>();
    for (int i = 0; i <= EventCursors.MAX_DOMAINS; i++) {
      many.put(String.format("%012d", i), 1L);
    }
    assertThatThrownBy(() -> EventCursors.decode(EventCursors.encode(many)))
        .isInstanceOf(ApiException.class);
  }
}
