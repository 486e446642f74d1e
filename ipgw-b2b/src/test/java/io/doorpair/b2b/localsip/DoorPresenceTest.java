package io.doorpair.b2b.localsip;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.journal.CallRecord;
import io.doorpair.b2b.journal.CallRecord.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Door stations' registrations become journal records on a change of state only. */
class DoorPresenceTest {
  private final MovingClock clock = new MovingClock(Instant.parse("2026-12-04T19:00:00Z"));
  private final Registrations registrations = new Registrations(clock);
  private final List<CallRecord> records = new ArrayList<>();
  private final DoorPresence presence =
      new DoorPresence(
          registrations, records::add, u -> !u.equals("ipgw"), clock, DoorPresence.MIN_GAP);

  private void register(String user, long seconds) {
    registrations.put(user, "sip:" + user + "@127.0.0.1:5099", "udp", "127.0.0.1:5099", seconds);
    presence.changed(user);
  }

  private List<String> seen() {
    return records.stream().map(r -> r.kind() + " " + r.door()).toList();
  }

  @Test
  void a_first_registration_and_its_end_are_recorded_refreshes_never() {
    register("Front", 600);
    assertThat(seen()).containsExactly("DOOR_REGISTERED front");
    CallRecord first = records.get(0);
    assertThat(first.user()).isEmpty();
    assertThat(first.device()).isEmpty();
    assertThat(first.at()).isEqualTo(clock.instant());

    for (int i = 0; i < 10; i++) {
      clock.move(Duration.ofSeconds(40));
      register("front", 600);
      presence.sweep();
    }
    assertThat(seen()).as("refreshes are not news").hasSize(1);

    register("front", 0);
    assertThat(seen()).containsExactly("DOOR_REGISTERED front", "DOOR_UNREGISTERED front");
    assertThat(records.get(0).id()).isNotEqualTo(records.get(1).id());
  }

  @Test
  void an_expiry_is_found_by_the_sweep() {
    register("front", 60);
    clock.move(Duration.ofSeconds(59));
    presence.sweep();
    assertThat(seen()).containsExactly("DOOR_REGISTERED front");
    clock.move(Duration.ofSeconds(2));
    presence.sweep();
    assertThat(seen()).containsExactly("DOOR_REGISTERED front", "DOOR_UNREGISTERED front");
    presence.sweep();
    assertThat(seen()).hasSize(2);
  }

  @Test
  void the_b2b_itself_is_no_door() {
    register("ipgw", 600);
    presence.sweep();
    register("ipgw", 0);
    assertThat(records).isEmpty();
  }

  @Test
  void flapping_is_held_to_one_record_per_gap_and_the_last_state_still_arrives() {
    register("front", 600);
    for (int i = 0; i < 20; i++) {
      clock.move(Duration.ofSeconds(1));
      register("front", 0);
      register("front", 600);
    }
    register("front", 0);
    presence.sweep();
    assertThat(seen()).as("within the gap").containsExactly("DOOR_REGISTERED front");

    clock.move(DoorPresence.MIN_GAP);
    presence.sweep();
    assertThat(seen()).containsExactly("DOOR_REGISTERED front", "DOOR_UNREGISTERED front");

    clock.move(Duration.ofSeconds(1));
    register("front", 600);
    assertThat(seen()).as("held back again").hasSize(2);
    clock.move(DoorPresence.MIN_GAP);
    presence.sweep();
    assertThat(seen()).last().isEqualTo("DOOR_REGISTERED front");
    assertThat(seen()).hasSize(3);
  }

  @Test
  void a_failing_journal_is_retried_by_the_sweep() {
    List<CallRecord> kept = new ArrayList<>();
    boolean[] full = {true};
    DoorPresence p =
        new DoorPresence(
            registrations,
            r -> {
              if (full[0]) {
                throw new java.io.UncheckedIOException(new java.io.IOException("disk full"));
              }
              kept.add(r);
            },
            u -> true,
            clock,
            DoorPresence.MIN_GAP);
    registrations.put("front", "sip:front@127.0.0.1", "udp", "127.0.0.1:5099", 600);
    p.changed("front");
    assertThat(kept).isEmpty();
    full[0] = false;
    p.sweep();
    assertThat(kept).extracting(CallRecord::kind).containsExactly(Kind.DOOR_REGISTERED);
  }

  @Test
  void closing_ends_every_announced_registration() {
    register("front", 600);
    register("back", 600);
    presence.close();
    assertThat(seen())
        .containsExactlyInAnyOrder(
            "DOOR_REGISTERED front",
            "DOOR_REGISTERED back",
            "DOOR_UNREGISTERED front",
            "DOOR_UNREGISTERED back");
  }

  private static final class MovingClock extends Clock {
    private Instant now;

    MovingClock(Instant now) {
      this.now = now;
    }

    void move(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
