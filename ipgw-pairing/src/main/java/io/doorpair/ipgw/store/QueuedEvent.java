package io.doorpair.ipgw.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An event waiting in the outbox.
 *
 * @param seq its place in the outbox (sending order)
 * @param id its id, unique for ever (the portal stores an id once)
 * @param kind {@code journal}, {@code topology}, {@code acl} or {@code accounts}
 * @param at when it happened
 * @param payload a compact JSON object
 */
public record QueuedEvent(long seq, String id, String kind, Instant at, String payload) {
  public QueuedEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(payload, "payload");
  }
}
