package io.doorpair.welcome.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.RequestBody;

/**
 * The client's JSON: strict about what it needs, tolerant of what a newer portal adds.
 *
 * <ul>
 *   <li>required fields (marked in the wire records) must be present, not {@code null}, and of
 *       their JSON type (no string-to-number coercion, no number read as an enum); the records'
 *       constructors check the rest;
 *   <li>unknown fields are ignored, and an enum value this client does not know reads as the enum's
 *       {@code UNKNOWN}, so that a portal may add to its answers without breaking older apps and
 *       gateways;
 *   <li>duplicate keys and trailing tokens are refused.
 * </ul>
 */
final class WireJson {
  static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .build();

  private WireJson() {}

  static <T> T read(int status, byte[] body, Class<T> type) {
    try {
      return nonNull(status, MAPPER.readValue(body, type));
    } catch (IOException | RuntimeException e) {
      throw malformed(status, e);
    }
  }

  static <T> T read(int status, byte[] body, TypeReference<T> type) {
    try {
      return nonNull(status, MAPPER.readValue(body, type));
    } catch (IOException | RuntimeException e) {
      throw malformed(status, e);
    }
  }

  static RequestBody body(Object value) {
    try {
      return RequestBody.create(MAPPER.writeValueAsBytes(value), JSON);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a wire record did not serialize", e);
    }
  }

  private static <T> T nonNull(int status, T value) {
    if (value == null) {
      throw new PortalException(status, PortalException.BAD_RESPONSE, "malformed JSON: null");
    }
    return value;
  }

  private static PortalException malformed(int status, Exception e) {
    if (e instanceof PortalException) {
      return (PortalException) e;
    }
    String detail =
        e instanceof JsonProcessingException
            ? ((JsonProcessingException) e).getOriginalMessage()
            : e.getMessage();
    return new PortalException(
        status,
        PortalException.BAD_RESPONSE,
        "malformed JSON" + (detail == null ? "" : ": " + Transport.printable(detail)),
        e);
  }
}
