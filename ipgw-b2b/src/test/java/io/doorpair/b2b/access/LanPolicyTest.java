package io.doorpair.b2b.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.access.LanPolicy.Outcome;
import io.doorpair.b2b.access.LanPolicy.Role;
import io.doorpair.b2b.conf.AppAccount;
import io.doorpair.b2b.conf.B2bFiles.Access;
import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.crypto.SipPassword;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The LAN rules of one set of files: roles, calls, in-dialog requests, telephone-event. */
class LanPolicyTest {
  private static final String D = "lanpolicy001";
  private static final SipPassword P = SipPassword.of("Passw0rdPassw0rd");
  private static final AppAccount GRACE =
      new AppAccount(
          "grace-0a1b2c", "grace", Optional.empty(), true, false, false, false, false, true);
  private static final AppAccount HENRI =
      new AppAccount(
          "henri-3d4e5f", "henri", Optional.empty(), true, true, false, false, true, true);
  private static final AppAccount OLGA =
      new AppAccount(
          "olga-4c5d6e", "olga", Optional.empty(), false, false, false, false, false, true);
  private static final AppAccount CAM =
      new AppAccount("cam-7a8b9c", "cam", Optional.empty(), false, false, true, false, false, true);
  private static final AppAccount ALICE =
      new AppAccount("alice-7f3a", "alice", Optional.empty(), true, true, true, false);

  private static LanPolicy policy() {
    List<AppAccount> apps = List.of(GRACE, HENRI, OLGA, CAM, ALICE);
    List<PasswdEntry> entries =
        new java.util.ArrayList<>(
            List.of(
                new PasswdEntry("ipgw", D, P),
                new PasswdEntry("door1", D, P),
                new PasswdEntry("door2", "elsewhere.example", P)));
    apps.forEach(a -> entries.add(new PasswdEntry(a.sipUsername(), D, P)));
    return AccessPolicy.of(
            D, new Access(List.of("alice"), entries, apps), Clock.systemUTC(), new SecureRandom())
        .lan();
  }

  @Test
  void roles_come_from_the_password_file_and_accounts_list() {
    LanPolicy lan = policy();
    assertThat(lan.role("ipgw")).isEqualTo(Role.GATEWAY);
    assertThat(lan.role("DOOR1")).isEqualTo(Role.DOOR);
    assertThat(lan.role("grace-0a1b2c")).isEqualTo(Role.LAN_APP);
    assertThat(lan.role("alice-7f3a")).isEqualTo(Role.NOT_ADMITTED);
    assertThat(lan.role("door2")).as("another domain").isEqualTo(Role.UNKNOWN);
    assertThat(lan.role("nobody")).isEqualTo(Role.UNKNOWN);
    assertThat(lan.mayRegister("door1")).isTrue();
    assertThat(lan.mayRegister("ipgw")).isTrue();
    assertThat(lan.mayRegister("olga-4c5d6e")).as("a LAN account without rights").isTrue();
    assertThat(lan.mayRegister("alice-7f3a")).as("approved through the portal").isFalse();
    assertThat(lan.mayRegister("nobody")).isFalse();
  }

  @Test
  void a_lan_account_calls_door_stations_only_and_within_its_rights() {
    LanPolicy lan = policy();
    assertThat(lan.initial("INVITE", "grace-0a1b2c", "door1").passes()).isTrue();
    assertThat(lan.initial("INVITE", "cam-7a8b9c", "door1").passes()).as("cameras").isTrue();
    assertThat(lan.initial("INVITE", "olga-4c5d6e", "door1").outcome())
        .isEqualTo(Outcome.FORBIDDEN);
    assertThat(lan.initial("INVITE", "grace-0a1b2c", "ipgw").passes()).isFalse();
    assertThat(lan.initial("INVITE", "grace-0a1b2c", "henri-3d4e5f").passes()).isFalse();
    assertThat(lan.initial("MESSAGE", "grace-0a1b2c", "door1").passes()).isFalse();
    assertThat(lan.initial("MESSAGE", "henri-3d4e5f", "door1").passes()).isTrue();
    assertThat(lan.initial("SUBSCRIBE", "henri-3d4e5f", "door1").passes()).isFalse();
    assertThat(lan.initial("INVITE", "alice-7f3a", "door1").passes()).isFalse();
  }

  @Test
  void a_door_rings_a_lan_account_only_with_door_calls() {
    LanPolicy lan = policy();
    assertThat(lan.initial("INVITE", "door1", "grace-0a1b2c").passes()).isTrue();
    assertThat(lan.initial("INVITE", "door1", "olga-4c5d6e").passes()).isFalse();
    assertThat(lan.initial("INVITE", "door1", "cam-7a8b9c").passes()).isFalse();
    assertThat(lan.initial("INVITE", "ipgw", "olga-4c5d6e").passes()).isFalse();
    assertThat(lan.initial("INVITE", "door1", "alice-7f3a").passes()).isFalse();
    assertThat(lan.initial("INVITE", "door1", "ipgw").passes()).isTrue();
    assertThat(lan.initial("INVITE", "door1", "nobody").passes())
        .as("the proxy answers 480 itself")
        .isTrue();
  }

  @Test
  void in_a_call_dtmf_and_message_need_open_door_and_other_bodies_are_refused() {
    LanPolicy lan = policy();
    Optional<String> relay = Optional.of("application/dtmf-relay");
    assertThat(lan.inDialog("INFO", "grace-0a1b2c", relay, true).outcome())
        .isEqualTo(Outcome.FORBIDDEN);
    assertThat(lan.inDialog("INFO", "grace-0a1b2c", Optional.of("application/dtmf"), true).passes())
        .isFalse();
    assertThat(lan.inDialog("INFO", "henri-3d4e5f", relay, true).passes()).isTrue();
    assertThat(lan.inDialog("MESSAGE", "grace-0a1b2c", Optional.of("text/plain"), true).passes())
        .isFalse();
    assertThat(lan.inDialog("MESSAGE", "henri-3d4e5f", Optional.of("text/plain"), true).passes())
        .isTrue();
    assertThat(lan.inDialog("INFO", "henri-3d4e5f", Optional.of("text/plain"), true).outcome())
        .isEqualTo(Outcome.UNSUPPORTED_MEDIA);
    assertThat(lan.inDialog("INFO", "grace-0a1b2c", Optional.empty(), false).passes()).isTrue();
    assertThat(lan.inDialog("INFO", "olga-4c5d6e", Optional.empty(), false).passes()).isFalse();
    assertThat(
            lan.inDialog("INVITE", "grace-0a1b2c", Optional.of("application/sdp"), true).passes())
        .isTrue();
    assertThat(lan.inDialog("REFER", "henri-3d4e5f", Optional.empty(), false).passes()).isFalse();
    assertThat(lan.inDialog("INFO", "door1", relay, true).passes()).isTrue();
    assertThat(lan.inDialog("INFO", "alice-7f3a", relay, true).passes()).isFalse();
  }

  @Test
  void telephone_event_goes_when_one_end_is_a_lan_account_without_open_door() {
    LanPolicy lan = policy();
    assertThat(lan.stripsEvents("grace-0a1b2c", "door1")).isTrue();
    assertThat(lan.stripsEvents("door1", "grace-0a1b2c")).isTrue();
    assertThat(lan.stripsEvents("henri-3d4e5f", "door1")).isFalse();
    assertThat(lan.stripsEvents("ipgw", "door1")).isFalse();
    assertThat(lan.stripsEvents(null, "door1")).isFalse();
    assertThat(lan.staysOnPath("door1", "grace-0a1b2c")).isTrue();
    assertThat(lan.staysOnPath("ipgw", "door1")).isFalse();
  }

  @Test
  void without_accounts_list_every_account_is_a_door() {
    LanPolicy lan = LanPolicy.everyAccountADoor();
    assertThat(lan.role("anyone")).isEqualTo(Role.DOOR);
    assertThat(lan.role("ipgw")).isEqualTo(Role.GATEWAY);
    assertThat(lan.initial("INVITE", "door1", "grace").passes()).isTrue();
  }

  @Test
  void the_portal_side_never_sees_a_lan_only_account() {
    AppAccount alice =
        new AppAccount(
            "alice-7f3a",
            "alice",
            Optional.of("sip:alice@portal.test;gr=urn:uuid:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"),
            true,
            true,
            false,
            false);
    List<AppAccount> apps = List.of(GRACE, HENRI, alice);
    List<PasswdEntry> entries = new java.util.ArrayList<>();
    entries.add(new PasswdEntry("ipgw", D, P));
    apps.forEach(a -> entries.add(new PasswdEntry(a.sipUsername(), D, P)));
    AccessPolicy policy =
        AccessPolicy.of(
            D,
            new Access(List.of("alice", "grace", "henri"), entries, apps),
            Clock.systemUTC(),
            new SecureRandom());
    assertThat(policy.isAppAccount("grace-0a1b2c")).as("never a door station").isTrue();
    // henri's account is used through the portal too, grace's only on the LAN
    assertThat(policy.doorCallTargets())
        .containsExactly("sip:alice@portal.test", "sip:henri@portal.test");
  }
}
