package io.doorpair.portal.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * Refuses, in what the server reads, the placeholder constant of a wire enum (the one marked
 * {@code @JsonEnumDefaultValue}, e.g. {@code UNKNOWN}): clients read a value they do not know as
 * that constant, but it is no value of the API, so its name in a request body is an invalid value
 * ({@code 400 bad_json}) like any other unknown one.
 */
final class PlaceholderEnums {
  private PlaceholderEnums() {}

  /** The module that installs the check on every enum the mapper reads. */
  static SimpleModule module() {
    SimpleModule module = new SimpleModule("placeholder-enums");
    module.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public JsonDeserializer<?> modifyEnumDeserializer(
              DeserializationConfig config,
              JavaType type,
              BeanDescription description,
              JsonDeserializer<?> deserializer) {
            Enum<?>[] constants = (Enum<?>[]) type.getRawClass().getEnumConstants();
            Enum<?> placeholder =
                config
                    .getAnnotationIntrospector()
                    .findDefaultEnumValue(description.getClassInfo(), constants);
            return placeholder == null ? deserializer : new Refusing(deserializer, placeholder);
          }
        });
    return module;
  }

  /** Reads as the wrapped deserializer does, and refuses the placeholder. */
  private static final class Refusing extends DelegatingDeserializer {
    private static final long serialVersionUID = 1L;

    private final transient Enum<?> placeholder;

    Refusing(JsonDeserializer<?> delegate, Enum<?> placeholder) {
      super(delegate);
      this.placeholder = placeholder;
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
      return new Refusing(delegate, placeholder);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      Object value = super.deserialize(p, ctxt);
      if (value == placeholder) {
        return ctxt.handleWeirdStringValue(
            placeholder.getDeclaringClass(), p.getText(), "not a value of this API");
      }
      return value;
    }
  }
}
