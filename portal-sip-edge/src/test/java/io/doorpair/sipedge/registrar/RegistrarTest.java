package io.doorpair.sipedge.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.sipedge.admission.SipAddress;
import io.doorpair.sipedge.registrar.RegisterOutcome.Accepted;
import io.doorpair.sipedge.registrar.RegisterOutcome.Refused;
import io.doorpair.sipedge.registrar.RegisterOutcome.RegisteredContact;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RegistrarTest {
  private static final UUID PHONE = UUID.fromString("0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
  private static final UUID TABLET = UUID.fromString("1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
  private static final CertificateIdentity ALICE_PHONE =
      new CertificateIdentity("alice@portal.test", BigInteger.ONE, Optional.of(PHONE));
  private static final CertificateIdentity ALICE_TABLET =
      new CertificateIdentity("alice@portal.test", BigInteger.TWO, Optional.of(TABLET));
  private static final CertificateIdentity GATEWAY =
      new CertificateIdentity("ipgw@abcdefghijkl", BigInteger.TEN, Optional.empty());
  private static final SipAddress ALICE = new SipAddress("sip", "alice", "portal.test");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryBindings bindings = new InMemoryBindings();
  private final Registrar registrar = new Registrar(bindings, RegistrationPolicy.DEFAULT, clock);

  private static RegisterRequest register(
      SipAddress to, Optional<String> instance, OptionalLong expires, boolean gruu) {
    return new RegisterRequest(
        ALICE,
        to,
        List.of(new ContactField("sip:alice@10.0.0.2:5061;transport=tls", instance, expires)),
        false,
        OptionalLong.empty(),
        gruu,
        "tls:127.0.0.1:40000");
  }

  private static Optional<String> instance(UUID id) {
    return Optional.of("<urn:uuid:" + id + ">");
  }

  @Test
  void app_registers_the_instance_of_its_certificate() {
    RegisterOutcome outcome =
        registrar.register(
            ALICE_PHONE, register(ALICE, instance(PHONE), OptionalLong.of(600), true));

    assertThat(outcome).isInstanceOf(Accepted.class);
    RegisteredContact contact = ((Accepted) outcome).contacts().get(0);
    assertThat(contact.expiresSeconds()).isEqualTo(600);
    assertThat(contact.instance()).contains("<urn:uuid:" + PHONE + ">");
    assertThat(contact.publicGruu()).contains("sip:alice@portal.test;gr=urn:uuid:" + PHONE);
    Binding binding = bindings.of("alice@portal.test", clock.instant()).get(0);
    assertThat(binding.key()).isEqualTo("urn:uuid:" + PHONE);
    assertThat(binding.flow()).isEqualTo("tls:127.0.0.1:40000");
  }

  @Test
  void no_pub_gruu_without_supported_gruu() {
    Accepted accepted =
        (Accepted)
            registrar.register(
                ALICE_PHONE, register(ALICE, instance(PHONE), OptionalLong.of(600), false));
    assertThat(accepted.contacts().get(0).publicGruu()).isEmpty();
  }

  @Test
  void another_instance_gets_403() {
    RegisterOutcome outcome =
        registrar.register(
            ALICE_PHONE, register(ALICE, instance(TABLET), OptionalLong.of(600), true));
    assertThat(outcome).isEqualTo(new Refused(403, Registrar.WRONG_INSTANCE, OptionalLong.empty()));
    assertThat(bindings.of("alice@portal.test", clock.instant())).isEmpty();
  }

  @Test
  void missing_instance_gets_403_for_an_app() {
    RegisterOutcome outcome =
        registrar.register(
            ALICE_PHONE, register(ALICE, Optional.empty(), OptionalLong.of(600), true));
    assertThat(((Refused) outcome).status()).isEqualTo(403);
  }

  @Test
  void malformed_instance_gets_400() {
    RegisterOutcome outcome =
        registrar.register(
            ALICE_PHONE,
            register(ALICE, Optional.of("<urn:uuid:nope>"), OptionalLong.of(600), true));
    assertThat(((Refused) outcome).status()).isEqualTo(400);
  }

  @Test
  void third_party_registration_gets_403() {
    RegisterOutcome outcome =
        registrar.register(
            ALICE_PHONE,
            register(
                new SipAddress("sip", "bob", "portal.test"),
                instance(PHONE),
                OptionalLong.of(600),
                true));
    assertThat(outcome).isEqualTo(new Refused(403, Registrar.THIRD_PARTY, OptionalLong.empty()));
  }

  @Test
  void too_brief_gets_423_with_min_expires() {
    RegisterOutcome outcome =
        registrar.register(
            ALICE_PHONE, register(ALICE, instance(PHONE), OptionalLong.of(59), true));
    assertThat(outcome).isEqualTo(new Refused(423, "Interval Too Brief", OptionalLong.of(60)));
  }

  @Test
  void too_long_is_cut_to_the_maximum() {
    Accepted accepted =
        (Accepted)
            registrar.register(
                ALICE_PHONE, register(ALICE, instance(PHONE), OptionalLong.of(86_400), true));
    assertThat(accepted.contacts().get(0).expiresSeconds()).isEqualTo(3600);
  }

  @Test
  void no_expiry_given_takes_the_fallback_and_header_expires_counts() {
    Accepted fallback =
        (Accepted)
            registrar.register(
                ALICE_PHONE, register(ALICE, instance(PHONE), OptionalLong.empty(), true));
    assertThat(fallback.contacts().get(0).expiresSeconds()).isEqualTo(3600);

    RegisterRequest headerOnly =
        new RegisterRequest(
            ALICE,
            ALICE,
            List.of(new ContactField("sip:a@10.0.0.2", instance(PHONE), OptionalLong.empty())),
            false,
            OptionalLong.of(120),
            false,
            "tls:127.0.0.1:40000");
    Accepted header = (Accepted) registrar.register(ALICE_PHONE, headerOnly);
    assertThat(header.contacts().get(0).expiresSeconds()).isEqualTo(120);
  }

  @Test
  void bindings_lapse() {
    registrar.register(ALICE_PHONE, register(ALICE, instance(PHONE), OptionalLong.of(60), true));
    clock.advance(Duration.ofSeconds(59));
    assertThat(bindings.of("alice@portal.test", clock.instant())).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(bindings.of("alice@portal.test", clock.instant())).isEmpty();
  }

  @Test
  void expires_zero_removes_only_the_own_device() {
    registrar.register(ALICE_PHONE, register(ALICE, instance(PHONE), OptionalLong.of(600), true));
    registrar.register(ALICE_TABLET, register(ALICE, instance(TABLET), OptionalLong.of(600), true));
    assertThat(bindings.of("alice@portal.test", clock.instant())).hasSize(2);

    Accepted after =
        (Accepted)
            registrar.register(
                ALICE_PHONE, register(ALICE, instance(PHONE), OptionalLong.of(0), true));

    assertThat(after.contacts())
        .extracting(RegisteredContact::instance)
        .containsExactly(Optional.of("<urn:uuid:" + TABLET + ">"));
  }

  @Test
  void wildcard_with_expires_zero_removes_the_own_device() {
    registrar.register(ALICE_PHONE, register(ALICE, instance(PHONE), OptionalLong.of(600), true));
    RegisterRequest star =
        new RegisterRequest(
            ALICE, ALICE, List.of(), true, OptionalLong.of(0), false, "tls:127.0.0.1:40000");
    assertThat(registrar.register(ALICE_PHONE, star)).isEqualTo(new Accepted(List.of()));

    RegisterRequest badStar =
        new RegisterRequest(
            ALICE, ALICE, List.of(), true, OptionalLong.of(60), false, "tls:127.0.0.1:40000");
    assertThat(((Refused) registrar.register(ALICE_PHONE, badStar)).status()).isEqualTo(400);
  }

  @Test
  void reregistration_replaces_the_binding_and_its_flow() {
    registrar.register(ALICE_PHONE, register(ALICE, instance(PHONE), OptionalLong.of(600), true));
    RegisterRequest again =
        new RegisterRequest(
            ALICE,
            ALICE,
            List.of(new ContactField("sip:a@10.0.0.3", instance(PHONE), OptionalLong.of(600))),
            false,
            OptionalLong.empty(),
            false,
            "tls:127.0.0.1:40001");
    registrar.register(ALICE_PHONE, again);
    List<Binding> now = bindings.of("alice@portal.test", clock.instant());
    assertThat(now).hasSize(1);
    assertThat(now.get(0).flow()).isEqualTo("tls:127.0.0.1:40001");
    assertThat(now.get(0).contact()).isEqualTo("sip:a@10.0.0.3");
  }

  @Test
  void a_closed_flow_takes_its_bindings_and_only_those() {
    registrar.register(ALICE_PHONE, register(ALICE, instance(PHONE), OptionalLong.of(600), true));
    RegisterRequest tablet =
        new RegisterRequest(
            ALICE,
            ALICE,
            List.of(new ContactField("sip:a@10.0.0.3", instance(TABLET), OptionalLong.of(600))),
            false,
            OptionalLong.empty(),
            false,
            "tls:127.0.0.1:40001");
    registrar.register(ALICE_TABLET, tablet);

    registrar.flowClosed("tls:127.0.0.1:40000");

    assertThat(bindings.of("alice@portal.test", clock.instant()))
        .extracting(Binding::flow)
        .containsExactly("tls:127.0.0.1:40001");
    registrar.flowClosed("tls:127.0.0.1:40001");
    assertThat(bindings.of("alice@portal.test", clock.instant())).isEmpty();
  }

  @Test
  void one_contact_per_register() {
    RegisterRequest two =
        new RegisterRequest(
            ALICE,
            ALICE,
            List.of(
                new ContactField("sip:a@10.0.0.3", instance(PHONE), OptionalLong.of(600)),
                new ContactField("sip:a@10.0.0.4", instance(PHONE), OptionalLong.of(600))),
            false,
            OptionalLong.empty(),
            false,
            "tls:127.0.0.1:40001");
    assertThat(((Refused) registrar.register(ALICE_PHONE, two)).status()).isEqualTo(400);
  }

  @Test
  void gateway_without_instance_registers_one_binding_keyed_by_its_aor() {
    SipAddress gw = new SipAddress("sip", "ipgw", "abcdefghijkl");
    RegisterRequest request =
        new RegisterRequest(
            gw,
            gw,
            List.of(new ContactField("sip:ipgw@10.0.0.9", Optional.empty(), OptionalLong.of(300))),
            false,
            OptionalLong.empty(),
            true,
            "tls:127.0.0.1:40002");
    Accepted accepted = (Accepted) registrar.register(GATEWAY, request);
    assertThat(accepted.contacts().get(0).publicGruu()).isEmpty();
    assertThat(bindings.of("ipgw@abcdefghijkl", clock.instant()).get(0).key())
        .isEqualTo("ipgw@abcdefghijkl");

    RegisterRequest withInstance =
        new RegisterRequest(
            gw,
            gw,
            List.of(new ContactField("sip:ipgw@10.0.0.9", instance(PHONE), OptionalLong.of(300))),
            false,
            OptionalLong.empty(),
            true,
            "tls:127.0.0.1:40002");
    assertThat(((Refused) registrar.register(GATEWAY, withInstance)).status()).isEqualTo(403);
  }

  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
