package io.doorpair.portal.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The body of {@code POST /api/gateway/events}.
 *
 * @param events 1-100 events, stored in this order
 */
public record EventBatch(@JsonProperty(value = "events", required = true) List<Event> events) {

  /**
   * One event as the gateway posts it.
   *
   * @param id the gateway's own id, 1-64 characters of {@code [A-Za-z0-9._:-]}
   * @param kind {@code journal}, {@code topology}, {@code acl} or {@code accounts}
   * @param at when it happened by the gateway's clock, RFC 3339
   * @param payload a JSON object of at most 4096 bytes
   */
  public record Event(
      @JsonProperty(value = "id", required = true) String id,
      @JsonProperty(value = "kind", required = true) String kind,
      @JsonProperty(value = "at", required = true) String at,
      @JsonProperty(value = "payload", required = true) JsonNode payload) {}
}
