package io.doorpair.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.CryptoException;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.testing.TestCsrs;
import io.doorpair.crypto.testing.TestPki;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final CaSettings SETTINGS = CaSettings.defaults().withKeyBits(2048);
  private static final KeyPair CA_KEYS = TestPki.pooledKey(0);
  private static final KeyPair APP_KEYS = TestPki.pooledKey(1);
  private static final UUID INSTANCE = UUID.fromString("3f2b8c1e-9a4d-4e6f-b7c8-1d2e3f4a5b6c");
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  private static SecureRandom seeded(long seed) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed);
      return random;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static CertificateAuthority ca(Clock clock) {
    return CertificateAuthority.createSelfSigned(CA_KEYS, SETTINGS, clock, seeded(2026));
  }

  @Test
  void ca_certificate_matches_golden_dump() {
    CertificateAuthority ca = ca(CLOCK);
    Golden.assertMatches("ca", CertificateDump.of(ca.certificate(), ca.certificate()));
  }

  @Test
  void app_certificate_matches_golden_dump() {
    CertificateAuthority ca = ca(CLOCK);
    IssuedCertificate issued =
        ca.issueClient(APP_KEYS.getPublic(), "alice@portal.example.com", Optional.of(INSTANCE));
    Golden.assertMatches("client-app", CertificateDump.of(issued.certificate(), ca.certificate()));
  }

  @Test
  void gateway_certificate_matches_golden_dump() {
    CertificateAuthority ca = ca(CLOCK);
    IssuedCertificate issued =
        ca.issueClient(APP_KEYS.getPublic(), "ipgw@a1b2c3d4e5f6", Optional.empty());
    Golden.assertMatches(
        "client-gateway", CertificateDump.of(issued.certificate(), ca.certificate()));
  }

  @Test
  void server_certificate_matches_golden_dump() {
    CertificateAuthority ca = ca(CLOCK);
    IssuedCertificate issued =
        ca.issueServer(
            APP_KEYS.getPublic(),
            List.of("portal.example.com", "sip.example.com"),
            List.of("192.0.2.7", "2001:db8::7"));
    Golden.assertMatches("server", CertificateDump.of(issued.certificate(), ca.certificate()));
  }

  @Test
  void crl_matches_golden_dump() {
    CertificateAuthority ca = ca(CLOCK);
    X509CRL crl =
        ca.crl(
            List.of(
                new RevokedSerial(new BigInteger("7f00", 16), NOW.minus(Duration.ofHours(2))),
                new RevokedSerial(new BigInteger("1234", 16), NOW.minus(Duration.ofDays(3)))),
            BigInteger.valueOf(42),
            NOW,
            NOW.plus(Duration.ofDays(1)));
    Golden.assertMatches("crl", CertificateDump.of(crl, ca.certificate()));
  }

  @Test
  void client_certificate_has_exactly_the_design_extensions() throws Exception {
    CertificateAuthority ca = ca(CLOCK);
    IssuedCertificate issued =
        ca.issueClient(APP_KEYS.getPublic(), "alice@portal.example.com", Optional.of(INSTANCE));
    X509Certificate cert = issued.certificate();
    cert.verify(ca.certificate().getPublicKey());
    assertThat(cert.getVersion()).isEqualTo(3);
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withRSA");
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=alice@portal.example.com");
    assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
    assertThat(cert.getNonCriticalExtensionOIDs())
        .containsExactlyInAnyOrder("2.5.29.37", "2.5.29.17", "2.5.29.14", "2.5.29.35");
    assertThat(cert.getKeyUsage())
        .startsWith(true, false, true, false, false, false, false, false, false);
    assertThat(cert.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    assertThat(cert.getSubjectAlternativeNames())
        .containsExactly(
            List.of(6, "sip:alice@portal.example.com"), List.of(6, "urn:uuid:" + INSTANCE));
    assertThat(akiOf(cert)).isEqualTo(skiOf(ca.certificate()));
    assertThat(issued.serial()).isEqualTo(cert.getSerialNumber());
    assertThat(issued.commonName()).isEqualTo("alice@portal.example.com");
    assertThat(issued.instance()).contains(INSTANCE);
    assertThat(Pem.parseCertificate(issued.pem())).isEqualTo(cert);
    CertificateIdentity id = CertificateIdentity.of(cert);
    assertThat(id.instance()).contains(INSTANCE);
    assertThat(id.user()).isEqualTo("alice");
  }

  @Test
  void extra_extensions_requested_in_the_csr_never_reach_the_certificate() throws Exception {
    CertificateRequest csr =
        CertificateRequest.parse(
            TestCsrs.builder(APP_KEYS)
                .commonName("alice@portal.example.com")
                .caTrue()
                .certSign()
                .serverAuth()
                .dns("portal.example.com")
                .ip("10.1.2.3")
                .email("alice@example.com")
                .uri("https://evil.example.com/")
                .uri("urn:uuid:" + INSTANCE)
                .pem());
    PairingSubject subject = CsrPolicy.evaluate(csr, "alice", "portal.example.com");
    X509Certificate cert =
        ca(CLOCK)
            .issueClient(
                csr.publicKey(),
                subject.commonName("portal.example.com"),
                ((AppSubject) subject).proposedInstance())
            .certificate();
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isFalse();
    assertThat(cert.getKeyUsage()[6]).as("cRLSign").isFalse();
    assertThat(cert.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH).doesNotContain(SERVER_AUTH);
    assertThat(cert.getSubjectAlternativeNames())
        .containsExactly(
            List.of(6, "sip:alice@portal.example.com"), List.of(6, "urn:uuid:" + INSTANCE));
  }

  @Test
  void common_name_is_encoded_literally() {
    IssuedCertificate issued =
        ca(CLOCK).issueClient(APP_KEYS.getPublic(), "#0c03616263@b", Optional.empty());
    assertThat(CertificateIdentity.of(issued.certificate()).commonName())
        .isEqualTo("#0c03616263@b");
  }

  @Test
  void gateway_certificate_has_no_instance() {
    IssuedCertificate issued =
        ca(CLOCK).issueClient(APP_KEYS.getPublic(), "ipgw@a1b2c3d4e5f6", Optional.empty());
    assertThat(CertificateIdentity.of(issued.certificate()).gatewayDomain())
        .contains("a1b2c3d4e5f6");
    assertThat(issued.instance()).isEmpty();
  }

  @Test
  void validity_is_backdated_and_lasts_the_client_validity() {
    IssuedCertificate issued = ca(CLOCK).issueClient(APP_KEYS.getPublic(), "a@b", Optional.empty());
    assertThat(issued.notBefore()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
    assertThat(issued.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(730)));
    assertThat(issued.certificate().getNotAfter().toInstant()).isEqualTo(issued.notAfter());
  }

  @Test
  void validity_is_clamped_to_the_ca_not_after() {
    CertificateAuthority original = ca(CLOCK);
    Instant caNotAfter = original.certificate().getNotAfter().toInstant();
    Clock late = Clock.fixed(caNotAfter.minus(Duration.ofDays(100)), ZoneOffset.UTC);
    CertificateAuthority ca =
        new CertificateAuthority(
            CA_KEYS.getPrivate(), original.certificate(), SETTINGS, late, new SecureRandom());
    assertThat(ca.issueClient(APP_KEYS.getPublic(), "a@b", Optional.empty()).notAfter())
        .isEqualTo(caNotAfter);
    assertThat(ca.issueServer(APP_KEYS.getPublic(), List.of("localhost"), List.of()).notAfter())
        .isEqualTo(caNotAfter);
  }

  @Test
  void expired_ca_refuses_to_issue() {
    CertificateAuthority original = ca(CLOCK);
    Instant caNotAfter = original.certificate().getNotAfter().toInstant();
    Clock after = Clock.fixed(caNotAfter.plusSeconds(1), ZoneOffset.UTC);
    CertificateAuthority ca =
        new CertificateAuthority(
            CA_KEYS.getPrivate(), original.certificate(), SETTINGS, after, new SecureRandom());
    assertThatThrownBy(() -> ca.issueClient(APP_KEYS.getPublic(), "a@b", Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the CA certificate expired on " + caNotAfter);
  }

  @Test
  void serials_are_random_positive_and_between_64_and_127_bits() {
    CertificateAuthority ca =
        CertificateAuthority.createSelfSigned(CA_KEYS, SETTINGS, CLOCK, new SecureRandom());
    Set<BigInteger> serials = new HashSet<>();
    BigInteger union = BigInteger.ZERO;
    int full = 0;
    for (int i = 0; i < 300; i++) {
      BigInteger serial = ca.issueClient(APP_KEYS.getPublic(), "a@b", Optional.empty()).serial();
      assertThat(serial.signum()).isPositive();
      assertThat(serial.bitLength()).isBetween(64, 127);
      serials.add(serial);
      union = union.or(serial);
      if (serial.bitLength() == 127) {
        full++;
      }
    }
    assertThat(serials).hasSize(300);
    assertThat(union).isEqualTo(BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE));
    // about half the serials have their top bit set
    assertThat(full).isBetween(100, 200);
  }

  @Test
  void serials_come_from_the_injected_random() {
    BigInteger a =
        CertificateAuthority.createSelfSigned(CA_KEYS, SETTINGS, CLOCK, seeded(1))
            .issueClient(APP_KEYS.getPublic(), "a@b", Optional.empty())
            .serial();
    BigInteger b =
        CertificateAuthority.createSelfSigned(CA_KEYS, SETTINGS, CLOCK, seeded(1))
            .issueClient(APP_KEYS.getPublic(), "a@b", Optional.empty())
            .serial();
    assertThat(a).isEqualTo(b);
  }

  @Test
  void serial_numbers_never_have_fewer_than_64_bits() {
    SecureRandom mostlyZero =
        new SecureRandom() {
          private int calls;

          @Override
          public void nextBytes(byte[] bytes) {
            if (calls++ < 3) {
              java.util.Arrays.fill(bytes, (byte) 0);
              bytes[bytes.length - 1] = 1;
            } else {
              super.nextBytes(bytes);
            }
          }
        };
    assertThat(SerialNumbers.next(mostlyZero).bitLength()).isGreaterThanOrEqualTo(64);
  }

  @Test
  void server_certificate_names_dns_and_ip_with_server_auth_only() throws Exception {
    CertificateAuthority ca = ca(CLOCK);
    IssuedCertificate issued =
        ca.issueServer(APP_KEYS.getPublic(), List.of("portal.example.com"), List.of("127.0.0.1"));
    X509Certificate cert = issued.certificate();
    cert.verify(ca.certificate().getPublicKey());
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=portal.example.com");
    assertThat(cert.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(cert.getSubjectAlternativeNames())
        .containsExactly(List.of(2, "portal.example.com"), List.of(7, "127.0.0.1"));
    assertThat(issued.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(365)));
    IssuedCertificate ipOnly = ca.issueServer(APP_KEYS.getPublic(), List.of(), List.of("::1"));
    assertThat(ipOnly.commonName()).isEqualTo("::1");
  }

  @Test
  void node_certificate_has_server_and_client_auth() throws Exception {
    CertificateAuthority ca = ca(CLOCK);
    IssuedCertificate node =
        ca.issueNode(APP_KEYS.getPublic(), List.of("sip1.example.com"), List.of("127.0.0.1"));
    X509Certificate cert = node.certificate();
    cert.verify(ca.certificate().getPublicKey());
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=sip1.example.com");
    assertThat(cert.getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThatThrownBy(() -> ca.issueNode(APP_KEYS.getPublic(), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node certificate");
  }

  @Test
  void bad_subject_keys_and_names_are_refused() {
    CertificateAuthority ca = ca(CLOCK);
    assertThatThrownBy(() -> ca.issueClient(weakKey(), "a@b", Optional.empty()))
        .isInstanceOfSatisfying(
            CryptoException.class, e -> assertThat(e.code()).isEqualTo("weak_key"));
    assertThatThrownBy(() -> ca.issueClient(APP_KEYS.getPublic(), "no at sign", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> ca.issueClient(APP_KEYS.getPublic(), "a@b", Optional.of(new UUID(0, 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("instance must be a version-4 UUID");
    assertThatThrownBy(() -> ca.issueServer(APP_KEYS.getPublic(), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ca.issueServer(APP_KEYS.getPublic(), List.of("bad name"), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a DNS name: bad name");
    assertThatThrownBy(
            () -> ca.issueServer(APP_KEYS.getPublic(), List.of(), List.of("example.com")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an IP address: example.com");
  }

  @Test
  void ca_key_must_match_its_certificate() {
    X509Certificate caCert = ca(CLOCK).certificate();
    assertThatThrownBy(
            () ->
                new CertificateAuthority(
                    APP_KEYS.getPrivate(), caCert, SETTINGS, CLOCK, new SecureRandom()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the CA key does not match the CA certificate");
  }

  @Test
  void leaf_certificate_cannot_act_as_ca() {
    CertificateAuthority ca = ca(CLOCK);
    X509Certificate leaf =
        ca.issueClient(APP_KEYS.getPublic(), "a@b", Optional.empty()).certificate();
    assertThatThrownBy(
            () ->
                new CertificateAuthority(
                    APP_KEYS.getPrivate(), leaf, SETTINGS, CLOCK, new SecureRandom()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the CA certificate is not a CA certificate");
  }

  @Test
  void crl_verifies_with_the_ca_key_and_lists_the_revoked() throws Exception {
    CertificateAuthority ca = ca(CLOCK);
    IssuedCertificate revoked = ca.issueClient(APP_KEYS.getPublic(), "a@b", Optional.empty());
    IssuedCertificate kept = ca.issueClient(APP_KEYS.getPublic(), "a@b", Optional.empty());
    Instant revokedAt = NOW.minus(Duration.ofMinutes(1));
    X509CRL crl =
        ca.crl(
            List.of(new RevokedSerial(revoked.serial(), revokedAt)),
            BigInteger.valueOf(9),
            NOW,
            NOW.plus(Duration.ofHours(6)));
    crl.verify(ca.certificate().getPublicKey());
    assertThat(crl.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(crl.isRevoked(revoked.certificate())).isTrue();
    assertThat(crl.isRevoked(kept.certificate())).isFalse();
    assertThat(crl.getRevokedCertificate(revoked.serial()).getRevocationDate().toInstant())
        .isEqualTo(revokedAt);
    assertThat(crl.getThisUpdate().toInstant()).isEqualTo(NOW);
    assertThat(crl.getNextUpdate().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(6)));
    byte[] number = ASN1OctetString.getInstance(crl.getExtensionValue("2.5.29.20")).getOctets();
    assertThat(ASN1Integer.getInstance(number).getValue()).isEqualTo(9);
    byte[] aki = ASN1OctetString.getInstance(crl.getExtensionValue("2.5.29.35")).getOctets();
    assertThat(AuthorityKeyIdentifier.getInstance(aki).getKeyIdentifier())
        .isEqualTo(skiOf(ca.certificate()));
    assertThat(Pem.parseCrl(Pem.crl(crl))).isEqualTo(crl);
  }

  @Test
  void empty_crl_is_valid() throws Exception {
    CertificateAuthority ca = ca(CLOCK);
    X509CRL crl = ca.crl(List.of(), BigInteger.ZERO, NOW, NOW.plus(Duration.ofDays(1)));
    crl.verify(ca.certificate().getPublicKey());
    assertThat(crl.getRevokedCertificates()).isNull();
  }

  @Test
  void crl_arguments_are_checked() {
    CertificateAuthority ca = ca(CLOCK);
    RevokedSerial one = new RevokedSerial(BigInteger.TEN, NOW);
    Instant later = NOW.plus(Duration.ofDays(1));
    assertThatThrownBy(() -> ca.crl(List.of(one, one), BigInteger.ONE, NOW, later))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("serial a is listed twice");
    assertThatThrownBy(() -> ca.crl(List.of(), BigInteger.ONE, later, NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nextUpdate must be after thisUpdate");
    assertThatThrownBy(() -> ca.crl(List.of(), BigInteger.valueOf(-1), NOW, later))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RevokedSerial(BigInteger.ZERO, NOW))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static java.security.PublicKey weakKey() {
    try {
      java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
      generator.initialize(1024);
      return generator.generateKeyPair().getPublic();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] skiOf(X509Certificate cert) {
    byte[] octets = ASN1OctetString.getInstance(cert.getExtensionValue("2.5.29.14")).getOctets();
    return SubjectKeyIdentifier.getInstance(octets).getKeyIdentifier();
  }

  private static byte[] akiOf(X509Certificate cert) {
    byte[] octets = ASN1OctetString.getInstance(cert.getExtensionValue("2.5.29.35")).getOctets();
    return AuthorityKeyIdentifier.getInstance(octets).getKeyIdentifier();
  }
}
