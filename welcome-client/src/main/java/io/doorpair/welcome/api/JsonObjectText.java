package io.doorpair.welcome.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;
import java.io.StringWriter;

/**
 * A JSON object carried as its compact text (an event's {@code payload}): read from a JSON object
 * of the message and written back raw, so that records stay immutable and no mutable tree leaks
 * out. Duplicate keys are refused.
 */
final class JsonObjectText {
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private JsonObjectText() {}

  /**
   * Checks that {@code text} is exactly one JSON object.
   *
   * @param text the JSON text
   * @param what the field name, for the message
   * @return {@code text}
   * @throws IllegalArgumentException {@code <what> must be one JSON object}
   */
  static String requireObject(String text, String what) {
    try (JsonParser p = FACTORY.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException(what + " must be one JSON object");
      }
      p.skipChildren();
      if (p.nextToken() != null) {
        throw new IllegalArgumentException(what + " must be one JSON object");
      }
      return text;
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " must be one JSON object", e);
    }
  }

  /**
   * Reads a JSON object of the message into its compact text. Any other value, {@code null}
   * included, is an {@link InvalidFormatException} (a wrong value where an object belongs), so that
   * a reader can tell it from a missing field or broken JSON.
   */
  static final class Reader extends StdDeserializer<String> {
    private static final long serialVersionUID = 1L;

    Reader() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken token = p.currentToken();
      if (token != JsonToken.START_OBJECT) {
        throw notAnObject(p, String.valueOf(token));
      }
      StringWriter out = new StringWriter();
      try (JsonGenerator g = FACTORY.createGenerator(out)) {
        g.copyCurrentStructure(p);
      }
      return out.toString();
    }

    @Override
    public String getNullValue(DeserializationContext ctxt) throws InvalidFormatException {
      throw notAnObject(ctxt.getParser(), "null");
    }

    private static InvalidFormatException notAnObject(JsonParser p, String found) {
      return InvalidFormatException.from(
          p, "a JSON object was expected, not " + found, found, String.class);
    }
  }
}
