package io.doorpair.ipgw.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.b2b.conf.AccountsList;
import io.doorpair.b2b.conf.AclList;
import io.doorpair.b2b.conf.AppAccount;
import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.conf.PasswdFile;
import io.doorpair.ipgw.store.OfflineAccountRow;
import io.doorpair.ipgw.store.OfflineState;
import io.doorpair.ipgw.store.OutboxTable;
import io.doorpair.ipgw.store.QueuedEvent;
import io.doorpair.ipgw.store.Rights;
import io.doorpair.ipgw.testing.TestGateway;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.portal.testing.SettableClock;
import io.doorpair.welcome.offline.ConfirmationCode;
import io.doorpair.welcome.offline.OfflineAccount;
import io.doorpair.welcome.offline.OfflinePayload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline account use cases on a paired gateway's store and files (the portal is used only to
 * pair; nothing here talks to it): activation, the attempt limit, expiry, reuse, removal.
 */
class OfflineAccountsTest {
  private static final String PASSWORD = "password1";

  @RegisterExtension static PortalExtension portal = new PortalExtension();

  @TempDir Path dir;

  private TestGateway gateway;
  private SettableClock clock;
  private OfflineAccounts offline;
  private String domain;

  @BeforeEach
  void pair() {
    String owner = Actors.newUser(portal, "owner", PASSWORD);
    gateway = new TestGateway(dir);
    domain = gateway.pair(portal, owner, PASSWORD).domain();
    clock = new SettableClock();
    offline =
        new OfflineAccounts(
            gateway.store(), gateway.fileSync(), gateway.outbox(), TestGateway.RANDOM, clock);
  }

  @AfterEach
  void close() {
    gateway.close();
  }

  @Test
  void the_right_code_activates_into_the_files_with_events_in_order() throws Exception {
    OfflineAccountRow row = offline.create("Bob", new Rights(true, true, false, true), true);
    assertThat(row.name()).isEqualTo("bob");
    assertThat(row.sipUsername()).matches("bob-[0-9a-f]{6}");
    assertThat(row.rights().gruuOnly()).isFalse();
    assertThat(row.expiresAt()).isEqualTo(row.createdAt().plus(OfflineAccounts.LIFETIME));
    OfflineAccount account = OfflinePayload.parse(offline.showable(row.id()).orElseThrow());
    assertThat(account.domain()).isEqualTo(domain);
    assertThat(account.internalSipUri()).isEqualTo(TestGateway.SETTINGS.internalSipUri());
    assertThat(account.sipUsername()).isEqualTo(row.sipUsername());
    assertThat(account.externalAccess()).isTrue();
    assertThat(passwdUsers()).doesNotContain(row.sipUsername());
    assertThat(outbox()).isEmpty();

    ConfirmOutcome ok = offline.confirm(row.id(), code(row));
    assertThat(ok.result()).isEqualTo(ConfirmOutcome.Result.ACTIVATED);
    assertThat(passwd())
        .anySatisfy(
            e -> {
              assertThat(e.user()).isEqualTo(row.sipUsername());
              assertThat(e.domain()).isEqualTo(domain);
              assertThat(e.password()).isEqualTo(account.password());
            });
    assertThat(acl()).containsExactly("bob");
    assertThat(AccountsList.parse(Files.readString(gateway.paths().accountsList())))
        .containsExactly(
            new AppAccount(
                row.sipUsername(), "bob", Optional.empty(), true, true, false, false, true, true));
    assertThat(gateway.reloads()).isPositive();
    List<QueuedEvent> events = outbox();
    assertThat(events).extracting(QueuedEvent::kind).containsExactly("accounts", "acl");
    assertThat(events.get(0).payload())
        .contains("\"action\":\"created_offline\"", "\"username\":\"bob\"")
        .doesNotContain(account.password().reveal());
    assertThat(events.get(1).payload()).contains("\"action\":\"added\"");

    assertThat(offline.showable(row.id())).isEmpty();
    assertThatThrownBy(() -> offline.confirm(row.id(), code(row)))
        .isInstanceOf(OfflineException.class)
        .extracting(e -> ((OfflineException) e).code())
        .isEqualTo(OfflineException.USED);
    assertThat(outbox()).hasSize(2);
  }

  @Test
  void without_external_access_the_account_is_local_only() throws Exception {
    OfflineAccountRow row = offline.create("carol", new Rights(true, false, false, false), false);
    assertThat(offline.confirm(row.id(), code(row)).result())
        .isEqualTo(ConfirmOutcome.Result.ACTIVATED);
    assertThat(passwdUsers()).contains(row.sipUsername());
    assertThat(acl()).isEmpty();
    // a LAN account: the internal server admits it within its rights, the portal side never
    assertThat(AccountsList.parse(Files.readString(gateway.paths().accountsList())))
        .containsExactly(
            new AppAccount(
                row.sipUsername(),
                "carol",
                Optional.empty(),
                true,
                false,
                false,
                false,
                false,
                true));
    assertThat(outbox()).extracting(QueuedEvent::kind).containsExactly("accounts");
  }

  @Test
  void five_wrong_codes_void_the_account_and_malformed_ones_are_not_counted() throws Exception {
    OfflineAccountRow row = offline.create("dave", new Rights(true, true, true, false), true);
    String right = code(row);
    String wrong = right.equals("000000") ? "111111" : "000000";
    assertThat(offline.confirm(row.id(), "12ab").result())
        .isEqualTo(ConfirmOutcome.Result.MALFORMED);
    for (int left = 4; left >= 1; left--) {
      ConfirmOutcome o = offline.confirm(row.id(), wrong);
      assertThat(o.result()).isEqualTo(ConfirmOutcome.Result.WRONG);
      assertThat(o.attemptsLeft()).isEqualTo(left);
    }
    assertThat(offline.confirm(row.id(), wrong).result()).isEqualTo(ConfirmOutcome.Result.VOID);
    assertThat(offline.get(row.id()).state()).isEqualTo(OfflineState.VOID);
    assertThatThrownBy(() -> offline.confirm(row.id(), right))
        .extracting(e -> ((OfflineException) e).code())
        .isEqualTo(OfflineException.VOID);
    assertThat(offline.showable(row.id())).isEmpty();
    assertThat(passwdUsers()).doesNotContain(row.sipUsername());
    assertThat(acl()).isEmpty();
    assertThat(outbox()).isEmpty();
  }

  @Test
  void an_expired_qr_code_is_refused_and_voids_the_account() throws Exception {
    OfflineAccountRow row = offline.create("erin", new Rights(true, true, true, false), true);
    clock.shift(OfflineAccounts.LIFETIME.minusSeconds(30));
    assertThat(offline.showable(row.id())).isPresent();
    clock.shift(OfflineAccounts.LIFETIME.plus(Duration.ofSeconds(1)));
    assertThat(offline.showable(row.id())).isEmpty();
    assertThatThrownBy(() -> offline.confirm(row.id(), code(row)))
        .extracting(e -> ((OfflineException) e).code())
        .isEqualTo(OfflineException.EXPIRED);
    assertThat(offline.get(row.id()).state()).isEqualTo(OfflineState.VOID);
    assertThat(passwdUsers()).doesNotContain(row.sipUsername());
    assertThat(outbox()).isEmpty();
  }

  @Test
  void removing_an_active_account_takes_it_out_of_the_files() throws Exception {
    OfflineAccountRow row = offline.create("frank", new Rights(true, false, false, false), true);
    offline.confirm(row.id(), code(row));
    offline.remove(row.id());
    assertThat(passwdUsers()).doesNotContain(row.sipUsername());
    assertThat(acl()).isEmpty();
    assertThat(outbox())
        .extracting(QueuedEvent::kind)
        .containsExactly("accounts", "acl", "acl", "accounts");
    assertThatThrownBy(() -> offline.remove(row.id()))
        .extracting(e -> ((OfflineException) e).code())
        .isEqualTo(OfflineException.VOID);
  }

  @Test
  void bad_names_and_unknown_ids_are_refused() {
    for (String name :
        List.of("", "-bob", "bob smith", "b".repeat(65), "bob\u0000", "<b>", "bob\u00e9")) {
      assertThatThrownBy(() -> offline.create(name, Rights.ALL, false))
          .extracting(e -> ((OfflineException) e).code())
          .isEqualTo(OfflineException.BAD_INPUT);
    }
    for (String id : List.of("nope", "0".repeat(32), "../etc")) {
      assertThatThrownBy(() -> offline.confirm(id, "123456"))
          .extracting(e -> ((OfflineException) e).code())
          .isEqualTo(OfflineException.UNKNOWN);
      assertThat(offline.showable(id)).isEmpty();
    }
  }

  private String code(OfflineAccountRow row) {
    return ConfirmationCode.of(row.payload());
  }

  private List<PasswdEntry> passwd() throws IOException {
    return PasswdFile.parse(Files.readString(gateway.paths().passwdFile()));
  }

  private List<String> passwdUsers() throws IOException {
    return passwd().stream().map(PasswdEntry::user).toList();
  }

  private List<String> acl() throws IOException {
    return AclList.parse(Files.readString(gateway.paths().aclList()));
  }

  private List<QueuedEvent> outbox() {
    return gateway.store().transaction(c -> OutboxTable.head(c, 100));
  }
}
