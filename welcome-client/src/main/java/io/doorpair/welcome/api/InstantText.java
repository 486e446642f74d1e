package io.doorpair.welcome.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Instants on the wire: RFC 3339 text. Written in UTC ({@code 2026-12-04T10:00:00Z}); read only in
 * the form the portal accepts and writes: a four-digit year, upper-case {@code T}, seconds, an
 * optional fraction of 1-9 digits, and {@code Z} or a numeric offset ({@code +01:00}). Declared on
 * the record components, so that any {@code ObjectMapper} reads and writes them without the JSR-310
 * module.
 */
final class InstantText {
  private static final Pattern RFC3339 =
      Pattern.compile(
          "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?"
              + "(Z|[+-][0-9]{2}:[0-9]{2})");

  private InstantText() {}

  /** Writes {@link Instant#toString()}. */
  static final class Writer extends StdScalarSerializer<Instant> {
    private static final long serialVersionUID = 1L;

    Writer() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(value.toString());
    }
  }

  /**
   * Reads an RFC 3339 date-time string. A token that is not a string is a {@code
   * MismatchedInputException}; a string that is not such a time is an {@code
   * InvalidFormatException} (so that a reader can tell the two apart).
   */
  static final class Reader extends StdScalarDeserializer<Instant> {
    private static final long serialVersionUID = 1L;

    Reader() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
      }
      String text = p.getText();
      if (!RFC3339.matcher(text).matches()) {
        return (Instant)
            ctxt.handleWeirdStringValue(Instant.class, text, "not an RFC 3339 date-time");
      }
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        return (Instant)
            ctxt.handleWeirdStringValue(Instant.class, text, "not an RFC 3339 date-time");
      }
    }
  }
}
