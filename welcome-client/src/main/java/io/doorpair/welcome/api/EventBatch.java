package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.List;

/**
 * Body of {@code POST /api/gateway/events}.
 *
 * @param events 1-100 events, stored in this order; a {@code null} element is refused when read (an
 *     {@code InvalidNullException} at {@code events[i]})
 */
public record EventBatch(
    @JsonProperty(value = "events", required = true) @JsonSetter(contentNulls = Nulls.FAIL)
        List<PostedEvent> events) {
  public EventBatch {
    events = List.copyOf(events);
  }
}
