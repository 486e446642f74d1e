package io.doorpair.b2b.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.conf.AppAccount;
import io.doorpair.b2b.conf.B2bFiles.Access;
import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.digest.DigestAuthorization;
import io.doorpair.crypto.digest.DigestChallenge;
import io.doorpair.crypto.digest.Ha1;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who rings and who passes, from one snapshot of the files. */
class AccessPolicyTest {
  private static final String DOMAIN = "k3x9abcd1234";
  private static final String URI = "sip:door1@" + DOMAIN;
  private static final String PHONE = "urn:uuid:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
  private static final String TABLET = "urn:uuid:1f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
  private static final SipPassword PASSWORD = SipPassword.of("Passw0rdPassw0rd");

  private static AppAccount account(
      String sip, String user, String instance, boolean door, boolean open, boolean only) {
    return new AppAccount(
        sip,
        user,
        Optional.of("sip:" + user + "@portal.test;gr=" + instance),
        door,
        open,
        false,
        only);
  }

  private static AccessPolicy policy(List<String> acl, List<AppAccount> accounts) {
    List<PasswdEntry> passwd =
        new java.util.ArrayList<>(
            List.of(
                new PasswdEntry("ipgw", DOMAIN, PASSWORD),
                new PasswdEntry("door1", DOMAIN, PASSWORD)));
    accounts.forEach(a -> passwd.add(new PasswdEntry(a.sipUsername(), DOMAIN, PASSWORD)));
    return AccessPolicy.of(
        DOMAIN, new Access(acl, passwd, accounts), Clock.systemUTC(), new SecureRandom());
  }

  private static Optional<String> credentials(AccessPolicy policy, String user) {
    Verdict v =
        policy.check("INVITE", List.of(URI), Optional.empty(), "x", Optional.empty(), Need.CALL);
    DigestChallenge c =
        DigestChallenge.parseAll(((Verdict.Challenge) v).headerValues().get(0)).get(0);
    Ha1 ha1 = Ha1.compute(c.algorithm(), user, c.realm(), PASSWORD.reveal().toCharArray());
    return Optional.of(
        DigestAuthorization.answer(c, user, ha1, "INVITE", URI, "cn0123", 1).toHeaderValue());
  }

  @Test
  void door_calls_ring_the_address_of_record_or_only_the_allowed_gruus() {
    AccessPolicy policy =
        policy(
            List.of("alice", "bob"),
            List.of(
                account("alice-1", "alice", PHONE, true, false, false),
                account("bob-1", "bob", PHONE, true, false, true),
                account("bob-2", "bob", TABLET, false, false, true),
                account("carol-1", "carol", PHONE, true, false, false)));
    assertThat(policy.doorCallTargets())
        .containsExactly("sip:alice@portal.test", "sip:bob@portal.test;gr=" + PHONE);
  }

  @Test
  void telephone_events_are_offered_only_when_every_target_is_a_device_that_may_open() {
    AccessPolicy policy =
        policy(
            List.of("alice", "bob"),
            List.of(
                account("alice-1", "alice", PHONE, true, true, true),
                account("alice-2", "alice", TABLET, true, false, true),
                account("bob-1", "bob", PHONE, true, true, false)));
    String alicePhone = "sip:alice@portal.test;gr=" + PHONE;
    String aliceTablet = "sip:alice@portal.test;gr=" + TABLET;
    assertThat(policy.offerMayCarryEvents(List.of(alicePhone))).isTrue();
    assertThat(policy.offerMayCarryEvents(List.of(alicePhone, aliceTablet))).isFalse();
    assertThat(policy.offerMayCarryEvents(List.of("sip:bob@portal.test")))
        .as("an address of record reaches devices without an account here")
        .isFalse();
    assertThat(policy.offerMayCarryEvents(List.of())).isFalse();

    assertThat(policy.deviceMayOpen("alice", Optional.of(PHONE))).isTrue();
    assertThat(policy.deviceMayOpen("alice", Optional.of(TABLET))).isFalse();
    assertThat(policy.deviceMayOpen("alice", Optional.empty())).isFalse();
    assertThat(policy.deviceMayOpen("carol", Optional.of(PHONE)))
        .as("another user's device instance")
        .isFalse();
    assertThat(
            policy.deviceMayOpen("alice", Optional.of("urn:uuid:" + java.util.UUID.randomUUID())))
        .isFalse();
  }

  @Test
  void only_the_accounts_own_user_with_the_right_passes() {
    AccessPolicy policy =
        policy(
            List.of("alice"),
            List.of(
                account("alice-1", "alice", PHONE, true, false, false),
                account("alice-2", "alice", TABLET, true, true, true)));
    assertThat(
            policy.check(
                "INVITE",
                List.of(URI),
                credentials(policy, "alice-1"),
                "alice",
                Optional.empty(),
                Need.CALL))
        .isInstanceOf(Verdict.Pass.class);
    assertThat(
            policy.check(
                "INVITE",
                List.of(URI),
                credentials(policy, "alice-1"),
                "bob",
                Optional.empty(),
                Need.CALL))
        .isInstanceOf(Verdict.Forbidden.class);
    assertThat(
            policy.check(
                "INVITE",
                List.of(URI),
                credentials(policy, "alice-1"),
                "alice",
                Optional.empty(),
                Need.OPEN_DOOR))
        .isInstanceOf(Verdict.Forbidden.class);
    // a door station's or ipgw's account is not an app account: challenged again
    assertThat(
            policy.check(
                "INVITE",
                List.of(URI),
                credentials(policy, "door1"),
                "alice",
                Optional.empty(),
                Need.CALL))
        .isInstanceOf(Verdict.Challenge.class);
    // gruu-only: only from its own device
    assertThat(
            policy.check(
                "INVITE",
                List.of(URI),
                credentials(policy, "alice-2"),
                "alice",
                Optional.of(PHONE),
                Need.OPEN_DOOR))
        .isInstanceOf(Verdict.Forbidden.class);
    assertThat(
            policy.check(
                "INVITE",
                List.of(URI),
                credentials(policy, "alice-2"),
                "alice",
                Optional.of(TABLET),
                Need.OPEN_DOOR))
        .isInstanceOf(Verdict.Pass.class);
  }

  @Test
  void a_phone_request_replayed_with_the_same_nonce_count_is_challenged_stale() {
    AccessPolicy policy =
        policy(List.of("alice"), List.of(account("alice-1", "alice", PHONE, true, false, false)));
    Optional<String> captured = credentials(policy, "alice-1");
    assertThat(policy.check("INVITE", List.of(URI), captured, "alice", Optional.empty(), Need.CALL))
        .isInstanceOf(Verdict.Pass.class);
    Verdict replay =
        policy.check("INVITE", List.of(URI), captured, "alice", Optional.empty(), Need.CALL);
    assertThat(replay).isInstanceOf(Verdict.Challenge.class);
    assertThat(((Verdict.Challenge) replay).headerValues())
        .allSatisfy(h -> assertThat(h).contains("stale=true"));
  }

  @Test
  void telephone_event_is_stripped_from_sdp() {
    String sdp =
        "v=0\r\nm=audio 4000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n";
    assertThat(Sdp.withoutTelephoneEvent(sdp))
        .isEqualTo("v=0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n");
  }
}
