package io.doorpair.portal.testing;

import static io.doorpair.portal.testing.StoreRecords.T0;
import static io.doorpair.portal.testing.StoreRecords.gateway;
import static io.doorpair.portal.testing.StoreRecords.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.doorpair.portal.store.AccessRequest;
import io.doorpair.portal.store.AccessRequest.Status;
import io.doorpair.portal.store.AccessStore;
import io.doorpair.portal.store.AccessStore.RequestOutcome;
import io.doorpair.portal.store.ApprovedAccount;
import io.doorpair.portal.store.CertificateRecord;
import io.doorpair.portal.store.ChannelItem;
import io.doorpair.portal.store.ChannelItem.Kind;
import io.doorpair.portal.store.GatewayRecord;
import io.doorpair.portal.store.GuestRecord;
import io.doorpair.portal.store.NewEvent;
import io.doorpair.portal.store.PortalStore;
import io.doorpair.portal.store.StoreConflictException;
import io.doorpair.portal.store.StoreException;
import io.doorpair.portal.store.StoredEvent;
import io.doorpair.portal.store.UserRecord;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every behaviour of an {@link AccessStore} (guests, access requests, push channels, events),
 * written once; {@link PortalStoreContract} extends it, and a backend's test runs both.
 */
public abstract class AccessStoreContract extends StoreContractSupport {

  private static final int MAX = 500;

  // ---------------------------------------------------------------- guests

  @Test
  void an_invited_guest_is_listed_and_sees_the_gateway() {
    GatewayRecord door = pair("alice");
    store().createUser(user("bob", T0));
    GuestRecord bob = new GuestRecord(door.domain(), "bob", T0.plusSeconds(1));

    assertThat(store().addGuest(bob)).isTrue();

    assertThat(store().listGuests(door.domain())).containsExactly(bob);
    assertThat(store().listGatewaysAsGuest("bob")).containsExactly(door);
    assertThat(store().listGatewaysAsGuest("alice")).isEmpty();
  }

  @Test
  void inviting_a_guest_again_returns_false_and_keeps_the_first_invitation() {
    GatewayRecord door = pair("alice");
    store().createUser(user("bob", T0));
    GuestRecord first = new GuestRecord(door.domain(), "bob", T0.plusSeconds(1));
    store().addGuest(first);

    assertThat(store().addGuest(new GuestRecord(door.domain(), "bob", T0.plusSeconds(9))))
        .isFalse();
    assertThat(store().listGuests(door.domain())).containsExactly(first);
  }

  @Test
  void guests_are_listed_by_username_and_gateways_by_invitation_time() {
    GatewayRecord door = pair("alice");
    GatewayRecord gate = pair("alice");
    GatewayRecord garage = pair("carol");
    for (String name : List.of("zoe", "bob", "a.b", "b0")) {
      store().createUser(user(name, T0));
    }
    store().addGuest(new GuestRecord(garage.domain(), "bob", T0.plusSeconds(1)));
    store().addGuest(new GuestRecord(door.domain(), "bob", T0.plusSeconds(3)));
    store().addGuest(new GuestRecord(gate.domain(), "bob", T0.plusSeconds(2)));
    for (String name : List.of("zoe", "a.b", "b0")) {
      store().addGuest(new GuestRecord(door.domain(), name, T0.plusSeconds(4)));
    }

    assertThat(store().listGuests(door.domain()))
        .extracting(GuestRecord::username)
        .containsExactly("a.b", "b0", "bob", "zoe");
    assertThat(store().listGatewaysAsGuest("bob")).containsExactly(garage, gate, door);
    assertThat(store().listGuests(records.domain())).isEmpty();
    assertThat(store().listGatewaysAsGuest("nobody")).isEmpty();
  }

  @Test
  void the_owner_an_unknown_user_and_an_unknown_gateway_cannot_be_invited() {
    GatewayRecord door = pair("alice");
    String unknown = records.domain();
    store().createUser(user("bob", T0));

    assertThatThrownBy(() -> store().addGuest(new GuestRecord(door.domain(), "alice", T0)))
        .isExactlyInstanceOf(StoreConflictException.class)
        .hasMessage("the owner of gateway " + door.domain() + " cannot be its guest");
    assertThatThrownBy(() -> store().addGuest(new GuestRecord(door.domain(), "ghost", T0)))
        .isExactlyInstanceOf(StoreConflictException.class)
        .hasMessage("no such user: ghost");
    assertThatThrownBy(() -> store().addGuest(new GuestRecord(unknown, "bob", T0)))
        .isExactlyInstanceOf(StoreConflictException.class)
        .hasMessage("no such gateway: " + unknown);
    assertThat(store().listGuests(door.domain())).isEmpty();
    assertThat(store().listGatewaysAsGuest("bob")).isEmpty();
  }

  static Stream<Arguments> malformedNames() {
    return Stream.of(
        Arguments.of("short domain", "abc", "bob"),
        Arguments.of("uppercase domain", "ABCDEFGHIJKL", "bob"),
        Arguments.of("domain with a dot", "abcdefghijk.", "bob"),
        Arguments.of("uppercase username", "abcdefghijkl", "Bob"),
        Arguments.of("empty username", "abcdefghijkl", ""),
        Arguments.of("username of 65 characters", "abcdefghijkl", "b".repeat(65)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedNames")
  void malformed_domains_and_usernames_are_refused(String why, String domain, String username) {
    assertThatThrownBy(() -> store().addGuest(new GuestRecord(domain, username, T0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().removeGuest(domain, username, T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().hasApprovedAccount(domain, username))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                store()
                    .findOrCreateRequest(
                        domain, username, UUID.randomUUID(), BigInteger.TEN, "pem", "name", T0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void removing_a_guest_voids_their_pending_requests_on_that_gateway_only() {
    GatewayRecord door = pair("alice");
    GatewayRecord gate = pair("alice");
    store().createUser(user("bob", T0));
    invite(door, "bob");
    invite(gate, "bob");
    CertificateRecord bobsPhone = phone("bob");
    CertificateRecord bobsTablet = phone("bob");
    CertificateRecord alicesPhone = phone("alice");
    AccessRequest pending = ask(door, bobsPhone).request();
    AccessRequest approved = ask(door, bobsTablet).request();
    store().approve(approved.id(), account(bobsTablet), T0.plusSeconds(5));
    AccessRequest elsewhere = ask(gate, bobsPhone).request();
    AccessRequest owners = ask(door, alicesPhone).request();
    Instant removedAt = T0.plusSeconds(30);

    Optional<List<AccessRequest>> voided = store().removeGuest(door.domain(), "bob", removedAt);

    assertThat(voided).isPresent();
    assertThat(voided.get())
        .extracting(AccessRequest::id, AccessRequest::status, AccessRequest::decidedAt)
        .containsExactly(tuple(pending.id(), Status.VOID, Optional.of(removedAt)));
    assertThat(store().findRequest(pending.id())).isEqualTo(Optional.of(voided.get().get(0)));
    assertThat(status(approved)).isEqualTo(Status.APPROVED);
    assertThat(status(elsewhere)).isEqualTo(Status.PENDING);
    assertThat(status(owners)).isEqualTo(Status.PENDING);
    assertThat(store().listGuests(door.domain())).isEmpty();
    assertThat(store().listGatewaysAsGuest("bob")).containsExactly(gate);
    assertThat(store().channelAfter(door.domain(), 0, MAX))
        .extracting(ChannelItem::seq, ChannelItem::kind, i -> i.request().id())
        .containsExactly(
            tuple(1L, Kind.NEW, pending.id()),
            tuple(2L, Kind.NEW, approved.id()),
            tuple(3L, Kind.NEW, owners.id()),
            tuple(4L, Kind.VOIDED, pending.id()));
    assertThat(store().channelHead(gate.domain())).isEqualTo(1);
  }

  @Test
  void removing_a_guest_without_pending_requests_voids_nothing() {
    GatewayRecord door = pair("alice");
    store().createUser(user("bob", T0));
    invite(door, "bob");

    assertThat(store().removeGuest(door.domain(), "bob", T0.plusSeconds(1))).contains(List.of());
    assertThat(store().channelHead(door.domain())).isZero();
  }

  @Test
  void removing_someone_who_is_not_a_guest_returns_empty() {
    GatewayRecord door = pair("alice");
    store().createUser(user("bob", T0));
    invite(door, "bob");
    store().removeGuest(door.domain(), "bob", T0.plusSeconds(1));

    assertThat(store().removeGuest(door.domain(), "bob", T0.plusSeconds(2))).isEmpty();
    assertThat(store().removeGuest(door.domain(), "alice", T0.plusSeconds(2))).isEmpty();
    assertThat(store().removeGuest(door.domain(), "ghost", T0.plusSeconds(2))).isEmpty();
    assertThat(store().removeGuest(records.domain(), "bob", T0.plusSeconds(2))).isEmpty();
  }

  @Test
  void a_removed_guest_can_no_longer_ask_and_an_invited_again_one_can() {
    GatewayRecord door = pair("alice");
    store().createUser(user("bob", T0));
    CertificateRecord bobsPhone = phone("bob");
    invite(door, "bob");
    AccessRequest first = ask(door, bobsPhone).request();
    store().removeGuest(door.domain(), "bob", T0.plusSeconds(1));

    assertThatThrownBy(() -> ask(door, bobsPhone))
        .isExactlyInstanceOf(StoreConflictException.class)
        .hasMessage("gateway " + door.domain() + " is not joinable for bob");

    invite(door, "bob");
    RequestOutcome again = ask(door, bobsPhone);
    assertThat(again.created()).isTrue();
    assertThat(again.request().id()).isNotEqualTo(first.id());
  }

  // ---------------------------------------------------------------- requests

  @Test
  void a_first_request_is_created_pending_with_a_new_channel_item() {
    GatewayRecord door = pair("alice");
    CertificateRecord phone = phone("alice");
    Instant at = T0.plusSeconds(7).plusNanos(123_456_789);

    RequestOutcome outcome = ask(store(), door, phone, at);

    assertThat(outcome.created()).isTrue();
    AccessRequest request = outcome.request();
    assertThat(request.id()).isPositive();
    assertThat(request)
        .isEqualTo(
            new AccessRequest(
                request.id(),
                door.domain(),
                "alice",
                phone.instance().orElseThrow(),
                phone.serial(),
                phone.pem(),
                phone.friendlyName(),
                Status.PENDING,
                Optional.empty(),
                T0.plusSeconds(7).plusMillis(123),
                Optional.empty()));
    assertThat(store().findRequest(request.id())).contains(request);
    assertThat(store().latestRequest(door.domain(), phone.owner(), phone.instance().orElseThrow()))
        .contains(request);
    assertThat(store().channelAfter(door.domain(), 0, MAX))
        .containsExactly(new ChannelItem(1, Kind.NEW, request));
    assertThat(store().channelHead(door.domain())).isEqualTo(1);
  }

  @Test
  void asking_again_returns_the_same_request_while_it_is_pending_or_approved() {
    GatewayRecord door = pair("alice");
    CertificateRecord phone = phone("alice");
    AccessRequest first = ask(door, phone).request();

    RequestOutcome again = ask(door, phone);
    assertThat(again.created()).isFalse();
    assertThat(again.request()).isEqualTo(first);

    AccessRequest approved =
        store().approve(first.id(), account(phone), T0.plusSeconds(5)).orElseThrow();
    RequestOutcome afterApproval = ask(door, phone);
    assertThat(afterApproval.created()).isFalse();
    assertThat(afterApproval.request()).isEqualTo(approved);
    assertThat(store().channelHead(door.domain())).isEqualTo(1);
  }

  @Test
  void a_renewed_certificate_of_the_same_device_gets_the_same_request() {
    GatewayRecord door = pair("alice");
    CertificateRecord phone = phone("alice");
    AccessRequest first = ask(door, phone).request();
    CertificateRecord renewed = records.renewalOf(phone, T0.plusSeconds(60));
    store().recordRenewal(phone.serial(), renewed);

    RequestOutcome again = ask(door, renewed);

    assertThat(again.created()).isFalse();
    assertThat(again.request()).isEqualTo(first);
  }

  @Test
  void after_a_denial_or_a_void_the_next_ask_makes_a_new_request() {
    GatewayRecord door = pair("alice");
    CertificateRecord phone = phone("alice");
    UUID instance = phone.instance().orElseThrow();
    AccessRequest first = ask(door, phone).request();
    store().deny(first.id(), T0.plusSeconds(1));

    RequestOutcome second = ask(door, phone);
    assertThat(second.created()).isTrue();
    assertThat(second.request().id()).isNotEqualTo(first.id());
    assertThat(store().latestRequest(door.domain(), "alice", instance)).contains(second.request());

    store().voidRequestsOf(phone.serial(), T0.plusSeconds(2));
    RequestOutcome third = ask(door, phone);
    assertThat(third.created()).isTrue();
    assertThat(store().latestRequest(door.domain(), "alice", instance)).contains(third.request());
    assertThat(store().findRequest(first.id()).orElseThrow().status()).isEqualTo(Status.DENIED);
    assertThat(store().findRequest(second.request().id()).orElseThrow().status())
        .isEqualTo(Status.VOID);
  }

  @Test
  void each_device_and_each_gateway_gets_its_own_request() {
    GatewayRecord door = pair("alice");
    GatewayRecord gate = pair("alice");
    CertificateRecord phone = phone("alice");
    CertificateRecord tablet = phone("alice");

    long a = ask(door, phone).request().id();
    long b = ask(door, tablet).request().id();
    long c = ask(gate, phone).request().id();

    assertThat(Set.of(a, b, c)).hasSize(3);
    assertThat(store().channelHead(door.domain())).isEqualTo(2);
    assertThat(store().channelHead(gate.domain())).isEqualTo(1);
    assertThat(store().latestRequest(gate.domain(), "alice", tablet.instance().orElseThrow()))
        .isEmpty();
  }

  @Test
  void two_users_of_one_device_instance_get_their_own_requests_and_never_see_the_other() {
    GatewayRecord door = pair("alice");
    store().createUser(user("bob", T0));
    invite(door, "bob");
    // A shared tablet: one app installation, one instance id, proposed in both users' CSRs.
    UUID shared = UUID.randomUUID();
    CertificateRecord alices = withInstance(records.appCertificate("alice", T0), shared);
    CertificateRecord bobs = withInstance(records.appCertificate("bob", T0), shared);
    store().recordCertificate(alices);
    store().recordCertificate(bobs);
    AccessRequest alicesRequest = ask(door, alices).request();
    store().approve(alicesRequest.id(), account(alices), T0.plusSeconds(1));

    assertThat(store().latestRequest(door.domain(), "bob", shared)).isEmpty();
    RequestOutcome bobsOutcome = ask(door, bobs);

    assertThat(bobsOutcome.created()).isTrue();
    assertThat(bobsOutcome.request().username()).isEqualTo("bob");
    assertThat(bobsOutcome.request().status()).isEqualTo(Status.PENDING);
    assertThat(store().latestRequest(door.domain(), "bob", shared)).contains(bobsOutcome.request());
    assertThat(store().latestRequest(door.domain(), "alice", shared).orElseThrow().id())
        .isEqualTo(alicesRequest.id());
    assertThat(ask(door, alices).request().status()).isEqualTo(Status.APPROVED);
  }

  @Test
  void a_request_needs_a_known_gateway_a_joinable_user_and_a_live_certificate_of_the_device() {
    GatewayRecord door = pair("alice");
    store().createUser(user("bob", T0));
    store().createUser(user("mallory", T0));
    invite(door, "bob");
    CertificateRecord bobsPhone = phone("bob");
    CertificateRecord mallorysPhone = phone("mallory");
    CertificateRecord revoked = phone("bob");
    store().revoke(revoked.serial(), T0.plusSeconds(1), "owner_revoked");
    CertificateRecord doorCertificate = store().listCertificatesOf("alice").get(0);
    String unknownDomain = records.domain();
    BigInteger unknownSerial = records.serial();
    UUID instance = bobsPhone.instance().orElseThrow();

    assertConflict(
        () -> ask(gateway(unknownDomain, "alice", T0), bobsPhone),
        "no such gateway: " + unknownDomain);
    assertConflict(
        () -> ask(door, mallorysPhone),
        "gateway " + door.domain() + " is not joinable for mallory");
    assertConflict(
        () -> request(door, "bob", instance, unknownSerial),
        "no such certificate: " + hex(unknownSerial));
    assertConflict(
        () -> ask(door, revoked), "certificate " + hex(revoked.serial()) + " is revoked");
    assertConflict(
        () -> request(door, "bob", instance, mallorysPhone.serial()),
        "certificate "
            + hex(mallorysPhone.serial())
            + " is not the app certificate of bob's device");
    assertConflict(
        () -> request(door, "bob", UUID.randomUUID(), bobsPhone.serial()),
        "certificate " + hex(bobsPhone.serial()) + " is not the app certificate of bob's device");
    assertConflict(
        () -> request(door, "alice", UUID.randomUUID(), doorCertificate.serial()),
        "certificate "
            + hex(doorCertificate.serial())
            + " is not the app certificate of alice's device");
    assertThat(store().channelHead(door.domain())).isZero();
    assertThat(store().latestRequest(door.domain(), "bob", instance)).isEmpty();
  }

  @Test
  void an_existing_request_is_not_returned_to_a_revoked_certificate() {
    GatewayRecord door = pair("alice");
    CertificateRecord phone = phone("alice");
    AccessRequest request = ask(door, phone).request();
    store().approve(request.id(), account(phone), T0.plusSeconds(1));
    store().revoke(phone.serial(), T0.plusSeconds(2), "owner_revoked");

    assertConflict(() -> ask(door, phone), "certificate " + hex(phone.serial()) + " is revoked");
  }

  static Stream<Arguments> malformedRequests() {
    return Stream.of(
        Arguments.of("blank certificate", " ", "Phone"),
        Arguments.of("certificate with NUL", "-----BEGIN\0", "Phone"),
        Arguments.of("certificate of 16385 characters", "x".repeat(16_385), "Phone"),
        Arguments.of("empty friendly name", "pem", ""),
        Arguments.of("friendly name of 257 characters", "pem", "x".repeat(257)),
        Arguments.of("friendly name with NUL", "pem", "Phone\0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedRequests")
  void malformed_requests_are_refused(String why, String pem, String friendlyName) {
    GatewayRecord door = pair("alice");
    CertificateRecord phone = phone("alice");

    assertThatThrownBy(
            () ->
                store()
                    .findOrCreateRequest(
                        door.domain(),
                        "alice",
                        phone.instance().orElseThrow(),
                        phone.serial(),
                        pem,
                        friendlyName,
                        T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store().channelHead(door.domain())).isZero();
  }

  @Test
  void unknown_requests_are_not_found() {
    GatewayRecord door = pair("alice");

    assertThat(store().findRequest(1)).isEmpty();
    assertThat(store().findRequest(-1)).isEmpty();
    assertThat(store().latestRequest(door.domain(), "alice", UUID.randomUUID())).isEmpty();
    assertThat(store().approve(42, account(phone("alice")), T0)).isEmpty();
    assertThat(store().deny(42, T0)).isEmpty();
  }

  @Test
  void a_pending_request_is_approved_once_and_then_neither_approved_nor_denied_again() {
    GatewayRecord door = pair("alice");
    CertificateRecord phone = phone("alice");
    AccessRequest pending = ask(door, phone).request();
    ApprovedAccount account = account(phone);
    Instant decidedAt = T0.plusSeconds(10).plusNanos(999_999);

    Optional<AccessRequest> approved = store().approve(pending.id(), account, decidedAt);

    assertThat(approved)
        .contains(
            new AccessRequest(
                pending.id(),
                pending.domain(),
                pending.username(),
                pending.instance(),
                pending.serial(),
                pending.certificatePem(),
                pending.friendlyName(),
                Status.APPROVED,
                Optional.of(account),
                pending.createdAt(),
                Optional.of(T0.plusSeconds(10))));
    ApprovedAccount other = new ApprovedAccount("other", "AAAA", account.gruu());
    assertThat(store().approve(pending.id(), other, T0.plusSeconds(11))).isEmpty();
    assertThat(store().deny(pending.id(), T0.plusSeconds(12))).isEmpty();
    assertThat(store().voidRequestsOf(phone.serial(), T0.plusSeconds(13))).isEmpty();
    assertThat(store().findRequest(pending.id())).isEqualTo(approved);
    assertThat(store().channelHead(door.domain())).isEqualTo(1);
  }

  @Test
  void a_pending_request_is_denied_once_and_then_neither_approved_nor_denied_again() {
    GatewayRecord door = pair("alice");
    CertificateRecord phone = phone("alice");
    AccessRequest pending = ask(door, phone).request();

    Optional<AccessRequest> denied = store().deny(pending.id(), T0.plusSeconds(10));

    assertThat(denied).isPresent();
    assertThat(denied.get().status()).isEqualTo(Status.DENIED);
    assertThat(denied.get().account()).isEmpty();
    assertThat(denied.get().decidedAt()).contains(T0.plusSeconds(10));
    assertThat(store().approve(pending.id(), account(phone), T0.plusSeconds(11))).isEmpty();
    assertThat(store().deny(pending.id(), T0.plusSeconds(12))).isEmpty();
    assertThat(store().findRequest(pending.id())).isEqualTo(denied);
  }

  @Test
  void a_voided_request_can_be_neither_approved_nor_denied() {
    GatewayRecord door = pair("alice");
    CertificateRecord phone = phone("alice");
    AccessRequest pending = ask(door, phone).request();
    store().voidRequestsOf(phone.serial(), T0.plusSeconds(1));

    assertThat(store().approve(pending.id(), account(phone), T0.plusSeconds(2))).isEmpty();
    assertThat(store().deny(pending.id(), T0.plusSeconds(2))).isEmpty();
    assertThat(status(pending)).isEqualTo(Status.VOID);
  }

  @Test
  void the_gateway_voids_an_approved_request_and_its_account_is_erased() {
    GatewayRecord door = pair("alice");
    CertificateRecord phone = phone("alice");
    AccessRequest pending = ask(door, phone).request();
    store().approve(pending.id(), account(phone), T0.plusSeconds(10));

    Optional<AccessRequest> voided = store().voidAtGateway(pending.id(), T0.plusSeconds(20));

    assertThat(voided).isPresent();
    assertThat(voided.get().status()).isEqualTo(Status.VOID);
    assertThat(voided.get().account()).isEmpty();
    assertThat(voided.get().decidedAt()).contains(T0.plusSeconds(20));
    assertThat(store().findRequest(pending.id())).isEqualTo(voided);
    assertThat(store().voidAtGateway(pending.id(), T0.plusSeconds(21))).isEmpty();
    assertThat(store().approve(pending.id(), account(phone), T0.plusSeconds(22))).isEmpty();
    assertThat(store().channelHead(door.domain())).isEqualTo(1);
    assertThat(store().hasApprovedAccount(door.domain(), "alice")).isFalse();
    assertThat(ask(door, phone).created()).isTrue();
  }

  @Test
  void the_gateway_voids_a_pending_request_but_never_a_denied_one() {
    GatewayRecord door = pair("alice");
    CertificateRecord phone = phone("alice");
    AccessRequest first = ask(door, phone).request();
    assertThat(store().voidAtGateway(first.id(), T0.plusSeconds(1)).map(AccessRequest::status))
        .contains(Status.VOID);
    AccessRequest second = ask(door, phone).request();
    store().deny(second.id(), T0.plusSeconds(2));

    assertThat(store().voidAtGateway(second.id(), T0.plusSeconds(3))).isEmpty();
    assertThat(status(second)).isEqualTo(Status.DENIED);
    assertThat(store().voidAtGateway(424242, T0)).isEmpty();
  }

  static Stream<Arguments> malformedAccounts() {
    String gruu = "sip:alice@portal.example.com;gr=urn:uuid:" + UUID.randomUUID();
    String ciphertext = Base64.getEncoder().encodeToString(new byte[256]);
    return Stream.of(
        Arguments.of("empty SIP username", new ApprovedAccount("", ciphertext, gruu)),
        Arguments.of("SIP username with @", new ApprovedAccount("a@b", ciphertext, gruu)),
        Arguments.of("SIP username of 65", new ApprovedAccount("a".repeat(65), ciphertext, gruu)),
        Arguments.of("empty ciphertext", new ApprovedAccount("alice-1", "", gruu)),
        Arguments.of("base64url ciphertext", new ApprovedAccount("alice-1", "ab-_", gruu)),
        Arguments.of("unpadded ciphertext", new ApprovedAccount("alice-1", "YWI", gruu)),
        Arguments.of("ciphertext with a newline", new ApprovedAccount("a", "YWJj\nZGVm", gruu)),
        Arguments.of(
            "ciphertext of 1028", new ApprovedAccount("alice-1", "AAAA".repeat(257), gruu)),
        Arguments.of("gruu without sip:", new ApprovedAccount("alice-1", ciphertext, "alice")),
        Arguments.of("gruu with a space", new ApprovedAccount("alice-1", ciphertext, "sip:a b")),
        Arguments.of("sips gruu", new ApprovedAccount("alice-1", ciphertext, "sips:a@b")),
        Arguments.of(
            "gruu of 513", new ApprovedAccount("alice-1", ciphertext, "sip:" + "a".repeat(509))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedAccounts")
  void malformed_accounts_are_refused_and_the_request_stays_pending(
      String why, ApprovedAccount account) {
    GatewayRecord door = pair("alice");
    AccessRequest pending = ask(door, phone("alice")).request();

    assertThatThrownBy(() -> store().approve(pending.id(), account, T0.plusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(
            e -> {
              if (account.encryptedPassword().length() > 2) {
                assertThat(e.getMessage()).doesNotContain(account.encryptedPassword());
              }
            });
    assertThat(status(pending)).isEqualTo(Status.PENDING);
  }

  @Test
  void voiding_a_serial_voids_its_pending_requests_on_every_gateway_and_nothing_else() {
    GatewayRecord door = pair("alice");
    GatewayRecord gate = pair("alice");
    GatewayRecord garage = pair("alice");
    CertificateRecord stolen = phone("alice");
    CertificateRecord kept = phone("alice");
    AccessRequest onDoor = ask(door, stolen).request();
    AccessRequest onGate = ask(gate, stolen).request();
    AccessRequest approved = ask(garage, stolen).request();
    store().approve(approved.id(), account(stolen), T0.plusSeconds(1));
    AccessRequest other = ask(door, kept).request();
    Instant at = T0.plusSeconds(20);

    List<AccessRequest> voided = store().voidRequestsOf(stolen.serial(), at);

    List<String> domains = new ArrayList<>(List.of(door.domain(), gate.domain()));
    domains.sort(null);
    assertThat(voided)
        .extracting(AccessRequest::domain, AccessRequest::status, AccessRequest::decidedAt)
        .containsExactly(
            tuple(domains.get(0), Status.VOID, Optional.of(at)),
            tuple(domains.get(1), Status.VOID, Optional.of(at)));
    assertThat(voided).extracting(AccessRequest::id).containsOnly(onDoor.id(), onGate.id());
    assertThat(status(approved)).isEqualTo(Status.APPROVED);
    assertThat(status(other)).isEqualTo(Status.PENDING);
    assertThat(store().channelAfter(door.domain(), 2, MAX))
        .extracting(ChannelItem::seq, ChannelItem::kind, i -> i.request().id())
        .containsExactly(tuple(3L, Kind.VOIDED, onDoor.id()));
    assertThat(store().channelAfter(gate.domain(), 1, MAX))
        .extracting(ChannelItem::kind, i -> i.request().id())
        .containsExactly(tuple(Kind.VOIDED, onGate.id()));
    assertThat(store().channelHead(garage.domain())).isEqualTo(1);
    assertThat(store().voidRequestsOf(stolen.serial(), at.plusSeconds(1))).isEmpty();
    assertThat(store().voidRequestsOf(records.serial(), at)).isEmpty();
  }

  @Test
  void has_approved_account_is_true_only_for_an_approved_request_of_that_user_and_gateway() {
    GatewayRecord door = pair("alice");
    GatewayRecord gate = pair("alice");
    store().createUser(user("bob", T0));
    invite(door, "bob");
    CertificateRecord bobsPhone = phone("bob");
    AccessRequest request = ask(door, bobsPhone).request();

    assertThat(store().hasApprovedAccount(door.domain(), "bob")).isFalse();
    store().approve(request.id(), account(bobsPhone), T0.plusSeconds(1));

    assertThat(store().hasApprovedAccount(door.domain(), "bob")).isTrue();
    assertThat(store().hasApprovedAccount(gate.domain(), "bob")).isFalse();
    assertThat(store().hasApprovedAccount(door.domain(), "alice")).isFalse();
    store().revoke(bobsPhone.serial(), T0.plusSeconds(2), "owner_revoked");
    store().removeGuest(door.domain(), "bob", T0.plusSeconds(3));
    assertThat(store().hasApprovedAccount(door.domain(), "bob")).isTrue();
  }

  @Test
  void the_database_allows_one_live_request_per_instance_and_gateway_and_no_account_unapproved()
      throws Exception {
    GatewayRecord door = pair("alice");
    AccessRequest pending = ask(door, phone("alice")).request();
    String copy =
        "INSERT INTO access_requests (domain, username, instance, serial, certificate_pem,"
            + " friendly_name, status, sip_username, created_at, decided_at)"
            + " SELECT domain, username, instance, serial, certificate_pem, friendly_name, %s"
            + " FROM access_requests WHERE id = "
            + pending.id();

    try (Connection c = rawConnection();
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeUpdate(String.format(copy, "'pending', NULL, 0, NULL")))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> s.executeUpdate(String.format(copy, "'approved', NULL, 0, 1")))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> s.executeUpdate(String.format(copy, "'denied', 'x', 0, 1")))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> s.executeUpdate(String.format(copy, "'denied', NULL, 0, NULL")))
          .isInstanceOf(SQLException.class);
      assertThat(s.executeUpdate(String.format(copy, "'denied', NULL, 0, 1"))).isEqualTo(1);
    }
  }

  // ---------------------------------------------------------------- channel

  @Test
  void channel_items_come_after_the_cursor_in_seq_order_at_most_limit() {
    GatewayRecord door = pair("alice");
    List<CertificateRecord> phones = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      CertificateRecord phone = phone("alice");
      phones.add(phone);
      ids.add(ask(door, phone).request().id());
    }
    store().voidRequestsOf(phones.get(1).serial(), T0.plusSeconds(1));

    List<ChannelItem> all = store().channelAfter(door.domain(), 0, MAX);
    assertThat(all)
        .extracting(ChannelItem::seq, ChannelItem::kind, i -> i.request().id())
        .containsExactly(
            tuple(1L, Kind.NEW, ids.get(0)),
            tuple(2L, Kind.NEW, ids.get(1)),
            tuple(3L, Kind.NEW, ids.get(2)),
            tuple(4L, Kind.NEW, ids.get(3)),
            tuple(5L, Kind.NEW, ids.get(4)),
            tuple(6L, Kind.VOIDED, ids.get(1)));
    // A NEW item carries the request as it is now.
    assertThat(all.get(1).request().status()).isEqualTo(Status.VOID);
    assertThat(store().channelAfter(door.domain(), 2, 3))
        .extracting(ChannelItem::seq)
        .containsExactly(3L, 4L, 5L);
    assertThat(store().channelAfter(door.domain(), 5, 1))
        .extracting(ChannelItem::seq)
        .containsExactly(6L);
    assertThat(store().channelAfter(door.domain(), 6, MAX)).isEmpty();
    assertThat(store().channelAfter(door.domain(), 1_000, MAX)).isEmpty();
    assertThat(store().channelHead(door.domain())).isEqualTo(6);
  }

  @Test
  void an_unknown_gateway_has_an_empty_channel_and_no_events() {
    String unknown = records.domain();

    assertThat(store().channelAfter(unknown, 0, MAX)).isEmpty();
    assertThat(store().channelHead(unknown)).isZero();
    assertThat(store().eventsAfter(unknown, 0, MAX)).isEmpty();
    assertThat(store().eventHead(unknown)).isZero();
  }

  @Test
  void limits_cursors_and_domains_are_checked_on_reads() {
    String domain = pair("alice").domain();

    for (int limit : new int[] {0, -1, 501}) {
      assertThatThrownBy(() -> store().channelAfter(domain, 0, limit))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("limit must be 1-500");
      assertThatThrownBy(() -> store().eventsAfter(domain, 0, limit))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("limit must be 1-500");
    }
    assertThatThrownBy(() -> store().channelAfter(domain, -1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cursor must not be negative");
    assertThatThrownBy(() -> store().eventsAfter(domain, -1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cursor must not be negative");
    for (String bad : List.of("", "short", domain.toUpperCase(Locale.ROOT))) {
      assertThatThrownBy(() -> store().channelHead(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("domain must be 12 characters of [a-z0-9]");
      assertThatThrownBy(() -> store().eventHead(bad)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store().listGuests(bad))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store().latestRequest(bad, "alice", UUID.randomUUID()))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(store().channelAfter(domain, 0, 500)).isEmpty();
    assertThat(store().channelAfter(domain, Long.MAX_VALUE, 1)).isEmpty();
  }

  // ---------------------------------------------------------------- events

  @Test
  void events_are_stored_in_the_given_order_with_seqs_from_one() {
    GatewayRecord door = pair("alice");
    NewEvent answered =
        new NewEvent("call:7", "journal", T0.plusNanos(1_500_000), "{\"call\":\"answered\"}");
    NewEvent renamed =
        new NewEvent("T.1", "topology", T0.minusSeconds(60), "{ \"name\" : \"Portail\" }");
    NewEvent acl = new NewEvent("a-1_x", "acl", T0, "{\"user\":\"bob\"}");
    NewEvent accounts = new NewEvent("acct-1", "accounts", T0, "{}");
    Instant receivedAt = T0.plusSeconds(5);

    assertThat(store().appendEvents(door.domain(), List.of(renamed, answered, acl), receivedAt))
        .isEqualTo(3);
    assertThat(store().appendEvents(door.domain(), List.of(accounts), receivedAt)).isEqualTo(1);

    assertThat(store().eventsAfter(door.domain(), 0, MAX))
        .containsExactly(
            new StoredEvent(door.domain(), 1, renamed, receivedAt),
            new StoredEvent(
                door.domain(),
                2,
                new NewEvent("call:7", "journal", T0.plusMillis(1), answered.payloadJson()),
                receivedAt),
            new StoredEvent(door.domain(), 3, acl, receivedAt),
            new StoredEvent(door.domain(), 4, accounts, receivedAt));
    assertThat(store().eventHead(door.domain())).isEqualTo(4);
  }

  @Test
  void a_batch_posted_again_stores_nothing_new() {
    GatewayRecord door = pair("alice");
    List<NewEvent> batch = events("e", 0, 10);
    store().appendEvents(door.domain(), batch, T0);

    assertThat(store().appendEvents(door.domain(), batch, T0.plusSeconds(1))).isZero();

    assertThat(store().eventHead(door.domain())).isEqualTo(10);
    assertThat(store().eventsAfter(door.domain(), 0, MAX))
        .extracting(StoredEvent::receivedAt)
        .containsOnly(T0);
  }

  @Test
  void only_the_new_events_of_a_batch_are_stored_and_the_first_of_a_repeated_id_wins() {
    GatewayRecord door = pair("alice");
    store().appendEvents(door.domain(), events("e", 0, 3), T0);
    NewEvent first = new NewEvent("x", "journal", T0, "{\"first\":true}");
    NewEvent second = new NewEvent("x", "acl", T0, "{\"first\":false}");
    List<NewEvent> batch =
        List.of(event("e1"), event("n1"), first, event("e0"), second, event("n2"), event("n1"));

    assertThat(store().appendEvents(door.domain(), batch, T0.plusSeconds(1))).isEqualTo(3);

    assertThat(store().eventsAfter(door.domain(), 3, MAX))
        .extracting(StoredEvent::seq, e -> e.event().eventId(), e -> e.event().payloadJson())
        .containsExactly(
            tuple(4L, "n1", event("n1").payloadJson()),
            tuple(5L, "x", "{\"first\":true}"),
            tuple(6L, "n2", event("n2").payloadJson()));
  }

  @Test
  void event_ids_and_seqs_belong_to_one_gateway() {
    GatewayRecord door = pair("alice");
    GatewayRecord gate = pair("alice");
    store().appendEvents(door.domain(), events("e", 0, 3), T0);

    assertThat(store().appendEvents(gate.domain(), events("e", 0, 2), T0)).isEqualTo(2);

    assertThat(store().eventsAfter(gate.domain(), 0, MAX))
        .extracting(StoredEvent::domain, StoredEvent::seq, e -> e.event().eventId())
        .containsExactly(tuple(gate.domain(), 1L, "e0"), tuple(gate.domain(), 2L, "e1"));
    assertThat(store().eventHead(door.domain())).isEqualTo(3);
    assertThat(store().eventHead(gate.domain())).isEqualTo(2);
  }

  @Test
  void events_come_after_the_seq_in_order_at_most_limit() {
    GatewayRecord door = pair("alice");
    store().appendEvents(door.domain(), events("e", 0, 100), T0);
    store().appendEvents(door.domain(), events("e", 100, 100), T0);

    assertThat(store().eventsAfter(door.domain(), 0, MAX))
        .extracting(StoredEvent::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
    assertThat(store().eventsAfter(door.domain(), 150, 3))
        .extracting(StoredEvent::seq, e -> e.event().eventId())
        .containsExactly(tuple(151L, "e150"), tuple(152L, "e151"), tuple(153L, "e152"));
    assertThat(store().eventsAfter(door.domain(), 199, MAX)).hasSize(1);
    assertThat(store().eventsAfter(door.domain(), 200, MAX)).isEmpty();
  }

  @Test
  void a_payload_of_exactly_4096_utf8_bytes_is_stored_byte_for_byte() {
    GatewayRecord door = pair("alice");
    String payload = "{\"x\":\"" + "é".repeat(2044) + "\"}";
    assertThat(payload.getBytes(StandardCharsets.UTF_8)).hasSize(4096);
    NewEvent event = new NewEvent("big", "journal", T0, payload);

    assertThat(store().appendEvents(door.domain(), List.of(event), T0)).isEqualTo(1);

    assertThat(store().eventsAfter(door.domain(), 0, 1).get(0).event()).isEqualTo(event);
  }

  static Stream<Arguments> malformedBatches() {
    String payload4097 = "{\"x\":\"" + "é".repeat(2044) + "\"} ";
    return Stream.of(
        Arguments.of("empty batch", List.of()),
        Arguments.of("101 events", events("e", 0, 101)),
        Arguments.of("empty id", batchWith(new NewEvent("", "journal", T0, "{}"))),
        Arguments.of("id of 65", batchWith(new NewEvent("x".repeat(65), "journal", T0, "{}"))),
        Arguments.of("id with a space", batchWith(new NewEvent("a b", "journal", T0, "{}"))),
        Arguments.of("id with a slash", batchWith(new NewEvent("a/b", "journal", T0, "{}"))),
        Arguments.of("unknown kind", batchWith(new NewEvent("k", "door", T0, "{}"))),
        Arguments.of("uppercase kind", batchWith(new NewEvent("k", "ACL", T0, "{}"))),
        Arguments.of("payload of 4097", batchWith(new NewEvent("p", "journal", T0, payload4097))),
        Arguments.of("blank payload", batchWith(new NewEvent("p", "journal", T0, " "))),
        Arguments.of("payload with NUL", batchWith(new NewEvent("p", "journal", T0, "{\0}"))),
        Arguments.of(
            "instant beyond milliseconds", batchWith(new NewEvent("t", "acl", Instant.MAX, "{}"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedBatches")
  void a_malformed_event_refuses_the_whole_batch(String why, List<NewEvent> batch) {
    GatewayRecord door = pair("alice");

    assertThatThrownBy(() -> store().appendEvents(door.domain(), batch, T0))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(store().eventHead(door.domain())).isZero();
    assertThat(store().eventsAfter(door.domain(), 0, MAX)).isEmpty();
  }

  @Test
  void events_of_an_unknown_gateway_are_a_conflict() {
    String unknown = records.domain();

    assertThatThrownBy(() -> store().appendEvents(unknown, List.of(event("e")), T0))
        .isExactlyInstanceOf(StoreConflictException.class)
        .hasMessage("no such gateway: " + unknown);
  }

  // ---------------------------------------------------------------- deleted users

  @Test
  void deleting_a_user_removes_their_invitations_and_voids_their_pending_requests() {
    GatewayRecord door = pair("alice");
    GatewayRecord gate = pair("alice");
    store().createUser(user("bob", T0));
    invite(door, "bob");
    invite(gate, "bob");
    CertificateRecord bobsPhone = phone("bob");
    AccessRequest pending = ask(door, bobsPhone).request();
    AccessRequest approved = ask(gate, bobsPhone).request();
    store().approve(approved.id(), account(bobsPhone), T0.plusSeconds(1));
    Instant deletedAt = T0.plusSeconds(10);

    assertThat(store().deleteUser("bob", deletedAt)).isTrue();

    assertThat(store().listGuests(door.domain())).isEmpty();
    assertThat(store().listGatewaysAsGuest("bob")).isEmpty();
    assertThat(store().findRequest(pending.id()).orElseThrow().status()).isEqualTo(Status.VOID);
    assertThat(store().findRequest(pending.id()).orElseThrow().decidedAt()).contains(deletedAt);
    assertThat(status(approved)).isEqualTo(Status.APPROVED);
    assertThat(store().channelAfter(door.domain(), 1, MAX))
        .extracting(ChannelItem::kind, i -> i.request().id())
        .containsExactly(tuple(Kind.VOIDED, pending.id()));
    assertThat(store().channelHead(gate.domain())).isEqualTo(1);
  }

  @Test
  void a_new_user_with_a_deleted_guests_name_is_nobodys_guest() {
    GatewayRecord door = pair("alice");
    store().createUser(user("bob", T0));
    invite(door, "bob");
    store().deleteUser("bob", T0.plusSeconds(1));

    store().createUser(user("bob", "new", T0.plusSeconds(2)));

    assertThat(store().listGatewaysAsGuest("bob")).isEmpty();
    assertThat(store().listGuests(door.domain())).isEmpty();
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void concurrent_asks_of_one_device_on_one_gateway_create_exactly_one_request() throws Exception {
    PortalStore second = open();
    GatewayRecord door = pair("alice");
    CertificateRecord phone = phone("alice");

    List<Object> outcomes =
        race(i -> () -> ask(i % 2 == 0 ? store() : second, door, phone, T0.plusMillis(i)));

    assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(RequestOutcome.class));
    List<RequestOutcome> results = outcomes.stream().map(RequestOutcome.class::cast).toList();
    assertThat(results).filteredOn(RequestOutcome::created).hasSize(1);
    assertThat(results)
        .extracting(r -> r.request().id())
        .containsOnly(results.get(0).request().id());
    assertThat(store().channelAfter(door.domain(), 0, MAX)).hasSize(1);
    assertThat(second.channelHead(door.domain())).isEqualTo(1);
  }

  @Test
  void of_approvals_denials_and_voids_racing_for_a_request_exactly_one_succeeds() throws Exception {
    PortalStore second = open();
    GatewayRecord door = pair("alice");
    CertificateRecord phone = phone("alice");
    AccessRequest pending = ask(door, phone).request();
    ApprovedAccount account = account(phone);

    List<Object> outcomes =
        race(
            i -> {
              PortalStore target = i % 2 == 0 ? store() : second;
              Instant at = T0.plusSeconds(1 + i);
              switch (i % 3) {
                case 0:
                  return () -> target.approve(pending.id(), account, at).map(r -> "approved");
                case 1:
                  return () -> target.deny(pending.id(), at).map(r -> "denied");
                default:
                  return () ->
                      target.voidRequestsOf(phone.serial(), at).stream()
                          .findFirst()
                          .map(r -> "void");
              }
            });

    assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(Optional.class));
    List<Object> winners =
        outcomes.stream()
            .map(o -> (Optional<?>) o)
            .flatMap(Optional::stream)
            .collect(Collectors.toList());
    assertThat(winners).hasSize(1);
    AccessRequest decided = store().findRequest(pending.id()).orElseThrow();
    assertThat(decided.status().name().toLowerCase(Locale.ROOT)).isEqualTo(winners.get(0));
    assertThat(store().channelHead(door.domain()))
        .isEqualTo(decided.status() == Status.VOID ? 2 : 1);
  }

  @Test
  void a_guest_removed_while_their_devices_ask_is_left_with_no_pending_request() throws Exception {
    PortalStore second = open();
    GatewayRecord door = pair("alice");
    store().createUser(user("bob", T0));
    invite(door, "bob");
    List<CertificateRecord> phones = new ArrayList<>();
    for (int i = 0; i < RACERS; i++) {
      phones.add(phone("bob"));
    }

    List<Object> outcomes =
        race(
            i -> {
              PortalStore target = i % 2 == 0 ? store() : second;
              if (i == RACERS / 2) {
                return () -> target.removeGuest(door.domain(), "bob", T0.plusSeconds(1));
              }
              return () -> ask(target, door, phones.get(i), T0.plusMillis(i));
            });

    assertThat(outcomes)
        .allSatisfy(
            o ->
                assertThat(o)
                    .isInstanceOfAny(
                        RequestOutcome.class, Optional.class, StoreConflictException.class));
    for (CertificateRecord phone : phones) {
      assertNotPending(door, phone);
    }
    assertChannelIsGapless(door.domain());
  }

  @Test
  void a_certificate_revoked_while_its_device_asks_is_left_with_no_pending_request()
      throws Exception {
    PortalStore second = open();
    GatewayRecord door = pair("alice");
    GatewayRecord gate = pair("alice");
    CertificateRecord phone = phone("alice");

    List<Object> outcomes =
        race(
            i -> {
              PortalStore target = i % 2 == 0 ? store() : second;
              if (i == 0) {
                return () -> {
                  target.revoke(phone.serial(), T0.plusSeconds(1), "owner_revoked");
                  return target.voidRequestsOf(phone.serial(), T0.plusSeconds(1));
                };
              }
              return () -> ask(target, i % 3 == 0 ? gate : door, phone, T0.plusMillis(i));
            });

    assertThat(outcomes)
        .allSatisfy(
            o ->
                assertThat(o)
                    .isInstanceOfAny(
                        RequestOutcome.class, List.class, StoreConflictException.class));
    for (GatewayRecord gateway : List.of(door, gate)) {
      assertNotPending(gateway, phone);
      assertChannelIsGapless(gateway.domain());
    }
  }

  @Test
  void
      deleting_a_user_while_they_are_removed_invited_and_asking_neither_deadlocks_nor_leaves_a_pending_request()
          throws Exception {
    PortalStore second = open();
    List<GatewayRecord> gateways = List.of(pair("alice"), pair("alice"), pair("carol"));
    store().createUser(user("bob", T0));
    List<CertificateRecord> phones = new ArrayList<>();
    for (GatewayRecord gateway : gateways) {
      invite(gateway, "bob");
      phones.add(phone("bob"));
    }

    List<Object> outcomes =
        race(
            i -> {
              PortalStore target = i % 2 == 0 ? store() : second;
              GatewayRecord gateway = gateways.get(i % gateways.size());
              switch (i) {
                case 0:
                  return () -> target.deleteUser("bob", T0.plusSeconds(1));
                case 1:
                  return () -> target.removeGuest(gateway.domain(), "bob", T0.plusSeconds(1));
                case 2:
                  return () ->
                      target.addGuest(new GuestRecord(gateway.domain(), "bob", T0.plusSeconds(1)));
                default:
                  return () ->
                      ask(target, gateway, phones.get(i % phones.size()), T0.plusMillis(i));
              }
            });

    assertThat(outcomes).allSatisfy(o -> assertThat(o).isNotInstanceOf(StoreException.class));
    assertThat(store().findUser("bob")).isEmpty();
    assertThat(store().listGatewaysAsGuest("bob")).isEmpty();
    for (GatewayRecord gateway : gateways) {
      for (CertificateRecord phone : phones) {
        assertNotPending(gateway, phone);
      }
      assertChannelIsGapless(gateway.domain());
    }
  }

  @Test
  void concurrent_posts_of_one_batch_store_each_event_once_with_gapless_seqs() throws Exception {
    PortalStore second = open();
    GatewayRecord door = pair("alice");
    List<NewEvent> batch = events("e", 0, 20);

    List<Object> outcomes =
        race(i -> () -> (i % 2 == 0 ? store() : second).appendEvents(door.domain(), batch, T0));

    assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(Integer.class));
    assertThat(outcomes.stream().mapToInt(o -> (Integer) o).sum()).isEqualTo(20);
    assertThat(outcomes).filteredOn(o -> (Integer) o == 20).hasSize(1);
    assertThat(store().eventsAfter(door.domain(), 0, MAX))
        .extracting(StoredEvent::seq, e -> e.event().eventId())
        .containsExactlyElementsOf(
            IntStream.range(0, 20).mapToObj(i -> tuple((long) i + 1, "e" + i)).toList());
  }

  @Test
  void concurrent_overlapping_batches_store_each_event_once_with_gapless_seqs() throws Exception {
    PortalStore second = open();
    GatewayRecord door = pair("alice");

    // Racer i posts e(5i) ... e(5i+9): each overlaps its neighbours by five.
    List<Object> outcomes =
        race(
            i ->
                () ->
                    (i % 2 == 0 ? store() : second)
                        .appendEvents(door.domain(), events("e", 5 * i, 10), T0));

    int distinct = 5 * (RACERS - 1) + 10;
    assertThat(outcomes.stream().mapToInt(o -> (Integer) o).sum()).isEqualTo(distinct);
    List<StoredEvent> stored = store().eventsAfter(door.domain(), 0, MAX);
    assertThat(stored)
        .extracting(StoredEvent::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, distinct).boxed().toList());
    assertThat(stored.stream().map(e -> e.event().eventId()).collect(Collectors.toSet()))
        .hasSize(distinct);
    assertThat(store().eventHead(door.domain())).isEqualTo(distinct);
  }

  @Test
  void a_reader_following_the_channel_while_requests_are_made_never_skips_a_seq() throws Exception {
    GatewayRecord door = pair("alice");
    int writers = 4;
    int perWriter = 6;
    List<CertificateRecord> phones = new ArrayList<>();
    for (int i = 0; i < writers * perWriter; i++) {
      phones.add(phone("alice"));
    }
    List<PortalStore> writerStores = List.of(store(), open());
    PortalStore reader = open();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int first = w * perWriter;
        PortalStore target = writerStores.get(w % 2);
        done.add(
            pool.submit(
                () -> {
                  for (int i = first; i < first + perWriter; i++) {
                    ask(target, door, phones.get(i), T0.plusMillis(i));
                  }
                  return null;
                }));
      }

      List<Long> seen = follow(reader::channelAfter, ChannelItem::seq, door, phones.size());

      for (Future<?> each : done) {
        each.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
      }
      assertThat(seen)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, phones.size()).boxed().toList());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_reader_following_the_events_while_batches_are_posted_never_skips_a_seq() throws Exception {
    GatewayRecord door = pair("alice");
    int writers = 4;
    int batches = 5;
    List<PortalStore> writerStores = List.of(store(), open());
    PortalStore reader = open();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String prefix = "w" + w + "-";
        PortalStore target = writerStores.get(w % 2);
        done.add(
            pool.submit(
                () -> {
                  for (int b = 0; b < batches; b++) {
                    target.appendEvents(door.domain(), events(prefix, 3 * b, 3), T0);
                  }
                  return null;
                }));
      }
      int total = writers * batches * 3;

      List<Long> seen = follow(reader::eventsAfter, StoredEvent::seq, door, total);

      for (Future<?> each : done) {
        each.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
      }
      assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
      // Each writer's events keep the order it posted them in.
      List<String> ids =
          store().eventsAfter(door.domain(), 0, MAX).stream()
              .map(e -> e.event().eventId())
              .toList();
      for (int w = 0; w < writers; w++) {
        String prefix = "w" + w + "-";
        assertThat(ids.stream().filter(id -> id.startsWith(prefix)).toList())
            .containsExactlyElementsOf(
                events(prefix, 0, batches * 3).stream().map(NewEvent::eventId).toList());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- schema

  @Test
  void a_version_1_database_is_migrated_and_keeps_its_data() throws Exception {
    UserRecord alice = user("alice", T0);
    UserRecord bob = user("bob", T0);
    GatewayRecord door = gateway(records.domain(), "alice", T0);
    CertificateRecord doorCertificate = records.gatewayCertificate(door);
    CertificateRecord bobsPhone = records.appCertificate("bob", T0.plusSeconds(1));
    CertificateRecord lost = records.appCertificate("bob", T0.plusSeconds(2));
    createVersion1Database();
    try (Connection c = rawConnection()) {
      insertVersion1User(c, alice);
      insertVersion1User(c, bob);
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO gateways (domain, owner, friendly_name, paired_at)"
                  + " VALUES (?, ?, ?, ?)")) {
        insert.setString(1, door.domain());
        insert.setString(2, door.owner());
        insert.setString(3, door.friendlyName());
        insert.setLong(4, door.pairedAt().toEpochMilli());
        insert.executeUpdate();
      }
      for (CertificateRecord certificate : List.of(doorCertificate, bobsPhone, lost)) {
        insertVersion1Certificate(c, certificate);
      }
      try (Statement s = c.createStatement()) {
        s.executeUpdate(
            "UPDATE certificates SET revoked_at = 5, revoke_reason = 'owner_revoked'"
                + " WHERE serial = '"
                + hex(lost.serial())
                + "'");
      }
    }

    PortalStore migrated = open();

    assertThat(schemaVersions()).containsEntry(1, 0L).hasSizeGreaterThan(1);
    assertThat(migrated.findUser("alice")).contains(alice);
    assertThat(migrated.listUsers()).containsExactly(alice, bob);
    assertThat(migrated.findGateway(door.domain())).contains(door);
    assertThat(migrated.findCertificate(doorCertificate.serial())).contains(doorCertificate);
    assertThat(migrated.findCertificate(bobsPhone.serial())).contains(bobsPhone);
    assertThat(migrated.isRevoked(lost.serial())).isTrue();
    assertThat(migrated.channelHead(door.domain())).isZero();
    assertThat(migrated.eventHead(door.domain())).isZero();
    // The access flow works on the gateway paired before the migration.
    assertThat(migrated.addGuest(new GuestRecord(door.domain(), "bob", T0.plusSeconds(3))))
        .isTrue();
    RequestOutcome asked = ask(migrated, door, bobsPhone, T0.plusSeconds(4));
    assertThat(asked.created()).isTrue();
    assertThat(migrated.channelAfter(door.domain(), 0, MAX))
        .containsExactly(new ChannelItem(1, Kind.NEW, asked.request()));
    assertThat(migrated.appendEvents(door.domain(), events("e", 0, 2), T0)).isEqualTo(2);
    assertThat(migrated.eventHead(door.domain())).isEqualTo(2);
  }

  // ---------------------------------------------------------------- helpers

  /** A gateway of {@code owner} (created as a user if needed), paired at T0. */
  protected final GatewayRecord pair(String owner) {
    if (store().findUser(owner).isEmpty()) {
      store().createUser(user(owner, T0));
    }
    GatewayRecord gateway = gateway(records.domain(), owner, T0);
    store().recordGatewayPairing(gateway, records.gatewayCertificate(gateway));
    return gateway;
  }

  /** A live app certificate of {@code owner}, recorded. */
  protected final CertificateRecord phone(String owner) {
    CertificateRecord phone = records.appCertificate(owner, T0);
    store().recordCertificate(phone);
    return phone;
  }

  protected final void invite(GatewayRecord gateway, String username) {
    store().addGuest(new GuestRecord(gateway.domain(), username, T0));
  }

  protected final RequestOutcome ask(GatewayRecord gateway, CertificateRecord phone) {
    return ask(store(), gateway, phone, T0);
  }

  protected static RequestOutcome ask(
      PortalStore target, GatewayRecord gateway, CertificateRecord phone, Instant at) {
    return target.findOrCreateRequest(
        gateway.domain(),
        phone.owner(),
        phone.instance().orElseThrow(),
        phone.serial(),
        phone.pem(),
        phone.friendlyName(),
        at);
  }

  private RequestOutcome request(
      GatewayRecord gateway, String username, UUID instance, BigInteger serial) {
    return store()
        .findOrCreateRequest(
            gateway.domain(), username, instance, serial, "pem", "Phone of " + username, T0);
  }

  /** What a gateway would send for this phone (the ciphertext is made up). */
  protected static ApprovedAccount account(CertificateRecord phone) {
    return new ApprovedAccount(
        phone.owner() + "-1",
        Base64.getEncoder().encodeToString(phone.serial().toByteArray()),
        "sip:"
            + phone.owner()
            + "@"
            + StoreRecords.PORTAL_DOMAIN
            + ";gr=urn:uuid:"
            + phone.instance().orElseThrow());
  }

  protected static NewEvent event(String id) {
    return new NewEvent(id, "journal", T0, "{\"id\":\"" + id + "\"}");
  }

  /** Events {@code prefix+first} ... {@code prefix+(first+count-1)}. */
  protected static List<NewEvent> events(String prefix, int first, int count) {
    return IntStream.range(first, first + count).mapToObj(i -> event(prefix + i)).toList();
  }

  private static List<NewEvent> batchWith(NewEvent bad) {
    return List.of(event("good-1"), bad, event("good-2"));
  }

  private Status status(AccessRequest request) {
    return store().findRequest(request.id()).orElseThrow().status();
  }

  private static CertificateRecord withInstance(CertificateRecord c, UUID instance) {
    return new CertificateRecord(
        c.serial(),
        c.kind(),
        c.owner(),
        c.commonName(),
        c.gatewayDomain(),
        Optional.of(instance),
        c.friendlyName(),
        c.pem(),
        c.notBefore(),
        c.notAfter(),
        c.issuedAt(),
        c.revokedAt(),
        c.renewedFrom());
  }

  private static String hex(BigInteger serial) {
    return serial.toString(16);
  }

  private static void assertConflict(Runnable call, String message) {
    assertThatThrownBy(call::run)
        .isExactlyInstanceOf(StoreConflictException.class)
        .hasMessage(message);
  }

  /** The latest request of {@code phone} on {@code gateway}, if any, is no longer pending. */
  private void assertNotPending(GatewayRecord gateway, CertificateRecord phone) {
    assertThat(
            store().latestRequest(gateway.domain(), phone.owner(), phone.instance().orElseThrow()))
        .map(AccessRequest::status)
        .isNotEqualTo(Optional.of(Status.PENDING));
  }

  private void assertChannelIsGapless(String domain) {
    List<ChannelItem> items = store().channelAfter(domain, 0, MAX);
    assertThat(items)
        .extracting(ChannelItem::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, items.size()).boxed().toList());
    assertThat(store().channelHead(domain)).isEqualTo(items.size());
    // Every voided request was announced before it was voided.
    Set<Long> announced = new HashSet<>();
    for (ChannelItem item : items) {
      if (item.kind() == Kind.NEW) {
        assertThat(announced.add(item.request().id())).isTrue();
      } else {
        assertThat(announced).contains(item.request().id());
        assertThat(item.request().status()).isEqualTo(Status.VOID);
      }
    }
  }

  /** Reads one of a gateway's seq-numbered lists. */
  @FunctionalInterface
  private interface SeqReader<T> {
    List<T> after(String domain, long cursor, int limit);
  }

  /**
   * Follows a gateway's channel or events from 0 with a cursor, a few at a time, until {@code
   * total} seqs were seen, and returns them in the order seen.
   */
  private static <T> List<Long> follow(
      SeqReader<T> reader, Function<T, Long> seqOf, GatewayRecord gateway, int total) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    List<Long> seen = new ArrayList<>();
    long cursor = 0;
    while (seen.size() < total) {
      assertThat(System.nanoTime() - deadline).as("reader deadline").isNegative();
      List<T> page = reader.after(gateway.domain(), cursor, 5);
      for (T each : page) {
        long seq = seqOf.apply(each);
        seen.add(seq);
        cursor = seq;
      }
      if (page.isEmpty()) {
        Thread.yield();
      }
    }
    return seen;
  }

  private void createVersion1Database() throws Exception {
    String backend;
    if (url().startsWith("jdbc:sqlite:")) {
      backend = "sqlite";
      Path parent = Path.of(url().substring("jdbc:sqlite:".length())).getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } else {
      backend = "postgres";
    }
    String script;
    String resource = "io/doorpair/portal/store/" + backend + "/V1__init.sql";
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing " + resource);
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String body =
        script
            .lines()
            .filter(line -> !line.strip().startsWith("--"))
            .collect(Collectors.joining("\n"));
    try (Connection c = rawConnection();
        Statement s = c.createStatement()) {
      for (String statement : body.split(";\\s*(\n|$)")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
      s.execute(
          "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY,"
              + " description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
      s.execute("INSERT INTO schema_version VALUES (1, 'init', 0)");
    }
  }

  private static void insertVersion1User(Connection c, UserRecord user) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO users (username, ha1_sha256, ha1_md5, created_at) VALUES (?, ?, ?, ?)")) {
      insert.setString(1, user.username());
      insert.setString(2, user.ha1Sha256());
      insert.setString(3, user.ha1Md5());
      insert.setLong(4, user.createdAt().toEpochMilli());
      insert.executeUpdate();
    }
  }

  private static void insertVersion1Certificate(Connection c, CertificateRecord certificate)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO certificates (serial, kind, owner, common_name, gateway_domain, instance,"
                + " friendly_name, pem, not_before, not_after, issued_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, hex(certificate.serial()));
      insert.setString(2, certificate.kind() == CertificateRecord.Kind.APP ? "app" : "gateway");
      insert.setString(3, certificate.owner());
      insert.setString(4, certificate.commonName());
      setText(insert, 5, certificate.gatewayDomain());
      setText(insert, 6, certificate.instance().map(UUID::toString));
      insert.setString(7, certificate.friendlyName());
      insert.setString(8, certificate.pem());
      insert.setLong(9, certificate.notBefore().toEpochMilli());
      insert.setLong(10, certificate.notAfter().toEpochMilli());
      insert.setLong(11, certificate.issuedAt().toEpochMilli());
      insert.executeUpdate();
    }
  }

  private static void setText(PreparedStatement statement, int index, Optional<String> value)
      throws SQLException {
    if (value.isPresent()) {
      statement.setString(index, value.get());
    } else {
      statement.setNull(index, Types.VARCHAR);
    }
  }
}
