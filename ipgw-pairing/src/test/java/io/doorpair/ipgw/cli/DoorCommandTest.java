package io.doorpair.ipgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.conf.GatewayPaths;
import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.conf.PasswdFile;
import io.doorpair.crypto.SipPassword;
import io.doorpair.ipgw.store.GatewayStore;
import io.doorpair.ipgw.store.OutboxTable;
import io.doorpair.ipgw.store.Pairing;
import io.doorpair.ipgw.store.PairingTable;
import io.doorpair.ipgw.store.QueuedEvent;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ipgw door add|remove} in-process on a real store: the password printed once and written to
 * the password file (0600) next to {@code ipgw}, refusals (not paired, name taken, bad names,
 * unknown door) exit 1 and change nothing.
 */
class DoorCommandTest {
  private static final String DOMAIN = "k3x9abcd1234";
  private static final Pattern PRINTED =
      Pattern.compile("ipgw: door door1@" + DOMAIN + " password \\(shown once\\): (\\S+)");

  @TempDir Path dir;

  private Path root() {
    return dir.resolve("root");
  }

  private Path data() {
    return dir.resolve("data");
  }

  private Result door(String... args) {
    StringWriter out = new StringWriter();
    String[] all = new String[args.length + 3];
    all[0] = "door";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--root=" + root();
    all[args.length + 2] = "--data=" + data();
    int exit =
        IpgwCommand.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true), all);
    return new Result(exit, out.toString());
  }

  private record Result(int exit, String out) {}

  private void pair() {
    try (GatewayStore store = GatewayStore.open(data())) {
      store.transaction(
          c -> {
            PairingTable.replace(
                c,
                new Pairing(
                    DOMAIN,
                    "Location: Loft",
                    "agent",
                    "ca",
                    SipPassword.of("b2b-secret-password"),
                    "sips:localhost:5061",
                    "sip:127.0.0.1:5070",
                    Instant.now(),
                    0));
            return null;
          });
    }
  }

  private List<PasswdEntry> passwd() throws Exception {
    return PasswdFile.parse(Files.readString(GatewayPaths.under(root()).passwdFile()));
  }

  @Test
  void refused_before_pairing_and_nothing_written() {
    assertThat(door("add", "door1").exit()).isEqualTo(1);
    assertThat(GatewayPaths.under(root()).passwdFile()).doesNotExist();
  }

  @Test
  void add_prints_the_password_once_and_writes_it_then_remove_takes_it_out() throws Exception {
    pair();
    Result added = door("add", "door1");
    assertThat(added.exit()).as(added.out()).isZero();
    Matcher m = PRINTED.matcher(added.out());
    assertThat(m.find()).as(added.out()).isTrue();
    String password = m.group(1);
    assertThat(password).hasSize(SipPassword.GENERATED_LENGTH);

    Path file = GatewayPaths.under(root()).passwdFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(passwd())
        .anyMatch(e -> e.user().equals("ipgw") && e.domain().equals(DOMAIN))
        .anyMatch(
            e ->
                e.user().equals("door1")
                    && e.domain().equals(DOMAIN)
                    && e.password().reveal().equals(password));
    assertThat(Files.readString(GatewayPaths.under(root()).accountsList())).doesNotContain("door1");

    Result again = door("add", "door1");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.out()).doesNotContain("password");
    assertThat(passwd())
        .filteredOn(e -> e.user().equals("door1"))
        .singleElement()
        .matches(e -> e.password().reveal().equals(password), "the first password kept");

    assertThat(door("remove", "door1").exit()).isZero();
    assertThat(passwd()).noneMatch(e -> e.user().equals("door1"));
    try (GatewayStore store = GatewayStore.open(data())) {
      List<QueuedEvent> queued = store.transaction(c -> OutboxTable.head(c, 100));
      assertThat(queued)
          .filteredOn(e -> e.kind().equals("topology"))
          .extracting(QueuedEvent::payload)
          .containsExactly(
              "{\"type\":\"door_added\",\"door\":\"door1\"}",
              "{\"type\":\"door_removed\",\"door\":\"door1\"}");
    }
    assertThat(door("remove", "door1").exit()).isEqualTo(1);
  }

  @Test
  void display_names_are_set_renamed_listed_and_sent_as_topology_events() throws Exception {
    pair();
    Result added = door("add", "door1", "--display-name", "Front door");
    assertThat(added.exit()).as(added.out()).isZero();
    String password = PRINTED.matcher(added.out()).results().findFirst().orElseThrow().group(1);

    Result renamed = door("rename", "door1", "Porch <b>");
    assertThat(renamed.exit()).as(renamed.out()).isZero();
    assertThat(renamed.out()).contains("ipgw: door door1 is now Porch <b>");
    assertThat(door("rename", "door1", "Porch <b>").exit()).as("the same name").isZero();
    assertThat(door("rename", "door1", "bell\u0007").exit()).isEqualTo(1);
    assertThat(door("rename", "door1", "x".repeat(65)).exit()).isEqualTo(1);
    assertThat(door("rename", "nobody", "Gate").exit()).isEqualTo(1);
    assertThat(door("add", "door2", "--display-name", " ").exit()).isEqualTo(1);

    Result listed = door("list");
    assertThat(listed.exit()).isZero();
    assertThat(listed.out())
        .contains("door1\tPorch <b>\tunknown")
        .doesNotContain(password)
        .doesNotContain("door2");

    assertThat(door("remove", "door1").exit()).isZero();
    try (GatewayStore store = GatewayStore.open(data())) {
      List<QueuedEvent> queued = store.transaction(c -> OutboxTable.head(c, 100));
      assertThat(queued)
          .filteredOn(e -> e.kind().equals("topology"))
          .extracting(QueuedEvent::payload)
          .containsExactly(
              "{\"type\":\"door_added\",\"door\":\"door1\",\"name\":\"Front door\"}",
              "{\"type\":\"door_renamed\",\"door\":\"door1\",\"name\":\"Porch <b>\"}",
              "{\"type\":\"door_removed\",\"door\":\"door1\",\"name\":\"Porch <b>\"}");
    }
  }

  @Test
  void names_that_could_take_another_account_or_break_the_file_are_refused() throws Exception {
    pair();
    for (String bad :
        List.of(
            "ipgw",
            "alice-7f3a",
            "kiosk-a1b2c3",
            "Door1",
            "1door",
            "door 1",
            "door1@x",
            "a".repeat(33))) {
      assertThat(door("add", bad).exit()).as(bad).isEqualTo(1);
    }
    assertThat(GatewayPaths.under(root()).passwdFile()).doesNotExist();
    assertThat(door("add", "front-door").exit()).isZero();
    assertThat(passwd()).anyMatch(e -> e.user().equals("front-door"));
  }
}
