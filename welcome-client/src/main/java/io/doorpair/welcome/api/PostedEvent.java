package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.Objects;

/**
 * One event as a gateway posts it, in {@link EventBatch}.
 *
 * @param id the gateway's own event id, 1-64 characters of {@code [A-Za-z0-9._:-]}; the portal
 *     stores an id of a gateway once, however often it is posted
 * @param kind {@code journal}, {@code topology}, {@code acl} or {@code accounts}
 * @param at when it happened, by the gateway's clock (RFC 3339 on the wire; text that is not such a
 *     time is an {@code InvalidFormatException} at {@code at} when read)
 * @param payload the compact text of a JSON object, at most 4096 bytes in UTF-8; written raw (a
 *     value that is not an object, {@code null} included, is an {@code InvalidFormatException} at
 *     {@code payload} when read)
 * @throws IllegalArgumentException when {@code payload} is not one JSON object
 */
public record PostedEvent(
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
  public PostedEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
    JsonObjectText.requireObject(Objects.requireNonNull(payload, "payload"), "payload");
  }
}
