package io.doorpair.portal.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An event as the portal keeps it.
 *
 * @param domain the gateway that posted it
 * @param seq position in that gateway's event journal: 1, 2, 3... with no gaps, in posting order
 * @param event what the gateway posted (the first time)
 * @param receivedAt when the portal stored it
 */
public record StoredEvent(String domain, long seq, NewEvent event, Instant receivedAt) {
  public StoredEvent {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(receivedAt, "receivedAt");
    if (seq <= 0) {
      throw new IllegalArgumentException("seq must be positive");
    }
  }
}
