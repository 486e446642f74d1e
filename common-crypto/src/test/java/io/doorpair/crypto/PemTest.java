package io.doorpair.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.testing.TestCsrs;
import io.doorpair.crypto.testing.TestPki;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PemTest {
  private static final TestPki PKI = TestPki.shared();

  @Test
  void certificate_round_trips() {
    X509Certificate cert =
        PKI.issueClient("alice@portal.example.com", Optional.empty()).certificate();
    String pem = Pem.certificate(cert);
    assertThat(pem)
        .startsWith("-----BEGIN CERTIFICATE-----\n")
        .endsWith("-----END CERTIFICATE-----\n");
    assertThat(pem.lines().filter(l -> !l.startsWith("-----")).allMatch(l -> l.length() <= 64))
        .isTrue();
    assertThat(Pem.parseCertificate(pem)).isEqualTo(cert);
  }

  @Test
  void certificates_are_read_in_order_and_other_blocks_ignored() {
    TestPki.Leaf leaf = PKI.issueClient("bob@portal.example.com", Optional.empty());
    String bundle = leaf.privateKeyPem() + leaf.certificatePem() + PKI.caPem();
    assertThat(Pem.parseCertificates(bundle))
        .containsExactly(leaf.certificate(), PKI.caCertificate());
  }

  @Test
  void agent_pem_yields_its_key_and_its_certificate() {
    TestPki.Leaf leaf = PKI.issueClient("ipgw@abcdefghijkl", Optional.empty());
    assertThat(Pem.parsePrivateKey(leaf.agentPem()).getEncoded())
        .isEqualTo(leaf.keys().getPrivate().getEncoded());
    assertThat(Pem.parseCertificate(leaf.agentPem())).isEqualTo(leaf.certificate());
  }

  @Test
  void explanatory_text_and_crlf_line_ends_are_accepted() {
    String pem =
        "subject=CN = doorpair test CA\r\n"
            + PKI.caPem().replace("\n", "\r\n")
            + "trailing words\r\n";
    assertThat(Pem.parseCertificate(pem)).isEqualTo(PKI.caCertificate());
  }

  @Test
  void pkcs8_private_key_round_trips() {
    KeyPair keys = TestPki.pooledKey(1);
    String pem = Pem.privateKey(keys.getPrivate());
    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(Pem.parsePrivateKey(pem).getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
  }

  @Test
  void pkcs1_rsa_private_key_is_read() throws Exception {
    KeyPair keys = TestPki.pooledKey(1);
    byte[] pkcs1 =
        PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded())
            .parsePrivateKey()
            .toASN1Primitive()
            .getEncoded();
    String pem = TestCsrs.pem("RSA PRIVATE KEY", pkcs1);
    assertThat(Pem.parsePrivateKey(pem).getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
  }

  @Test
  void public_key_round_trips() {
    KeyPair keys = TestPki.pooledKey(2);
    String pem = Pem.publicKey(keys.getPublic());
    assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n");
    assertThat(Pem.parsePublicKey(pem).getEncoded()).isEqualTo(keys.getPublic().getEncoded());
  }

  @Test
  void crl_round_trips() {
    X509CRL crl = PKI.crl(BigInteger.valueOf(7), BigInteger.valueOf(9));
    String pem = Pem.crl(crl);
    assertThat(pem).startsWith("-----BEGIN X509 CRL-----\n");
    X509CRL parsed = Pem.parseCrl(pem);
    assertThat(parsed).isEqualTo(crl);
    assertThat(parsed.getRevokedCertificate(BigInteger.valueOf(9))).isNotNull();
  }

  @Test
  void ec_private_key_is_unsupported() {
    String pem = Pem.privateKey(OddKeys.ec().getPrivate());
    assertThatThrownBy(() -> Pem.parsePrivateKey(pem))
        .isInstanceOfSatisfying(
            CryptoException.class, e -> assertThat(e.code()).isEqualTo("unsupported_key"))
        .hasMessage("unsupported key algorithm EC: only RSA keys are accepted");
  }

  @Test
  void ed25519_public_key_is_unsupported() {
    String pem = Pem.publicKey(OddKeys.ed25519().getPublic());
    assertThatThrownBy(() -> Pem.parsePublicKey(pem))
        .isInstanceOfSatisfying(
            CryptoException.class, e -> assertThat(e.code()).isEqualTo("unsupported_key"))
        .hasMessage("unsupported key algorithm Ed25519: only RSA keys are accepted");
  }

  static Stream<Arguments> malformedCertificates() {
    return Stream.of(
        Arguments.of("empty input", "", "no CERTIFICATE block found"),
        Arguments.of("not PEM", "hello world", "no CERTIFICATE block found"),
        Arguments.of(
            "unterminated",
            "-----BEGIN CERTIFICATE-----\nAAAA\n",
            "PEM block CERTIFICATE is not terminated"),
        Arguments.of(
            "END mismatch",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END X509 CRL-----\n",
            "PEM END line does not match BEGIN CERTIFICATE"),
        Arguments.of("END alone", "-----END CERTIFICATE-----\n", "PEM END line without BEGIN line"),
        Arguments.of(
            "nested BEGIN",
            "-----BEGIN CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n",
            "PEM block CERTIFICATE is not terminated"),
        Arguments.of(
            "malformed BEGIN", "-----BEGIN CERTIFICATE----\nAAAA\n", "malformed PEM BEGIN line"),
        Arguments.of(
            "headers",
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END RSA PRIVATE KEY-----\n",
            "PEM block RSA PRIVATE KEY has headers: encrypted or annotated PEM is not supported"),
        Arguments.of(
            "bad base64 chars",
            "-----BEGIN CERTIFICATE-----\nAA*A\n-----END CERTIFICATE-----\n",
            "PEM block CERTIFICATE is not valid base64"),
        Arguments.of(
            "bad base64 padding",
            "-----BEGIN CERTIFICATE-----\nA===\n-----END CERTIFICATE-----\n",
            "PEM block CERTIFICATE is not valid base64"),
        Arguments.of(
            "empty block",
            "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
            "PEM block CERTIFICATE is empty"),
        Arguments.of(
            "not DER",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            "CERTIFICATE block is not a valid X.509 certificate"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedCertificates")
  void malformed_certificate_pem_is_refused(String name, String input, String message) {
    assertBadPem(() -> Pem.parseCertificate(input), message);
  }

  @Test
  void two_certificates_are_ambiguous_for_parse_certificate() {
    String two = PKI.caPem() + PKI.caPem();
    assertBadPem(() -> Pem.parseCertificate(two), "expected one CERTIFICATE block, found 2");
  }

  @Test
  void certificate_with_trailing_der_bytes_is_refused() throws Exception {
    byte[] der = PKI.caCertificate().getEncoded();
    byte[] longer = Arrays.copyOf(der, der.length + 2);
    assertBadPem(
        () -> Pem.parseCertificate(TestCsrs.pem("CERTIFICATE", longer)),
        "CERTIFICATE block is not a valid X.509 certificate");
  }

  @Test
  void input_over_64_kib_is_refused_before_parsing() {
    String big = PKI.caPem() + " ".repeat(Pem.MAX_CHARS);
    assertBadPem(() -> Pem.parseCertificate(big), "PEM input larger than 65536 characters");
    assertBadPem(() -> Pem.parseCertificates(big), "PEM input larger than 65536 characters");
    assertBadPem(() -> Pem.parsePrivateKey(big), "PEM input larger than 65536 characters");
  }

  @Test
  void encrypted_private_key_is_refused() {
    String pem = TestCsrs.pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x00});
    assertBadPem(() -> Pem.parsePrivateKey(pem), "encrypted private keys are not supported");
  }

  @Test
  void two_private_keys_are_ambiguous() {
    String pem =
        Pem.privateKey(TestPki.pooledKey(1).getPrivate())
            + Pem.privateKey(TestPki.pooledKey(2).getPrivate());
    assertBadPem(() -> Pem.parsePrivateKey(pem), "expected one private key block, found 2");
  }

  @Test
  void missing_blocks_are_named() {
    assertBadPem(
        () -> Pem.parsePrivateKey(PKI.caPem()), "no PRIVATE KEY or RSA PRIVATE KEY block found");
    assertBadPem(() -> Pem.parsePublicKey(PKI.caPem()), "no PUBLIC KEY block found");
    assertBadPem(() -> Pem.parseCrl(PKI.caPem()), "no X509 CRL block found");
    assertBadPem(() -> Pem.parseCertificates("nothing"), "no CERTIFICATE block found");
  }

  @Test
  void garbage_der_in_key_blocks_is_refused() {
    byte[] junk = {0x30, 0x03, 0x02, 0x01, 0x05};
    assertBadPem(
        () -> Pem.parsePrivateKey(TestCsrs.pem("PRIVATE KEY", junk)),
        "PRIVATE KEY block is not a valid PKCS#8 private key");
    assertBadPem(
        () -> Pem.parsePrivateKey(TestCsrs.pem("RSA PRIVATE KEY", junk)),
        "RSA PRIVATE KEY block is not a valid PKCS#1 private key");
    assertBadPem(
        () -> Pem.parsePublicKey(TestCsrs.pem("PUBLIC KEY", junk)),
        "PUBLIC KEY block is not a valid SubjectPublicKeyInfo");
    assertBadPem(
        () -> Pem.parseCrl(TestCsrs.pem("X509 CRL", junk)),
        "X509 CRL block is not a valid X.509 CRL");
  }

  @Test
  void parse_certificates_returns_an_unmodifiable_list() {
    List<X509Certificate> certs = Pem.parseCertificates(PKI.caPem());
    assertThatThrownBy(() -> certs.add(PKI.caCertificate()))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  static void assertBadPem(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            CryptoException.class, e -> assertThat(e.code()).isEqualTo("bad_pem"))
        .hasMessage(message);
  }
}
