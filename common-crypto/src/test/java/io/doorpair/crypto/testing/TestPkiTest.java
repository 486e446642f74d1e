package io.doorpair.crypto.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.CertificateIdentity;
import java.security.SignatureException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509CRL;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TestPkiTest {
  private static final TestPki PKI = TestPki.shared();

  @Test
  void client_is_signed_by_the_ca_and_names_its_instance() throws Exception {
    UUID instance = UUID.randomUUID();
    TestPki.Leaf leaf = PKI.issueClient("alice@portal.example.com", Optional.of(instance));
    leaf.certificate().verify(PKI.caCertificate().getPublicKey());
    leaf.certificate().checkValidity();
    assertThat(leaf.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(leaf.certificate().getBasicConstraints()).isEqualTo(-1);
    assertThat(CertificateIdentity.of(leaf.certificate()).instance()).contains(instance);
    assertThat(leaf.issuer()).isEqualTo(PKI.caCertificate());
  }

  @Test
  void consecutive_leaves_have_different_keys() {
    TestPki.Leaf a = PKI.issueClient("a@b", Optional.empty());
    TestPki.Leaf b = PKI.issueClient("a@b", Optional.empty());
    assertThat(a.keys().getPublic()).isNotEqualTo(b.keys().getPublic());
    assertThat(a.serial()).isNotEqualTo(b.serial());
  }

  @Test
  void server_has_dns_and_ip_names() throws Exception {
    TestPki.Leaf leaf = PKI.issueServer("localhost", "127.0.0.1", "::1");
    leaf.certificate().verify(PKI.caCertificate().getPublicKey());
    assertThat(leaf.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    assertThat(leaf.certificate().getSubjectAlternativeNames())
        .extracting(l -> (Object) l.get(0))
        .containsExactly(2, 7, 7);
    assertThat(leaf.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
  }

  @Test
  void rogue_client_looks_alike_but_does_not_verify() {
    TestPki.Leaf rogue = PKI.issueRogueClient("alice@portal.example.com", Optional.empty());
    assertThat(rogue.certificate().getIssuerX500Principal())
        .isEqualTo(PKI.caCertificate().getSubjectX500Principal());
    assertThatThrownBy(() -> rogue.certificate().verify(PKI.caCertificate().getPublicKey()))
        .isInstanceOf(SignatureException.class);
  }

  @Test
  void self_signed_client_is_its_own_issuer() throws Exception {
    TestPki.Leaf leaf = PKI.selfSignedClient("alice@portal.example.com", Optional.empty());
    leaf.certificate().verify(leaf.keys().getPublic());
    assertThat(leaf.issuer()).isEqualTo(leaf.certificate());
  }

  @Test
  void expired_client_is_expired() {
    TestPki.Leaf leaf = PKI.expiredClient("alice@portal.example.com", Optional.empty());
    assertThatThrownBy(() -> leaf.certificate().checkValidity())
        .isInstanceOf(CertificateExpiredException.class);
  }

  @Test
  void crl_lists_revoked_serials_and_verifies_with_the_ca() throws Exception {
    TestPki.Leaf revoked = PKI.issueClient("a@b", Optional.empty());
    TestPki.Leaf kept = PKI.issueClient("a@b", Optional.empty());
    X509CRL crl = PKI.crl(revoked.serial());
    crl.verify(PKI.caCertificate().getPublicKey());
    assertThat(crl.isRevoked(revoked.certificate())).isTrue();
    assertThat(crl.isRevoked(kept.certificate())).isFalse();
    assertThatThrownBy(
            () -> PKI.rogueCrl(revoked.serial()).verify(PKI.caCertificate().getPublicKey()))
        .isInstanceOf(SignatureException.class);
  }

  @Test
  void pairing_vectors_are_found() {
    assertThat(PairingVectors.sharedDirectory().resolve("testvectors")).isDirectory();
    assertThatCode(() -> PairingVectors.load().certificate()).doesNotThrowAnyException();
    assertThat(PairingVectors.load().securityCodes())
        .extracting(PairingVectors.SecurityCodeCase::salt)
        .isEqualTo(List.of("0000", "0420", "4821", "9999"));
  }
}
