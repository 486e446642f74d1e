package io.doorpair.b2b.conf;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.conf.B2bFiles.Access;
import io.doorpair.crypto.SipPassword;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a refused reload keeps: never more than before, never what the new files revoke. */
class ReloadNarrowingTest {
  private static final String D = "narrowing001";
  private static final SipPassword P = SipPassword.of("Passw0rdPassw0rd");
  private static final SipPassword OTHER = SipPassword.of("NewPassw0rdNew");
  private static final PasswdEntry IPGW = new PasswdEntry("ipgw", D, P);
  private static final PasswdEntry DOOR = new PasswdEntry("door1", D, P);
  private static final AppAccount GRACE =
      new AppAccount(
          "grace-0a1b2c", "grace", Optional.empty(), true, true, false, false, true, true);
  private static final AppAccount ALICE =
      new AppAccount("alice-7f3a", "alice", Optional.empty(), true, true, false, false);
  private static final Access BEFORE =
      new Access(
          List.of("alice", "grace"),
          List.of(
              IPGW,
              DOOR,
              new PasswdEntry("grace-0a1b2c", D, P),
              new PasswdEntry("alice-7f3a", D, P)),
          List.of(GRACE, ALICE));

  private static List<String> users(Access a) {
    return a.accounts().stream().map(PasswdEntry::user).toList();
  }

  @Test
  void an_unreadable_password_file_drops_every_app_account_and_keeps_the_doors() {
    Access kept =
        ReloadNarrowing.narrowed(
            BEFORE, D, Optional.empty(), Optional.of(List.of(GRACE, ALICE)), Optional.empty());
    assertThat(users(kept)).containsExactly("ipgw", "door1");
    assertThat(kept.appAccounts()).isEmpty();
    assertThat(kept.acl()).containsExactly("alice", "grace");
  }

  @Test
  void an_unreadable_accounts_list_drops_every_app_account_never_making_it_a_door() {
    Access kept =
        ReloadNarrowing.narrowed(
            BEFORE, D, Optional.of(BEFORE.accounts()), Optional.empty(), Optional.of(List.of()));
    assertThat(users(kept)).containsExactly("ipgw", "door1");
    assertThat(kept.appAccounts()).isEmpty();
    assertThat(kept.acl()).isEmpty();
  }

  @Test
  void accounts_gone_or_with_a_new_password_go_rights_taken_away_go() {
    AppAccount graceLess =
        new AppAccount(
            "grace-0a1b2c", "grace", Optional.empty(), true, false, true, true, false, true);
    Access kept =
        ReloadNarrowing.narrowed(
            BEFORE,
            D,
            Optional.of(
                List.of(
                    new PasswdEntry("ipgw", D, OTHER),
                    new PasswdEntry("grace-0a1b2c", D, P),
                    new PasswdEntry("alice-7f3a", D, OTHER),
                    new PasswdEntry("newdoor", D, P))),
            Optional.of(List.of(graceLess, ALICE)),
            Optional.of(List.of("alice", "grace", "zed")));
    // door1 gone, alice's password changed, newdoor never added; ipgw's is b2b.conf's
    assertThat(users(kept)).containsExactly("ipgw", "grace-0a1b2c");
    assertThat(kept.appAccounts())
        .containsExactly(
            new AppAccount(
                "grace-0a1b2c", "grace", Optional.empty(), true, false, false, true, false, true));
    assertThat(kept.acl()).containsExactly("alice", "grace");
  }

  @Test
  void a_door_that_the_new_files_call_an_app_account_is_no_door_any_more() {
    AppAccount door1 =
        new AppAccount("door1", "door1", Optional.empty(), true, true, true, false, true, true);
    Access kept =
        ReloadNarrowing.narrowed(
            BEFORE,
            D,
            Optional.of(BEFORE.accounts()),
            Optional.of(List.of(GRACE, ALICE, door1)),
            Optional.empty());
    assertThat(users(kept)).containsExactly("ipgw", "grace-0a1b2c", "alice-7f3a");
    assertThat(kept.appAccounts()).containsExactly(GRACE, ALICE);
  }
}
