package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * Answer of {@code GET /api/events}.
 *
 * @param events the events after the cursor, in order per gateway
 * @param cursor opaque; pass it with the next call
 */
public record EventPage(
    @JsonProperty(value = "events", required = true) List<DeliveredEvent> events,
    @JsonProperty(value = "cursor", required = true) String cursor) {
  public EventPage {
    events = List.copyOf(events);
    Objects.requireNonNull(cursor, "cursor");
  }
}
