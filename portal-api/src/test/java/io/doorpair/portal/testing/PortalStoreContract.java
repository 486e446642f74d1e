package io.doorpair.portal.testing;

import static io.doorpair.portal.testing.StoreRecords.T0;
import static io.doorpair.portal.testing.StoreRecords.gateway;
import static io.doorpair.portal.testing.StoreRecords.gatewayCertificate;
import static io.doorpair.portal.testing.StoreRecords.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.doorpair.portal.store.CertificateRecord;
import io.doorpair.portal.store.DomainTakenException;
import io.doorpair.portal.store.GatewayRecord;
import io.doorpair.portal.store.PortalStore;
import io.doorpair.portal.store.Revocation;
import io.doorpair.portal.store.StoreConflictException;
import io.doorpair.portal.store.StoreException;
import io.doorpair.portal.store.UserRecord;
import io.doorpair.portal.store.jdbc.JdbcStores;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every behaviour of a {@link PortalStore}, written once (the access flow's part in {@link
 * AccessStoreContract}, which this class extends). A backend's test extends this class and says
 * where an empty database is; the contract opens stores on it with {@link JdbcStores#open}.
 */
public abstract class PortalStoreContract extends AccessStoreContract {

  // ---------------------------------------------------------------- users

  @Test
  void created_user_is_found_with_its_ha1_values() {
    UserRecord alice = user("alice", T0);
    store().createUser(alice);

    assertThat(store().findUser("alice")).contains(alice);
    assertThat(store().findUser("bob")).isEmpty();
  }

  @Test
  void duplicate_username_is_a_conflict_and_the_first_user_stays() {
    UserRecord first = user("alice", "first", T0);
    store().createUser(first);

    assertThatThrownBy(() -> store().createUser(user("alice", "second", T0.plusSeconds(1))))
        .isExactlyInstanceOf(StoreConflictException.class)
        .hasMessage("user exists: alice");
    assertThat(store().findUser("alice")).contains(first);
  }

  @Test
  void ha1_update_replaces_both_values() {
    store().createUser(user("alice", "old", T0));
    UserRecord changed = user("alice", "new", T0);

    assertThat(store().updateUserHa1("alice", changed.ha1Sha256(), changed.ha1Md5())).isTrue();
    assertThat(store().findUser("alice")).contains(changed);
  }

  @Test
  void ha1_update_of_an_unknown_user_returns_false_and_creates_nobody() {
    UserRecord ghost = user("ghost", T0);

    assertThat(store().updateUserHa1("ghost", ghost.ha1Sha256(), ghost.ha1Md5())).isFalse();
    assertThat(store().listUsers()).isEmpty();
  }

  @Test
  void users_are_listed_in_plain_character_order() {
    List<String> names = List.of("bob", "alice", "a-z", "a0", "a.b", "carol", "a_b", "ab");
    for (String name : names) {
      store().createUser(user(name, T0));
    }

    assertThat(store().listUsers())
        .extracting(UserRecord::username)
        .containsExactlyElementsOf(names.stream().sorted().collect(Collectors.toList()));
  }

  static Stream<Arguments> malformedUsers() {
    String sha = StoreRecords.hex("SHA-256", "x");
    String md5 = StoreRecords.hex("MD5", "x");
    return Stream.of(
        Arguments.of("uppercase username", new UserRecord("Alice", sha, md5, T0)),
        Arguments.of("empty username", new UserRecord("", sha, md5, T0)),
        Arguments.of("username starting with a dash", new UserRecord("-a", sha, md5, T0)),
        Arguments.of("username of 65 characters", new UserRecord("a".repeat(65), sha, md5, T0)),
        Arguments.of("password instead of HA1", new UserRecord("alice", "hunter2", md5, T0)),
        Arguments.of(
            "uppercase HA1", new UserRecord("alice", sha.toUpperCase(Locale.ROOT), md5, T0)),
        Arguments.of("SHA-256 HA1 in the MD5 field", new UserRecord("alice", sha, sha, T0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedUsers")
  void malformed_users_are_refused_without_quoting_the_ha1(String why, UserRecord malformed) {
    assertThatThrownBy(() -> store().createUser(malformed))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain(malformed.ha1Sha256())
                    .doesNotContain(malformed.ha1Md5()));
    assertThat(store().listUsers()).isEmpty();
  }

  @Test
  void deleting_a_user_revokes_their_live_certificates_and_keeps_every_record() {
    store().createUser(user("alice", T0));
    store().createUser(user("bob", T0));
    GatewayRecord door = gateway(records.domain(), "alice", T0);
    CertificateRecord doorCertificate = records.gatewayCertificate(door);
    store().recordGatewayPairing(door, doorCertificate);
    CertificateRecord phone = records.appCertificate("alice", T0.plusSeconds(1));
    CertificateRecord stolen = records.appCertificate("alice", T0.plusSeconds(2));
    CertificateRecord bobsPhone = records.appCertificate("bob", T0.plusSeconds(3));
    store().recordCertificate(phone);
    store().recordCertificate(stolen);
    store().recordCertificate(bobsPhone);
    Instant stolenAt = T0.plusSeconds(10);
    store().revoke(stolen.serial(), stolenAt, "owner_revoked");
    Instant deletedAt = T0.plusSeconds(20);

    assertThat(store().deleteUser("alice", deletedAt)).isTrue();

    assertThat(store().findUser("alice")).isEmpty();
    assertThat(store().findUser("bob")).isPresent();
    assertThat(store().listGatewaysOf("alice")).containsExactly(door);
    assertThat(store().findGateway(door.domain())).contains(door);
    assertThat(store().listCertificatesOf("alice"))
        .extracting(CertificateRecord::serial, CertificateRecord::revokedAt)
        .containsExactlyInAnyOrder(
            tuple(doorCertificate.serial(), Optional.of(deletedAt)),
            tuple(phone.serial(), Optional.of(deletedAt)),
            tuple(stolen.serial(), Optional.of(stolenAt)));
    assertThat(store().revocations())
        .containsExactlyInAnyOrder(
            new Revocation(stolen.serial(), stolenAt, "owner_revoked"),
            new Revocation(doorCertificate.serial(), deletedAt, "user_deleted"),
            new Revocation(phone.serial(), deletedAt, "user_deleted"));
    assertThat(store().isRevoked(bobsPhone.serial())).isFalse();
  }

  @Test
  void deleting_an_unknown_user_returns_false() {
    assertThat(store().deleteUser("ghost", T0)).isFalse();
  }

  @Test
  void username_of_a_deleted_user_with_records_cannot_be_taken_again() {
    store().createUser(user("alice", T0));
    store().recordCertificate(records.appCertificate("alice", T0));
    store().deleteUser("alice", T0.plusSeconds(1));

    assertThatThrownBy(() -> store().createUser(user("alice", "new", T0.plusSeconds(2))))
        .isExactlyInstanceOf(StoreConflictException.class)
        .hasMessageContaining("belonged to a deleted user");
    assertThat(store().findUser("alice")).isEmpty();
  }

  @Test
  void username_of_a_deleted_user_without_records_can_be_taken_again() {
    store().createUser(user("alice", T0));
    store().deleteUser("alice", T0.plusSeconds(1));
    UserRecord again = user("alice", "new", T0.plusSeconds(2));

    store().createUser(again);

    assertThat(store().findUser("alice")).contains(again);
  }

  @Test
  void nothing_is_issued_to_an_unknown_user() {
    GatewayRecord door = gateway(records.domain(), "ghost", T0);
    CertificateRecord phone = records.appCertificate("ghost", T0);

    assertThatThrownBy(() -> store().recordCertificate(phone))
        .isExactlyInstanceOf(StoreConflictException.class)
        .hasMessage("no such user: ghost");
    assertThatThrownBy(() -> store().recordGatewayPairing(door, records.gatewayCertificate(door)))
        .isExactlyInstanceOf(StoreConflictException.class)
        .hasMessage("no such user: ghost");
    assertThat(store().findGateway(door.domain())).isEmpty();
    assertThat(store().listCertificatesOf("ghost")).isEmpty();
  }

  // ---------------------------------------------------------------- gateways

  @Test
  void gateway_pairing_records_the_gateway_and_its_certificate() {
    store().createUser(user("alice", T0));
    GatewayRecord door = gateway(records.domain(), "alice", T0);
    CertificateRecord certificate = records.gatewayCertificate(door);

    store().recordGatewayPairing(door, certificate);

    assertThat(store().findGateway(door.domain())).contains(door);
    assertThat(store().findCertificate(certificate.serial())).contains(certificate);
    assertThat(store().listGatewaysOf("alice")).containsExactly(door);
  }

  @Test
  void a_taken_domain_is_refused_and_nothing_is_written() {
    store().createUser(user("alice", T0));
    store().createUser(user("mallory", T0));
    GatewayRecord door = gateway(records.domain(), "alice", T0);
    store().recordGatewayPairing(door, records.gatewayCertificate(door));
    GatewayRecord claim =
        new GatewayRecord(door.domain(), "mallory", "Mallory's door", T0.plusSeconds(1));
    CertificateRecord claimCertificate = records.gatewayCertificate(claim);

    assertThatThrownBy(() -> store().recordGatewayPairing(claim, claimCertificate))
        .isExactlyInstanceOf(DomainTakenException.class)
        .hasMessage("gateway domain already issued: " + door.domain());

    assertThat(store().findGateway(door.domain())).contains(door);
    assertThat(store().findCertificate(claimCertificate.serial())).isEmpty();
    assertThat(store().listGatewaysOf("mallory")).isEmpty();
    assertThat(store().listCertificatesOf("mallory")).isEmpty();
  }

  @Test
  void a_domain_stays_taken_after_its_certificate_is_revoked() {
    store().createUser(user("alice", T0));
    GatewayRecord door = gateway(records.domain(), "alice", T0);
    CertificateRecord certificate = records.gatewayCertificate(door);
    store().recordGatewayPairing(door, certificate);
    store().revoke(certificate.serial(), T0.plusSeconds(1), "owner_revoked");
    GatewayRecord again = gateway(door.domain(), "alice", T0.plusSeconds(2));

    assertThatThrownBy(() -> store().recordGatewayPairing(again, records.gatewayCertificate(again)))
        .isExactlyInstanceOf(DomainTakenException.class);
    assertThat(store().listGatewaysOf("alice")).containsExactly(door);
  }

  @Test
  void a_domain_stays_taken_after_its_owner_is_deleted() {
    store().createUser(user("alice", T0));
    store().createUser(user("bob", T0));
    GatewayRecord door = gateway(records.domain(), "alice", T0);
    store().recordGatewayPairing(door, records.gatewayCertificate(door));
    store().deleteUser("alice", T0.plusSeconds(1));
    GatewayRecord claim = gateway(door.domain(), "bob", T0.plusSeconds(2));

    assertThatThrownBy(() -> store().recordGatewayPairing(claim, records.gatewayCertificate(claim)))
        .isExactlyInstanceOf(DomainTakenException.class);
    assertThat(store().findGateway(door.domain())).contains(door);
    assertThat(store().listGatewaysOf("bob")).isEmpty();
  }

  @Test
  void a_pairing_whose_serial_is_taken_writes_no_gateway_and_leaves_the_domain_free() {
    store().createUser(user("alice", T0));
    CertificateRecord phone = records.appCertificate("alice", T0);
    store().recordCertificate(phone);
    GatewayRecord door = gateway(records.domain(), "alice", T0.plusSeconds(1));

    assertThatThrownBy(
            () -> store().recordGatewayPairing(door, gatewayCertificate(phone.serial(), door)))
        .isExactlyInstanceOf(StoreConflictException.class)
        .hasMessage("certificate serial already recorded: " + phone.serial().toString(16));
    assertThat(store().findGateway(door.domain())).isEmpty();
    assertThat(store().findCertificate(phone.serial())).contains(phone);

    store().recordGatewayPairing(door, records.gatewayCertificate(door));
    assertThat(store().findGateway(door.domain())).contains(door);
  }

  @Test
  void gateways_are_listed_oldest_first_per_owner() {
    store().createUser(user("alice", T0));
    store().createUser(user("bob", T0));
    GatewayRecord newer = gateway(records.domain(), "alice", T0.plusSeconds(5));
    GatewayRecord older = gateway(records.domain(), "alice", T0.plusSeconds(1));
    GatewayRecord bobs = gateway(records.domain(), "bob", T0.plusSeconds(3));
    for (GatewayRecord each : List.of(newer, older, bobs)) {
      store().recordGatewayPairing(each, records.gatewayCertificate(each));
    }

    assertThat(store().listGatewaysOf("alice")).containsExactly(older, newer);
    assertThat(store().listGatewaysOf("bob")).containsExactly(bobs);
    assertThat(store().listGatewaysOf("carol")).isEmpty();
  }

  static Stream<Arguments> mismatchedPairings() {
    StoreRecords records = new StoreRecords();
    GatewayRecord door = gateway("abcdefghijk1", "alice", T0);
    CertificateRecord good = records.gatewayCertificate(door);
    return Stream.of(
        Arguments.of("an app certificate", door, records.appCertificate("alice", T0)),
        Arguments.of(
            "another domain's certificate",
            door,
            records.gatewayCertificate(gateway("abcdefghijk2", "alice", T0))),
        Arguments.of(
            "another owner's certificate",
            door,
            records.gatewayCertificate(gateway(door.domain(), "bob", T0))),
        Arguments.of(
            "a certificate with a device instance",
            door,
            with(
                good,
                c -> copy(c, Optional.of(UUID.randomUUID()), c.revokedAt(), c.renewedFrom()))),
        Arguments.of(
            "a revoked certificate",
            door,
            with(good, c -> copy(c, c.instance(), Optional.of(T0), c.renewedFrom()))),
        Arguments.of(
            "a renewal",
            door,
            with(good, c -> copy(c, c.instance(), c.revokedAt(), Optional.of(BigInteger.TWO)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mismatchedPairings")
  void a_pairing_with_a_mismatched_certificate_is_refused(
      String why, GatewayRecord gateway, CertificateRecord certificate) {
    store().createUser(user("alice", T0));
    store().createUser(user("bob", T0));

    assertThatThrownBy(() -> store().recordGatewayPairing(gateway, certificate))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store().findGateway(gateway.domain())).isEmpty();
    assertThat(store().findCertificate(certificate.serial())).isEmpty();
  }

  // ---------------------------------------------------------------- certificates

  @Test
  void a_certificate_keeps_every_field_with_millisecond_instants() {
    store().createUser(user("alice", T0));
    BigInteger largest = BigInteger.TWO.pow(160).subtract(BigInteger.ONE);
    Instant issued = T0.plusMillis(123).plusNanos(456_789);
    CertificateRecord big = records.appCertificate(largest, "alice", issued);
    CertificateRecord small = records.appCertificate(BigInteger.valueOf(0x0f), "alice", T0);

    store().recordCertificate(big);
    store().recordCertificate(small);

    assertThat(store().findCertificate(largest))
        .contains(
            new CertificateRecord(
                big.serial(),
                big.kind(),
                big.owner(),
                big.commonName(),
                big.gatewayDomain(),
                big.instance(),
                big.friendlyName(),
                big.pem(),
                big.notBefore().minusNanos(456_789),
                big.notAfter().minusNanos(456_789),
                big.issuedAt().minusNanos(456_789),
                Optional.empty(),
                Optional.empty()));
    assertThat(store().findCertificate(BigInteger.valueOf(0x0f))).contains(small);
    assertThat(store().findCertificate(BigInteger.valueOf(0xf0))).isEmpty();
  }

  @Test
  void serials_longer_than_twenty_octets_are_refused() {
    store().createUser(user("alice", T0));
    CertificateRecord tooLong = records.appCertificate(BigInteger.TWO.pow(160), "alice", T0);

    assertThatThrownBy(() -> store().recordCertificate(tooLong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("serial must be positive and at most 20 octets");
  }

  @Test
  void certificates_are_listed_newest_first_per_owner() {
    store().createUser(user("alice", T0));
    store().createUser(user("bob", T0));
    CertificateRecord first = records.appCertificate("alice", T0);
    CertificateRecord third = records.appCertificate("alice", T0.plusSeconds(20));
    CertificateRecord second = records.appCertificate("alice", T0.plusSeconds(10));
    GatewayRecord door = gateway(records.domain(), "alice", T0.plusSeconds(15));
    CertificateRecord doorCertificate = records.gatewayCertificate(door);
    store().recordCertificate(first);
    store().recordCertificate(third);
    store().recordCertificate(second);
    store().recordGatewayPairing(door, doorCertificate);
    store().recordCertificate(records.appCertificate("bob", T0.plusSeconds(30)));

    assertThat(store().listCertificatesOf("alice"))
        .containsExactly(third, doorCertificate, second, first);
    assertThat(store().listCertificatesOf("carol")).isEmpty();
  }

  @Test
  void a_recorded_serial_is_a_conflict() {
    store().createUser(user("alice", T0));
    CertificateRecord phone = records.appCertificate("alice", T0);
    store().recordCertificate(phone);
    CertificateRecord twin = records.appCertificate(phone.serial(), "alice", T0.plusSeconds(1));

    assertThatThrownBy(() -> store().recordCertificate(twin))
        .isExactlyInstanceOf(StoreConflictException.class);
    assertThat(store().listCertificatesOf("alice")).containsExactly(phone);
  }

  static Stream<Arguments> notNewAppCertificates() {
    StoreRecords records = new StoreRecords();
    CertificateRecord good = records.appCertificate("alice", T0);
    return Stream.of(
        Arguments.of(
            "a gateway certificate",
            records.gatewayCertificate(gateway("abcdefghijk1", "alice", T0))),
        Arguments.of(
            "no device instance",
            with(good, c -> copy(c, Optional.empty(), c.revokedAt(), c.renewedFrom()))),
        Arguments.of(
            "already revoked",
            with(good, c -> copy(c, c.instance(), Optional.of(T0), c.renewedFrom()))),
        Arguments.of(
            "a renewal",
            with(good, c -> copy(c, c.instance(), c.revokedAt(), Optional.of(BigInteger.TWO)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notNewAppCertificates")
  void record_certificate_takes_only_new_app_certificates(
      String why, CertificateRecord certificate) {
    store().createUser(user("alice", T0));

    assertThatThrownBy(() -> store().recordCertificate(certificate))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store().findCertificate(certificate.serial())).isEmpty();
  }

  @Test
  void a_renewal_is_linked_to_the_old_certificate_which_stays_valid() {
    store().createUser(user("alice", T0));
    CertificateRecord old = records.appCertificate("alice", T0);
    store().recordCertificate(old);
    CertificateRecord renewed = records.renewalOf(old, T0.plusSeconds(60));

    store().recordRenewal(old.serial(), renewed);

    assertThat(store().findCertificate(renewed.serial())).contains(renewed);
    assertThat(store().findCertificate(renewed.serial()).orElseThrow().renewedFrom())
        .contains(old.serial());
    assertThat(store().isRevoked(old.serial())).isFalse();
    assertThat(store().listCertificatesOf("alice")).containsExactly(renewed, old);
  }

  @Test
  void a_renewal_without_its_link_gets_linked() {
    store().createUser(user("alice", T0));
    CertificateRecord old = records.appCertificate("alice", T0);
    store().recordCertificate(old);
    CertificateRecord renewed = records.renewalOf(old, T0.plusSeconds(60));
    CertificateRecord unlinked =
        copy(renewed, renewed.instance(), renewed.revokedAt(), Optional.empty());

    store().recordRenewal(old.serial(), unlinked);

    assertThat(store().findCertificate(renewed.serial())).contains(renewed);
  }

  @Test
  void a_gateway_certificate_renewal_keeps_its_domain() {
    store().createUser(user("alice", T0));
    GatewayRecord door = gateway(records.domain(), "alice", T0);
    CertificateRecord old = records.gatewayCertificate(door);
    store().recordGatewayPairing(door, old);
    CertificateRecord renewed = records.renewalOf(old, T0.plusSeconds(60));

    store().recordRenewal(old.serial(), renewed);

    assertThat(store().findCertificate(renewed.serial())).contains(renewed);
    assertThat(store().listGatewaysOf("alice")).containsExactly(door);
  }

  @Test
  void a_revoked_certificate_cannot_be_renewed() {
    store().createUser(user("alice", T0));
    CertificateRecord old = records.appCertificate("alice", T0);
    store().recordCertificate(old);
    store().revoke(old.serial(), T0.plusSeconds(1), "owner_revoked");
    CertificateRecord renewed = records.renewalOf(old, T0.plusSeconds(2));

    assertThatThrownBy(() -> store().recordRenewal(old.serial(), renewed))
        .isExactlyInstanceOf(StoreConflictException.class)
        .hasMessage(
            "certificate " + old.serial().toString(16) + " is revoked: it cannot be renewed");
    assertThat(store().findCertificate(renewed.serial())).isEmpty();
  }

  @Test
  void an_unknown_certificate_cannot_be_renewed() {
    store().createUser(user("alice", T0));
    CertificateRecord old = records.appCertificate("alice", T0);
    CertificateRecord renewed = records.renewalOf(old, T0.plusSeconds(2));

    assertThatThrownBy(() -> store().recordRenewal(old.serial(), renewed))
        .isExactlyInstanceOf(StoreConflictException.class)
        .hasMessage("no such certificate to renew: " + old.serial().toString(16));
    assertThat(store().findCertificate(renewed.serial())).isEmpty();
  }

  static Stream<Arguments> renewalsChangingIdentity() {
    return Stream.of(
        Arguments.of(
            "another device instance",
            (UnaryOperator<CertificateRecord>)
                c -> copy(c, Optional.of(UUID.randomUUID()), c.revokedAt(), c.renewedFrom())),
        Arguments.of(
            "a link to another serial",
            (UnaryOperator<CertificateRecord>)
                c -> copy(c, c.instance(), c.revokedAt(), Optional.of(BigInteger.TWO))),
        Arguments.of(
            "already revoked",
            (UnaryOperator<CertificateRecord>)
                c -> copy(c, c.instance(), Optional.of(T0), c.renewedFrom())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renewalsChangingIdentity")
  void a_renewal_must_keep_the_certificate_identity(
      String why, UnaryOperator<CertificateRecord> change) {
    store().createUser(user("alice", T0));
    CertificateRecord old = records.appCertificate("alice", T0);
    store().recordCertificate(old);
    CertificateRecord renewed = change.apply(records.renewalOf(old, T0.plusSeconds(2)));

    assertThatThrownBy(() -> store().recordRenewal(old.serial(), renewed))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store().findCertificate(renewed.serial())).isEmpty();
  }

  @Test
  void a_renewal_for_another_owner_is_refused() {
    store().createUser(user("alice", T0));
    store().createUser(user("mallory", T0));
    CertificateRecord old = records.appCertificate("alice", T0);
    store().recordCertificate(old);
    CertificateRecord stolen = records.appCertificate("mallory", T0.plusSeconds(1));
    CertificateRecord renewed =
        new CertificateRecord(
            stolen.serial(),
            stolen.kind(),
            stolen.owner(),
            stolen.commonName(),
            stolen.gatewayDomain(),
            old.instance(),
            stolen.friendlyName(),
            stolen.pem(),
            stolen.notBefore(),
            stolen.notAfter(),
            stolen.issuedAt(),
            Optional.empty(),
            Optional.of(old.serial()));

    assertThatThrownBy(() -> store().recordRenewal(old.serial(), renewed))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store().findCertificate(renewed.serial())).isEmpty();
  }

  @Test
  void revoke_returns_true_once_then_false_and_keeps_the_first_revocation() {
    store().createUser(user("alice", T0));
    CertificateRecord phone = records.appCertificate("alice", T0);
    store().recordCertificate(phone);
    Instant first = T0.plusSeconds(1);

    assertThat(store().revoke(phone.serial(), first, "owner_revoked")).isTrue();
    assertThat(store().revoke(phone.serial(), T0.plusSeconds(2), "other")).isFalse();

    assertThat(store().revocations())
        .containsExactly(new Revocation(phone.serial(), first, "owner_revoked"));
    assertThat(store().findCertificate(phone.serial()).orElseThrow().revokedAt()).contains(first);
  }

  @Test
  void revoking_an_unknown_serial_returns_false() {
    assertThat(store().revoke(BigInteger.TEN, T0, "owner_revoked")).isFalse();
    assertThat(store().revocations()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void a_revocation_needs_a_reason(String reason) {
    store().createUser(user("alice", T0));
    CertificateRecord phone = records.appCertificate("alice", T0);
    store().recordCertificate(phone);

    assertThatThrownBy(() -> store().revoke(phone.serial(), T0, reason))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().revoke(phone.serial(), T0, "x".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store().isRevoked(phone.serial())).isFalse();
  }

  @Test
  void is_revoked_tells_revoked_from_live_and_unknown() {
    store().createUser(user("alice", T0));
    CertificateRecord live = records.appCertificate("alice", T0);
    CertificateRecord revoked = records.appCertificate("alice", T0);
    store().recordCertificate(live);
    store().recordCertificate(revoked);
    store().revoke(revoked.serial(), T0.plusSeconds(1), "owner_revoked");

    assertThat(store().isRevoked(revoked.serial())).isTrue();
    assertThat(store().isRevoked(live.serial())).isFalse();
    assertThat(store().isRevoked(records.serial())).isFalse();
  }

  @Test
  void revocations_list_every_revoked_serial_oldest_first() {
    store().createUser(user("alice", T0));
    List<CertificateRecord> phones = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      CertificateRecord phone = records.appCertificate("alice", T0);
      store().recordCertificate(phone);
      phones.add(phone);
    }
    store().revoke(phones.get(2).serial(), T0.plusSeconds(5), "owner_revoked");
    store().revoke(phones.get(0).serial(), T0.plusSeconds(9), "key_compromise");
    store().revoke(phones.get(3).serial(), T0.plusSeconds(1), "owner_revoked");

    assertThat(store().revocations())
        .containsExactly(
            new Revocation(phones.get(3).serial(), T0.plusSeconds(1), "owner_revoked"),
            new Revocation(phones.get(2).serial(), T0.plusSeconds(5), "owner_revoked"),
            new Revocation(phones.get(0).serial(), T0.plusSeconds(9), "key_compromise"));
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void eight_threads_pairing_one_domain_exactly_one_wins() throws Exception {
    store().createUser(user("alice", T0));
    String domain = records.domain();

    List<Object> outcomes = race(i -> () -> pair(store(), domain, i));

    assertOneWinner(outcomes, domain);
  }

  @Test
  void two_stores_on_one_database_racing_for_a_domain_exactly_one_wins() throws Exception {
    PortalStore first = store();
    PortalStore second = open();
    first.createUser(user("alice", T0));
    for (int round = 0; round < 3; round++) {
      String domain = records.domain();

      List<Object> outcomes = race(i -> () -> pair(i % 2 == 0 ? first : second, domain, i));

      assertOneWinner(outcomes, domain);
      assertThat(second.findGateway(domain)).isEqualTo(first.findGateway(domain));
    }
  }

  @Test
  void concurrent_revocations_of_one_certificate_report_one_success() throws Exception {
    PortalStore second = open();
    store().createUser(user("alice", T0));
    CertificateRecord phone = records.appCertificate("alice", T0);
    store().recordCertificate(phone);

    List<Object> outcomes =
        race(
            i ->
                () ->
                    (i % 2 == 0 ? store() : second)
                        .revoke(phone.serial(), T0.plusSeconds(i), "owner_revoked"));

    assertThat(outcomes).filteredOn(Boolean.TRUE::equals).hasSize(1);
    assertThat(outcomes).filteredOn(Boolean.FALSE::equals).hasSize(RACERS - 1);
    assertThat(store().revocations()).hasSize(1);
  }

  @Test
  void stores_opening_together_on_an_empty_database_migrate_once() throws Exception {
    List<Object> outcomes = race(i -> this::open);

    assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(PortalStore.class));
    assertThat(schemaVersions()).hasSize(latestSchemaVersion());
    PortalStore any = (PortalStore) outcomes.get(0);
    any.createUser(user("alice", T0));
    assertThat(((PortalStore) outcomes.get(RACERS - 1)).findUser("alice")).isPresent();
  }

  // ---------------------------------------------------------------- schema

  @Test
  void a_reopened_store_keeps_its_data_and_does_not_migrate_again() throws Exception {
    PortalStore first = open();
    UserRecord alice = user("alice", T0);
    first.createUser(alice);
    GatewayRecord door = gateway(records.domain(), "alice", T0);
    CertificateRecord certificate = records.gatewayCertificate(door);
    first.recordGatewayPairing(door, certificate);
    Map<Integer, Long> versions = schemaVersions();
    first.close();

    PortalStore again = open();

    assertThat(again.findUser("alice")).contains(alice);
    assertThat(again.findGateway(door.domain())).contains(door);
    assertThat(again.findCertificate(certificate.serial())).contains(certificate);
    assertThat(schemaVersions()).isEqualTo(versions).hasSize(latestSchemaVersion());
  }

  @Test
  void a_database_migrated_by_a_newer_portal_is_refused() throws Exception {
    int latest = latestSchemaVersion();
    int newer = latest + 1;
    try (Connection c = rawConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "INSERT INTO schema_version (version, description, applied_at) VALUES ("
              + newer
              + ", 'from_the_future', 0)");
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }

    assertThatThrownBy(this::open)
        .isExactlyInstanceOf(StoreException.class)
        .hasMessageContaining("schema is at version " + newer)
        .hasMessageContaining("knows versions up to " + latest);
  }

  @Test
  void a_closed_store_refuses_calls_and_closes_again_quietly() {
    PortalStore closing = open();
    closing.close();
    closing.close();

    assertThatThrownBy(() -> closing.findUser("alice"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the store is closed");
    assertThatThrownBy(() -> closing.createUser(user("alice", T0)))
        .isInstanceOf(IllegalStateException.class);
  }

  // ---------------------------------------------------------------- helpers

  /** The schema version this code migrates to: what a fresh store records. */
  private int latestSchemaVersion() throws SQLException {
    store();
    return schemaVersions().keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
  }

  private String pair(PortalStore target, String domain, int racer) {
    GatewayRecord door = new GatewayRecord(domain, "alice", "Door " + racer, T0.plusMillis(racer));
    target.recordGatewayPairing(door, records.gatewayCertificate(door));
    return "paired by " + racer;
  }

  private void assertOneWinner(List<Object> outcomes, String domain) {
    assertThat(outcomes).filteredOn(String.class::isInstance).hasSize(1);
    assertThat(outcomes).filteredOn(DomainTakenException.class::isInstance).hasSize(RACERS - 1);
    String winner = (String) outcomes.stream().filter(String.class::isInstance).findFirst().get();
    int racer = Integer.parseInt(winner.substring("paired by ".length()));
    assertThat(store().findGateway(domain).orElseThrow().friendlyName()).isEqualTo("Door " + racer);
    assertThat(store().listCertificatesOf("alice"))
        .filteredOn(c -> c.gatewayDomain().equals(Optional.of(domain)))
        .hasSize(1);
  }

  private static CertificateRecord with(
      CertificateRecord certificate, UnaryOperator<CertificateRecord> change) {
    return change.apply(certificate);
  }

  private static CertificateRecord copy(
      CertificateRecord c,
      Optional<UUID> instance,
      Optional<Instant> revokedAt,
      Optional<BigInteger> renewedFrom) {
    return new CertificateRecord(
        c.serial(),
        c.kind(),
        c.owner(),
        c.commonName(),
        c.gatewayDomain(),
        instance,
        c.friendlyName(),
        c.pem(),
        c.notBefore(),
        c.notAfter(),
        c.issuedAt(),
        revokedAt,
        renewedFrom);
  }
}
