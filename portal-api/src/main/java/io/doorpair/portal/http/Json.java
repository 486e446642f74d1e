package io.doorpair.portal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The API's strict JSON: unknown fields, missing or null required fields, duplicate keys, trailing
 * tokens, a {@code null} body and numbers or booleans where text or an enum is expected are all
 * refused with {@code 400 bad_json} and a message naming the problem.
 *
 * <p>Bodies are the wire records of {@code io.doorpair.welcome.api}, which the clients use too.
 * This mapper reads them strictly where the clients' reads are forward-compatible: it does not
 * enable {@code READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE} and refuses the placeholder constant
 * by name ({@link PlaceholderEnums}), so an enum value it does not know is {@code bad_json}, never
 * {@code UNKNOWN}; and a record whose own checks refuse a body is {@code bad_json} (Jackson wraps
 * the record's exception), never a 500.
 */
public final class Json {
  /** The mapper for requests and responses. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // An enum is its text: a number (an ordinal) is an error.
          .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          // A number or a boolean where text is expected is an error, not text.
          .withCoercionConfig(
              LogicalType.Textual,
              config ->
                  config
                      .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .addModule(PlaceholderEnums.module())
          .build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(65_536).build());
  }

  private Json() {}

  /** Reads a request body (never {@code null}), or throws {@code 400 bad_json}. */
  public static <T> T read(byte[] body, Class<T> type) {
    return read(body, type, e -> Optional.empty());
  }

  /**
   * Reads a request body (never {@code null}); a mapping problem to which {@code codes} gives an
   * exception of its own throws that one, any other problem {@code 400 bad_json}.
   */
  public static <T> T read(
      byte[] body, Class<T> type, Function<JsonMappingException, Optional<ApiException>> codes) {
    if (body.length == 0) {
      throw ApiException.badRequest("bad_json", "the request body is empty; JSON was expected");
    }
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw ApiException.badRequest("bad_json", "the body is null; a JSON object was expected");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw ApiException.badRequest("bad_json", "unknown field '" + e.getPropertyName() + "'");
    } catch (JsonMappingException e) {
      throw codes.apply(e).orElseGet(() -> malformed(e));
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw ApiException.badRequest("bad_json", "unreadable JSON body");
    }
  }

  private static ApiException malformed(JsonProcessingException e) {
    return ApiException.badRequest("bad_json", "malformed JSON: " + e.getOriginalMessage());
  }
}
