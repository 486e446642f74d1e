package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.Objects;

/**
 * One event as the portal serves it to an app, in {@link EventPage}.
 *
 * @param domain the gateway that posted it
 * @param seq its position in that gateway's journal, positive
 * @param id the gateway's own event id
 * @param kind {@code journal}, {@code topology}, {@code acl} or {@code accounts}; kept as text, so
 *     that a kind added later reaches the app
 * @param at when it happened, by the gateway's clock
 * @param payload the compact text of the JSON object the gateway posted; written raw
 * @throws IllegalArgumentException when {@code payload} is not one JSON object
 */
public record DeliveredEvent(
    @JsonProperty(value = "domain", required = true) String domain,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "id", required = true) String id,
    @JsonProperty(value = "kind", required = true) String kind,
    @JsonProperty(value = "at", required = true)
        @JsonSerialize(using = InstantText.Writer.class)
        @JsonDeserialize(using = InstantText.Reader.class)
        Instant at,
    @JsonProperty(value = "payload", required = true)
        @JsonRawValue
        @JsonDeserialize(using = JsonObjectText.Reader.class)
        String payload) {
  public DeliveredEvent {
    Objects.requireNonNull(domain, "domain");
    if (seq <= 0) {
      throw new IllegalArgumentException("seq must be positive");
    }
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
    JsonObjectText.requireObject(Objects.requireNonNull(payload, "payload"), "payload");
  }
}
