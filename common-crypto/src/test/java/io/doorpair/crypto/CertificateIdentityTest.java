package io.doorpair.crypto;

import static io.doorpair.crypto.CertificateRequestTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.testing.TestPki;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CertificateIdentityTest {
  private static final UUID INSTANCE = UUID.fromString("0b8e0a44-5c1e-4f7a-8a3b-6c2d1e0f9a8b");

  @Test
  void app_certificate_names_user_host_and_instance() {
    TestPki.Leaf leaf =
        TestPki.shared().issueClient("alice@portal.example.com", Optional.of(INSTANCE));
    CertificateIdentity id = CertificateIdentity.of(leaf.certificate());
    assertThat(id.commonName()).isEqualTo("alice@portal.example.com");
    assertThat(id.user()).isEqualTo("alice");
    assertThat(id.host()).isEqualTo("portal.example.com");
    assertThat(id.instance()).contains(INSTANCE);
    assertThat(id.serial()).isEqualTo(leaf.serial());
    assertThat(id.isGateway()).isFalse();
    assertThat(id.gatewayDomain()).isEmpty();
  }

  @Test
  void gateway_certificate_names_its_domain() {
    TestPki.Leaf leaf = TestPki.shared().issueClient("ipgw@a1b2c3d4e5f6", Optional.empty());
    CertificateIdentity id = CertificateIdentity.of(leaf.certificate());
    assertThat(id.isGateway()).isTrue();
    assertThat(id.gatewayDomain()).contains("a1b2c3d4e5f6");
    assertThat(id.user()).isEqualTo("ipgw");
    assertThat(id.instance()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "ipgw@a1b2c3d4e5f, false",
    "ipgw@a1b2c3d4e5f6a, false",
    "ipgw@A1B2C3D4E5F6, false",
    "IPGW@a1b2c3d4e5f6, false",
    "ipgw@a1b2c3d4e5-6, false",
    "ipgw@a1b2c3d4e5f6, true",
    "ipgw@000000000000, true",
  })
  void gateway_cn_is_exactly_ipgw_at_12_lowercase_alphanumerics(String cn, boolean gateway) {
    CertificateIdentity id = new CertificateIdentity(cn, BigInteger.ONE, Optional.empty());
    assertThat(id.isGateway()).isEqualTo(gateway);
    assertThat(id.gatewayDomain().isPresent()).isEqualTo(gateway);
  }

  @Test
  void uuid_san_with_other_uris_is_found() {
    X509Certificate cert =
        OddCertificates.selfSigned("CN=bob@p.example", "sip:bob@p.example", "URN:UUID:" + INSTANCE);
    assertThat(CertificateIdentity.of(cert).instance()).contains(INSTANCE);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "O=Example | certificate subject must contain exactly one CN, found 0",
        "CN=a@b,CN=c@d | certificate subject must contain exactly one CN, found 2",
        "CN=a@b+CN=c@d | certificate subject must contain exactly one CN, found 2",
        "CN=portal.example.com | certificate common name is not of the form user@host",
        "CN=@portal.example.com | certificate common name is not of the form user@host",
        "CN=bob@ | certificate common name is not of the form user@host",
        "CN=a@b@c | certificate common name is not of the form user@host",
      })
  void missing_or_ambiguous_cn_is_bad_certificate(String subject, String message) {
    X509Certificate cert = OddCertificates.selfSigned(subject);
    assertRefused(() -> CertificateIdentity.of(cert), "bad_certificate", message);
  }

  @Test
  void two_instances_are_bad_certificate() {
    X509Certificate cert =
        OddCertificates.selfSigned(
            "CN=bob@p.example", "urn:uuid:" + INSTANCE, "urn:uuid:" + UUID.randomUUID());
    assertRefused(
        () -> CertificateIdentity.of(cert),
        "bad_certificate",
        "certificate has more than one urn:uuid SAN");
  }

  @Test
  void non_v4_instance_is_bad_certificate() {
    X509Certificate cert =
        OddCertificates.selfSigned(
            "CN=bob@p.example", "urn:uuid:0b8e0a44-5c1e-1f7a-8a3b-6c2d1e0f9a8b");
    assertRefused(
        () -> CertificateIdentity.of(cert),
        "bad_certificate",
        "certificate urn:uuid SAN is not a version-4 UUID");
  }

  @Test
  void constructor_checks_its_components() {
    assertThatThrownBy(() -> new CertificateIdentity("nobody", BigInteger.ONE, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("common name is not of the form user@host");
    assertThatThrownBy(
            () -> new CertificateIdentity("a@b", BigInteger.ONE, Optional.of(new UUID(0, 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("instance must be a version-4 UUID");
  }
}
