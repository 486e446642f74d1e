package io.doorpair.welcome.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.Pem;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.welcome.api.CertificateResponse;
import io.doorpair.welcome.testing.CrossCertificates;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The rule of {@code docs/ca-rotation.md} by which a renewal may change the pinned CA: a
 * cross-certificate of the new CA signed by the pinned CA in the same session's chain, the renewed
 * certificate signed by the new CA, same CN and instance. Every other CA change is {@code
 * ca_changed}.
 */
class RotationChecksTest {
  private static final String CN = "alice@portal.test";
  private static final UUID INSTANCE = UUID.randomUUID();

  private final TestPki oldCa = TestPki.create("Portal CA 20260101T000000Z");
  private final TestPki newCa = TestPki.create("Portal CA 20261205T004512Z");
  private final KeyPair device = TestPki.nextKey();
  private final X509Certificate current =
      oldCa.issueClient(CN, Optional.of(INSTANCE), device).certificate();
  private final X509Certificate cross =
      CrossCertificates.of(
          newCa.caCertificate(), oldCa.caCertificate(), oldCa.caKeys().getPrivate());
  private final X509Certificate server = newCa.issueServer("localhost").certificate();
  private final CertificateChecks checks =
      new CertificateChecks(Optional.of(oldCa.caCertificate()));

  private CertificateResponse answer(X509Certificate certificate, X509Certificate ca) {
    return new CertificateResponse(
        Pem.certificate(certificate), Pem.certificate(ca), null, null, null);
  }

  private X509Certificate renewedByNewCa() {
    return newCa.issueClient(CN, Optional.of(INSTANCE), device).certificate();
  }

  private void refused(CertificateResponse answer, List<X509Certificate> chain, String why) {
    assertThatThrownBy(() -> checks.renewed(201, answer, current, chain))
        .isInstanceOfSatisfying(
            PortalException.class,
            e -> {
              assertThat(e.code()).isEqualTo(PortalException.CA_CHANGED);
              assertThat(e.getMessage()).contains(why);
            });
  }

  @Test
  void a_new_ca_cross_certified_by_the_pinned_one_in_the_same_session_is_accepted() {
    CertificateResponse answer = answer(renewedByNewCa(), newCa.caCertificate());
    assertThat(checks.renewed(201, answer, current, List.of(server, cross, oldCa.caCertificate())))
        .isSameAs(answer);
  }

  @Test
  void the_pinned_ca_unchanged_needs_no_cross_certificate() {
    CertificateResponse answer =
        answer(
            oldCa.issueClient(CN, Optional.of(INSTANCE), device).certificate(),
            oldCa.caCertificate());
    assertThat(checks.renewed(201, answer, current, List.of())).isSameAs(answer);
  }

  @Test
  void a_new_ca_without_a_cross_certificate_is_refused() {
    CertificateResponse answer = answer(renewedByNewCa(), newCa.caCertificate());
    refused(
        answer,
        List.of(oldCa.issueServer("localhost").certificate(), oldCa.caCertificate()),
        "no certificate of the new CA signed by the pinned CA");
    refused(answer, List.of(), "no certificate of the new CA signed by the pinned CA");
  }

  @Test
  void a_cross_certificate_signed_by_another_key_is_refused() {
    KeyPair other = RsaKeys.generate(2048);
    X509Certificate forged =
        CrossCertificates.of(newCa.caCertificate(), oldCa.caCertificate(), other.getPrivate());
    refused(
        answer(renewedByNewCa(), newCa.caCertificate()),
        List.of(server, forged),
        "no certificate of the new CA signed by the pinned CA");
  }

  @Test
  void a_cross_certificate_for_another_key_or_name_is_refused() {
    // the pinned CA did cross-certify a CA, but not the one the answer names
    TestPki third = TestPki.create("Portal CA 20270101T000000Z");
    X509Certificate crossOfThird =
        CrossCertificates.of(
            third.caCertificate(), oldCa.caCertificate(), oldCa.caKeys().getPrivate());
    refused(
        answer(renewedByNewCa(), newCa.caCertificate()),
        List.of(server, crossOfThird),
        "no certificate of the new CA");
    // a look-alike of the new CA (same name, another key) is cross-certified, not the new CA
    X509Certificate crossOfLookAlike =
        CrossCertificates.of(
            newCa.rogueCaCertificate(), oldCa.caCertificate(), oldCa.caKeys().getPrivate());
    refused(
        answer(renewedByNewCa(), newCa.caCertificate()),
        List.of(server, crossOfLookAlike),
        "no certificate of the new CA");
  }

  @Test
  void a_renewed_certificate_not_signed_by_the_new_ca_is_refused() {
    X509Certificate byLookAlike = newCa.issueRogueClient(CN, Optional.of(INSTANCE)).certificate();
    refused(
        answer(byLookAlike, newCa.caCertificate()),
        List.of(server, cross),
        "not signed by the new portal CA");
    refused(
        answer(current, newCa.caCertificate()),
        List.of(server, cross),
        "not signed by the new portal CA");
  }

  @Test
  void a_renewed_certificate_with_another_cn_or_instance_is_refused() {
    refused(
        answer(
            newCa.issueClient("mallory@portal.test", Optional.of(INSTANCE), device).certificate(),
            newCa.caCertificate()),
        List.of(server, cross),
        "changed its CN or instance");
    refused(
        answer(
            newCa.issueClient(CN, Optional.of(UUID.randomUUID()), device).certificate(),
            newCa.caCertificate()),
        List.of(server, cross),
        "changed its CN or instance");
    refused(
        answer(
            newCa.issueClient(CN, Optional.empty(), device).certificate(), newCa.caCertificate()),
        List.of(server, cross),
        "changed its CN or instance");
  }

  @Test
  void a_new_ca_that_is_not_a_self_signed_ca_is_refused() {
    // the cross-certificate itself (issued by the old CA) as the "new CA"
    refused(
        answer(renewedByNewCa(), cross),
        List.of(server, cross),
        "not a self-signed CA certificate");
    // a leaf certificate as the "new CA"
    refused(
        answer(renewedByNewCa(), server),
        List.of(server, cross),
        "not a self-signed CA certificate");
  }
}
