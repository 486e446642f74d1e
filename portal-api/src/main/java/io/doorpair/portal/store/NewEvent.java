package io.doorpair.portal.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An event as a gateway posts it.
 *
 * @param eventId chosen by the gateway, 1-64 characters of {@code [A-Za-z0-9._:-]}; the portal
 *     stores an event id of a gateway once, however often it is posted
 * @param kind {@code journal}, {@code topology}, {@code acl} or {@code accounts}
 * @param occurredAt when it happened, by the gateway's clock
 * @param payloadJson a JSON object, at most 4096 bytes in UTF-8, stored as given (the store checks
 *     only its size, that it is not blank and that it holds no NUL; parsing it is the caller's job)
 */
public record NewEvent(String eventId, String kind, Instant occurredAt, String payloadJson) {
  public NewEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(payloadJson, "payloadJson");
  }
}
