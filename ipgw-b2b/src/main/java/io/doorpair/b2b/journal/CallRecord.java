package io.doorpair.b2b.journal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One journal entry: what happened to a door call, or a door station's registration at the embedded
 * internal SIP server starting or ending ({@link Kind#DOOR_REGISTERED}, {@link
 * Kind#DOOR_UNREGISTERED}: user and device empty; {@code ipgw} makes these topology events).
 *
 * @param id unique for ever (a random UUID); the portal stores an id once
 * @param kind what happened
 * @param door the door station's account on the internal server (e.g. {@code door})
 * @param user the portal username who answered or opened, empty for a missed call
 * @param device the answering device's GRUU, empty when unknown or missed
 * @param at when it happened
 */
public record CallRecord(
    String id, Kind kind, String door, Optional<String> user, Optional<String> device, Instant at) {

  /** What happened. The lowercase name is the event's {@code type} in the outbox payload. */
  public enum Kind {
    /** A phone answered the door call. */
    ANSWERED,
    /** Nobody answered (the door gave up, or every phone refused). */
    MISSED,
    /** A phone with the open-door right sent the door-open command. */
    DOOR_OPENED,
    /** A door station registered at the embedded internal SIP server (not a refresh). */
    DOOR_REGISTERED,
    /** A door station's registration ended (expired, removed, or the b2b stopped). */
    DOOR_UNREGISTERED
  }

  /** Checks that no field is null. */
  public CallRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(door, "door");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(at, "at");
  }
}
