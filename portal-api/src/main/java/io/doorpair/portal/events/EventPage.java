package io.doorpair.portal.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An answer of {@code GET /api/events}.
 *
 * @param events the events after the cursor, in the order the portal received them (in seq order
 *     per gateway)
 * @param cursor the opaque cursor to pass next time
 */
public record EventPage(
    @JsonProperty("events") List<EventView> events, @JsonProperty("cursor") String cursor) {
  public EventPage {
    events = List.copyOf(events);
  }
}
