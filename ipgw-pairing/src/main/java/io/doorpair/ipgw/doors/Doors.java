package io.doorpair.ipgw.doors;

import io.doorpair.ipgw.outbox.Outbox;
import io.doorpair.ipgw.store.DoorTable;
import io.doorpair.ipgw.store.GatewayStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The owner's view of the door stations: the list, and renaming one. A door's SIP username is what
 * the door station is configured with, so it never changes; "renaming" sets its display name (e.g.
 * {@code Front door}), which the portal learns as a topology event {@code {"type": "door_renamed",
 * "door": NAME, "name": DISPLAY}} queued in the same transaction.
 */
public final class Doors {
  /** The outbox kind of door events. */
  public static final String TOPOLOGY = "topology";

  private final GatewayStore store;
  private final Outbox outbox;
  private final Clock clock;

  /**
   * The doors of a store.
   *
   * @param store the gateway store
   * @param outbox where the events go
   * @param clock the events' time
   */
  public Doors(GatewayStore store, Outbox outbox, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Every door, by name.
   *
   * @return the doors
   */
  public List<DoorTable.Listed> all() {
    return store.transaction(DoorTable::list);
  }

  /**
   * Sets a door's display name and queues {@code door_renamed}; nothing when the name is the same.
   *
   * @param name the door's SIP username
   * @param displayName its new display name
   * @return the door after the change
   * @throws IllegalArgumentException when the display name is not 1-64 printable characters
   * @throws java.util.NoSuchElementException when there is no such door
   */
  public DoorTable.Listed rename(String name, String displayName) {
    String checked = DoorTable.checkDisplayName(displayName);
    return store.transaction(
        c -> {
          DoorTable.Listed door =
              DoorTable.find(c, name)
                  .orElseThrow(() -> new java.util.NoSuchElementException("no door " + name));
          if (door.displayName().equals(Optional.of(checked))) {
            return door;
          }
          DoorTable.rename(c, door.name(), checked);
          queue(c, "door_renamed", door.name(), Optional.of(checked), clock.instant());
          return DoorTable.find(c, name).orElseThrow();
        });
  }

  /**
   * Queues a topology event in the caller's transaction: {@code {"type": TYPE, "door": NAME}} with
   * {@code "name": DISPLAY} when the door has a display name.
   *
   * @param c the transaction's connection
   * @param type {@code door_added}, {@code door_removed}, {@code door_renamed}, {@code
   *     door_registered} or {@code door_unregistered}
   * @param door the door's SIP username
   * @param displayName its display name, if any
   * @param at when it happened
   * @throws SQLException on database failure
   */
  public void queue(
      Connection c, String type, String door, Optional<String> displayName, Instant at)
      throws SQLException {
    outbox.queue(c, TOPOLOGY, at, payload(type, door, displayName));
  }

  /**
   * The payload of a topology event.
   *
   * @param type the event's type
   * @param door the door's SIP username
   * @param displayName its display name, if any
   * @return the payload
   */
  public static Map<String, Object> payload(
      String type, String door, Optional<String> displayName) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", type);
    p.put("door", door);
    displayName.ifPresent(n -> p.put("name", n));
    return p;
  }
}
