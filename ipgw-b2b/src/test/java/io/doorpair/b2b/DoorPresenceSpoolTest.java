package io.doorpair.b2b;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.doorsim.DoorStation;
import io.doorpair.b2b.journal.CallRecord;
import io.doorpair.b2b.journal.SpoolFormat;
import io.doorpair.b2b.journal.SpoolJournal;
import io.doorpair.b2b.localsip.DoorPresence;
import io.doorpair.b2b.testing.InternalSip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registrar's hook on the real embedded internal SIP server: a door station registering over
 * UDP with its digest credentials, refreshing, and ending its registration leaves exactly two
 * records in the real journal spool, as {@code ipgw}'s intake reads them.
 */
class DoorPresenceSpoolTest {
  @TempDir Path root;

  private List<CallRecord> spool(SpoolJournal journal) throws IOException {
    List<CallRecord> out = new ArrayList<>();
    for (Path f : SpoolJournal.recordFiles(journal.directory())) {
      out.add(SpoolFormat.parse(Files.readAllBytes(f)));
    }
    return out;
  }

  @Test
  void a_door_station_registering_refreshing_and_leaving_leaves_two_spool_records()
      throws Exception {
    SpoolJournal journal = SpoolJournal.open(root, 100);
    try (InternalSip sip = InternalSip.start();
        DoorPresence presence =
            new DoorPresence(
                    sip.server().registrations(),
                    journal,
                    u -> !u.equals("ipgw"),
                    Clock.systemUTC(),
                    Duration.ZERO)
                .start()) {
      sip.server().onRegister(presence::changed);
      try (DoorStation door =
          DoorStation.register(
              sip.address(), InternalSip.DOMAIN, "door1", InternalSip.DOOR_PASSWORD)) {
        List<CallRecord> first = spool(journal);
        assertThat(first)
            .extracting(CallRecord::kind)
            .containsExactly(CallRecord.Kind.DOOR_REGISTERED);
        assertThat(first.get(0).door()).isEqualTo("door1");
        assertThat(Files.readString(SpoolJournal.recordFiles(journal.directory()).get(0)))
            .contains("kind=door_registered\n")
            .doesNotContain("user=", "device=");

        door.registerFor(600);
        door.registerFor(600);
        assertThat(spool(journal)).as("refreshes").hasSize(1);

        door.unregister();
        assertThat(spool(journal))
            .extracting(CallRecord::kind)
            .containsExactly(CallRecord.Kind.DOOR_REGISTERED, CallRecord.Kind.DOOR_UNREGISTERED);
      }
    }
  }
}
