package io.doorpair.portal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document and the wire records of {@code io.doorpair.welcome.api} describe the same
 * JSON: every component schema has exactly the properties of its record, the record's required
 * properties are required in the schema (all of them, and only them, for a request body), and an
 * enum lists the record's values (without the clients' placeholder for unknown ones).
 */
class OpenApiRecordsTest {
  /** Schemas whose record is named otherwise; every other schema names its record. */
  private static final Map<String, String> RECORD_OF =
      Map.of(
          "RequestStatus", "AccessStatus",
          "EventView", "DeliveredEvent",
          "GuestView", "GuestInfo",
          "ChannelItem", "ChannelEntry",
          "ApprovalBody", "ApproveRequest",
          "DenialBody", "DenyRequest",
          "NewEvent", "PostedEvent",
          "BatchResult", "EventBatchResult");

  @Test
  void every_schema_is_the_shape_of_its_wire_record() throws Exception {
    JsonNode schemas = Json.MAPPER.readTree(OpenApi.document()).get("components").get("schemas");
    List<String> checked = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = schemas.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> schema = it.next();
      String name = schema.getKey();
      Class<?> record =
          Class.forName("io.doorpair.welcome.api." + RECORD_OF.getOrDefault(name, name));
      assertThat(record.isRecord()).as(name).isTrue();
      assertSameShape(name, schema.getValue(), record);
      checked.add(name);
    }
    assertThat(checked).containsAll(RECORD_OF.keySet());
  }

  private static void assertSameShape(String name, JsonNode schema, Class<?> record) {
    JavaType type = Json.MAPPER.constructType(record);
    List<BeanPropertyDefinition> properties =
        Json.MAPPER.getSerializationConfig().introspect(type).findProperties();
    List<String> names = properties.stream().map(BeanPropertyDefinition::getName).toList();
    List<String> documented = new ArrayList<>();
    schema.path("properties").fieldNames().forEachRemaining(documented::add);
    assertThat(names).as(name + " properties").containsExactlyElementsOf(documented);

    Set<String> required = new TreeSet<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    Set<String> recordRequired = new TreeSet<>();
    properties.stream()
        .filter(BeanPropertyDefinition::isRequired)
        .forEach(p -> recordRequired.add(p.getName()));
    if (schema.path("additionalProperties").isBoolean()
        && !schema.get("additionalProperties").asBoolean()) {
      assertThat(recordRequired).as(name + " required (request body)").isEqualTo(required);
    } else {
      assertThat(required).as(name + " required").containsAll(recordRequired);
    }

    for (BeanPropertyDefinition property : properties) {
      Class<?> raw = property.getPrimaryType().getRawClass();
      if (raw.isEnum()) {
        List<String> values = new ArrayList<>();
        schema
            .get("properties")
            .get(property.getName())
            .path("enum")
            .forEach(v -> values.add(v.asText()));
        assertThat(wireValues(raw))
            .as(name + "." + property.getName() + " values")
            .containsExactlyElementsOf(values);
      }
    }
  }

  private static List<String> wireValues(Class<?> enumType) {
    List<String> values = new ArrayList<>();
    for (Object constant : enumType.getEnumConstants()) {
      try {
        if (enumType
            .getField(((Enum<?>) constant).name())
            .isAnnotationPresent(JsonEnumDefaultValue.class)) {
          continue;
        }
        values.add(Json.MAPPER.convertValue(constant, String.class));
      } catch (NoSuchFieldException e) {
        throw new AssertionError(e);
      }
    }
    return values;
  }
}
