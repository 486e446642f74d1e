package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of {@code POST /api/gateway/events}.
 *
 * @param events 1-100 events, stored in this order
 */
public record EventBatch(
    @JsonProperty(value = "events", required = true) List<PostedEvent> events) {
  public EventBatch {
    events = List.copyOf(events);
  }
}
