package io.doorpair.ipgw.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.SipPassword;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store: durable settings, private file, what is committed survives a reopen. */
class GatewayStoreTest {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  @TempDir Path dir;

  @Test
  void opens_in_wal_mode_with_full_sync_in_a_private_file() throws IOException {
    try (GatewayStore store = GatewayStore.open(dir.resolve("data"))) {
      assertThat(pragma(store, "journal_mode")).isEqualTo("wal");
      assertThat(pragma(store, "synchronous")).isEqualTo("2");
      assertThat(pragma(store, "foreign_keys")).isEqualTo("1");
    }
    Path file = dir.resolve("data").resolve(GatewayStore.FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))))
        .isEqualTo("rwx------");
  }

  @Test
  void a_schema_4_store_keeps_its_doors_and_gains_display_names_and_presence() throws Exception {
    Path data = dir.resolve("data");
    GatewayStore.open(data).close();
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve(GatewayStore.FILE));
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE doors");
      s.execute(
          "CREATE TABLE doors (name TEXT PRIMARY KEY, password TEXT NOT NULL,"
              + " created_at TEXT NOT NULL)");
      s.execute("INSERT INTO doors VALUES ('gate', 'GatePassw0rdGatePassw0rd', '" + NOW + "')");
      s.execute("PRAGMA user_version = 4");
    }
    try (GatewayStore store = GatewayStore.open(data)) {
      DoorTable.Listed gate = store.transaction(c -> DoorTable.find(c, "gate")).orElseThrow();
      assertThat(gate.displayName()).isEmpty();
      assertThat(gate.registered()).isEmpty();
      assertThat(store.transaction(DoorTable::all).get(0).password().reveal())
          .isEqualTo("GatePassw0rdGatePassw0rd");
      store.transaction(c -> DoorTable.rename(c, "gate", "Garden gate"));
      store.transaction(c -> DoorTable.setRegistered(c, "gate", true, NOW));
    }
    try (GatewayStore store = GatewayStore.open(data)) {
      DoorTable.Listed gate = store.transaction(c -> DoorTable.find(c, "gate")).orElseThrow();
      assertThat(gate.displayName()).contains("Garden gate");
      assertThat(gate.registered()).contains(true);
      assertThat(gate.since()).contains(NOW);
      assertThat(pragma(store, "user_version")).isEqualTo("5");
    }
    assertThatThrownBy(() -> DoorTable.checkDisplayName("bell\u0007"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DoorTable.checkDisplayName("x".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(DoorTable.checkDisplayName("  Front door <b> ")).isEqualTo("Front door <b>");
  }

  @Test
  void what_is_committed_survives_a_reopen_and_a_rollback_leaves_nothing() {
    Pairing pairing =
        new Pairing(
            "k3x9abcd1234",
            "Location: Loft",
            "agent",
            "ca",
            SipPassword.of("secret"),
            "sips:p",
            "sip:i",
            NOW,
            7);
    StoredRequest request =
        new StoredRequest(
            42,
            "alice",
            "phone",
            "urn:uuid:x",
            "sip:g",
            "pem",
            "hash",
            NOW,
            RequestState.PENDING,
            0,
            NOW);
    try (GatewayStore store = GatewayStore.open(dir)) {
      store.transaction(
          c -> {
            PairingTable.replace(c, pairing);
            RequestTable.insertIfAbsent(c, request);
            return null;
          });
      assertThatThrownBy(
              () ->
                  store.transaction(
                      c -> {
                        OutboxTable.append(c, "id-1", "acl", NOW, "{}");
                        throw new IllegalStateException("boom");
                      }))
          .hasMessage("boom");
    }
    try (GatewayStore store = GatewayStore.open(dir)) {
      assertThat(store.transaction(PairingTable::get)).contains(pairing);
      java.util.Optional<StoredRequest> read = store.transaction(c -> RequestTable.get(c, 42));
      assertThat(read).contains(request);
      boolean again = store.transaction(c -> RequestTable.insertIfAbsent(c, request));
      assertThat(again).isFalse();
      assertThat(store.transaction(OutboxTable::size)).isZero();
    }
  }

  @Test
  void pairing_again_forgets_the_previous_gateway() {
    try (GatewayStore store = GatewayStore.open(dir)) {
      Pairing first =
          new Pairing(
              "aaaaaaaaaaaa", "A", "k", "c", SipPassword.of("p"), "sips:p", "sip:i", NOW, 9);
      store.transaction(
          c -> {
            PairingTable.replace(c, first);
            OutboxTable.append(c, "e1", "acl", NOW, "{}");
            RequestTable.insertIfAbsent(
                c,
                new StoredRequest(
                    1, "a", "b", "c", "d", "e", "f", NOW, RequestState.PENDING, 0, NOW));
            return null;
          });
      Pairing second =
          new Pairing(
              "bbbbbbbbbbbb", "B", "k", "c", SipPassword.of("p"), "sips:p", "sip:i", NOW, 0);
      store.transaction(
          c -> {
            PairingTable.replace(c, second);
            return null;
          });
      assertThat(store.transaction(PairingTable::get)).contains(second);
      assertThat(store.transaction(OutboxTable::size)).isZero();
      java.util.Optional<StoredRequest> gone = store.transaction(c -> RequestTable.get(c, 1));
      assertThat(gone).isEmpty();
    }
  }

  @Test
  void secrets_stay_out_of_to_string() {
    Pairing pairing =
        new Pairing(
            "k3x9abcd1234", "A", "PRIVATEKEY", "c", SipPassword.of("hunter22"), "s", "s", NOW, 0);
    assertThat(pairing.toString()).doesNotContain("PRIVATEKEY", "hunter22");
  }

  private static String pragma(GatewayStore store, String name) {
    return store.transaction(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
          }
        });
  }
}
