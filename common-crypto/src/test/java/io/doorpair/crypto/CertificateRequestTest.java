package io.doorpair.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.testing.TestCsrs;
import io.doorpair.crypto.testing.TestPki;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateRequestTest {
  private static final KeyPair KEYS = TestPki.pooledKey(3);
  private static final UUID INSTANCE = UUID.fromString("6f1c1b5e-3c2a-4d8e-9f10-2a3b4c5d6e7f");

  @Test
  void created_request_parses_back_with_cn_key_and_instance() {
    CertificateRequest csr =
        CertificateRequest.create(KEYS, "alice@portal.example.com", Optional.of(INSTANCE));
    CertificateRequest parsed = CertificateRequest.parse(csr.pem());
    assertThat(parsed.commonName()).isEqualTo("alice@portal.example.com");
    assertThat(parsed.instance()).contains(INSTANCE);
    assertThat(parsed.publicKey().getEncoded()).isEqualTo(KEYS.getPublic().getEncoded());
    assertThat(parsed.encoded()).isEqualTo(csr.encoded());
    assertThat(parsed).isEqualTo(csr).hasSameHashCodeAs(csr);
    assertThat(parsed.pem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----\n");
  }

  @Test
  void created_request_without_instance_has_no_instance() {
    CertificateRequest csr = CertificateRequest.create(KEYS, "ipgw@abcdefghijkl", Optional.empty());
    assertThat(CertificateRequest.parse(csr.pem()).instance()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"#0c03616263", "\\alice@p.example", "a,b=c+d@p.example", " lead@p.example"})
  void common_name_is_encoded_literally(String cn) {
    CertificateRequest csr = CertificateRequest.create(KEYS, cn, Optional.empty());
    assertThat(CertificateRequest.parse(csr.pem()).commonName()).isEqualTo(cn);
  }

  @Test
  void encoded_returns_a_copy() {
    CertificateRequest csr = CertificateRequest.create(KEYS, "a@b", Optional.empty());
    csr.encoded()[0] = 0;
    assertThat(csr.encoded()[0]).isEqualTo((byte) 0x30);
  }

  @Test
  void new_certificate_request_label_is_accepted() {
    String pem = TestCsrs.pem("NEW CERTIFICATE REQUEST", csr().commonName("bob@p.example").der());
    assertThat(CertificateRequest.parse(pem).commonName()).isEqualTo("bob@p.example");
  }

  @Test
  void surrounding_whitespace_is_accepted() {
    String pem = "\n  \r\n" + csr().commonName("bob@p.example").pem() + "\n\n";
    assertThat(CertificateRequest.parse(pem).commonName()).isEqualTo("bob@p.example");
  }

  @Test
  void other_requested_extensions_are_ignored() {
    String pem =
        csr()
            .commonName("bob@p.example")
            .attribute(BCStyle.O, "Evil Corp")
            .caTrue()
            .certSign()
            .serverAuth()
            .dns("portal.example.com")
            .ip("10.0.0.1")
            .email("bob@example.com")
            .uri("sip:someone-else@p.example")
            .uri("urn:uuid:" + INSTANCE)
            .pem();
    CertificateRequest parsed = CertificateRequest.parse(pem);
    assertThat(parsed.commonName()).isEqualTo("bob@p.example");
    assertThat(parsed.instance()).contains(INSTANCE);
  }

  @Test
  void uuid_urn_prefix_and_hex_are_case_insensitive() {
    String pem =
        csr()
            .commonName("bob@p.example")
            .uri("URN:UUID:" + INSTANCE.toString().toUpperCase(Locale.ROOT))
            .pem();
    assertThat(CertificateRequest.parse(pem).instance()).contains(INSTANCE);
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of(
            "second CN",
            csr().commonName("bob@p.example").commonName("alice@p.example").pem(),
            "CSR subject must contain exactly one CN, found 2"),
        Arguments.of(
            "no CN",
            csr().attribute(BCStyle.O, "x").pem(),
            "CSR subject must contain exactly one CN, found 0"),
        Arguments.of("empty CN", csr().commonName("").pem(), "CSR common name is empty"),
        Arguments.of(
            "129-char CN",
            csr().commonName("a".repeat(120) + "@p.example").pem(),
            "CSR common name is longer than 128 characters"),
        Arguments.of(
            "non-ASCII CN",
            csr().commonName("b\u00f6b@p.example").pem(),
            "CSR common name contains a character outside printable ASCII"),
        Arguments.of(
            "control char CN",
            csr().commonName("bob\n@p.example").pem(),
            "CSR common name contains a character outside printable ASCII"),
        Arguments.of(
            "SHA-1 signature",
            csr().commonName("bob@p.example").signatureAlgorithm("SHA1withRSA").pem(),
            "CSR signature algorithm SHA1withRSA refused: SHA256withRSA, SHA384withRSA or SHA512withRSA required"),
        Arguments.of(
            "MD5 signature",
            csr().commonName("bob@p.example").signatureAlgorithm("MD5withRSA").pem(),
            "CSR signature algorithm MD5withRSA refused: SHA256withRSA, SHA384withRSA or SHA512withRSA required"),
        Arguments.of(
            "two urn:uuid SANs",
            csr()
                .commonName("bob@p.example")
                .uri("urn:uuid:" + INSTANCE)
                .uri("urn:uuid:" + UUID.randomUUID())
                .pem(),
            "CSR has more than one urn:uuid SAN"),
        Arguments.of(
            "same urn:uuid twice",
            csr()
                .commonName("bob@p.example")
                .uri("urn:uuid:" + INSTANCE)
                .uri("urn:uuid:" + INSTANCE)
                .pem(),
            "CSR has more than one urn:uuid SAN"),
        Arguments.of(
            "version-1 uuid",
            csr()
                .commonName("bob@p.example")
                .uri("urn:uuid:6f1c1b5e-3c2a-1d8e-9f10-2a3b4c5d6e7f")
                .pem(),
            "CSR urn:uuid SAN is not a version-4 UUID"),
        Arguments.of(
            "nil uuid",
            csr()
                .commonName("bob@p.example")
                .uri("urn:uuid:00000000-0000-0000-0000-000000000000")
                .pem(),
            "CSR urn:uuid SAN is not a version-4 UUID"),
        Arguments.of(
            "short uuid groups",
            csr().commonName("bob@p.example").uri("urn:uuid:1-2-4-8-5").pem(),
            "CSR urn:uuid SAN is not a version-4 UUID"),
        Arguments.of(
            "not a uuid",
            csr().commonName("bob@p.example").uri("urn:uuid:phone").pem(),
            "CSR urn:uuid SAN is not a version-4 UUID"),
        Arguments.of(
            "certificate label",
            TestCsrs.pem("CERTIFICATE", csr().commonName("bob@p.example").der()),
            "expected a CERTIFICATE REQUEST block, found CERTIFICATE"),
        Arguments.of("empty input", "", "expected one CERTIFICATE REQUEST block, found 0"),
        Arguments.of("not PEM", "MIIBhello", "CSR is not valid PEM: text outside the PEM block"),
        Arguments.of(
            "trailing garbage",
            csr().commonName("bob@p.example").pem() + "garbage\n",
            "CSR is not valid PEM: text outside the PEM block"),
        Arguments.of(
            "leading garbage",
            "x" + csr().commonName("bob@p.example").pem(),
            "CSR is not valid PEM: text outside the PEM block"),
        Arguments.of(
            "two requests",
            csr().commonName("bob@p.example").pem() + csr().commonName("bob@p.example").pem(),
            "expected one CERTIFICATE REQUEST block, found 2"),
        Arguments.of(
            "truncated PEM",
            truncate(csr().commonName("bob@p.example").pem()),
            "CSR is not valid PEM: PEM block CERTIFICATE REQUEST is not terminated"),
        Arguments.of(
            "truncated DER",
            TestCsrs.pem("CERTIFICATE REQUEST", shorter(csr().commonName("bob@p.example").der())),
            "CSR is not a valid PKCS#10 structure"),
        Arguments.of(
            "trailing DER bytes",
            TestCsrs.pem("CERTIFICATE REQUEST", longer(csr().commonName("bob@p.example").der())),
            "CSR is not a valid PKCS#10 structure"),
        Arguments.of(
            "oversized",
            csr().commonName("bob@p.example").pem() + " ".repeat(CertificateRequest.MAX_PEM_CHARS),
            "CSR larger than 16384 characters"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void malformed_request_is_bad_csr(String name, String pem, String message) {
    assertRefused(() -> CertificateRequest.parse(pem), "bad_csr", message);
  }

  @Test
  void tampered_signature_is_bad_signature() {
    String pem = csr().commonName("bob@p.example").tamperSignature().pem();
    assertRefused(
        () -> CertificateRequest.parse(pem), "bad_signature", "CSR signature does not verify");
  }

  @Test
  void request_signed_by_another_key_is_bad_signature() {
    byte[] good = csr().commonName("bob@p.example").der();
    byte[] other = TestCsrs.builder(TestPki.pooledKey(4)).commonName("bob@p.example").der();
    // same length subject and key size: graft the other request's signature onto this one
    byte[] grafted = good.clone();
    System.arraycopy(other, other.length - 256, grafted, grafted.length - 256, 256);
    assertRefused(
        () -> CertificateRequest.parse(TestCsrs.pem("CERTIFICATE REQUEST", grafted)),
        "bad_signature",
        "CSR signature does not verify");
  }

  @Test
  void ec_key_is_unsupported() {
    String pem =
        TestCsrs.builder(OddKeys.ec())
            .commonName("bob@p.example")
            .signatureAlgorithm("SHA256withECDSA")
            .pem();
    assertRefused(
        () -> CertificateRequest.parse(pem),
        "unsupported_key",
        "unsupported key algorithm EC: only RSA keys are accepted");
  }

  @Test
  void ed25519_key_is_unsupported() {
    String pem =
        TestCsrs.builder(OddKeys.ed25519())
            .commonName("bob@p.example")
            .signatureAlgorithm("Ed25519")
            .pem();
    assertRefused(
        () -> CertificateRequest.parse(pem),
        "unsupported_key",
        "unsupported key algorithm Ed25519: only RSA keys are accepted");
  }

  @Test
  void rsa_1024_is_weak() {
    String pem = TestCsrs.builder(OddKeys.rsa1024()).commonName("bob@p.example").pem();
    assertRefused(
        () -> CertificateRequest.parse(pem),
        "weak_key",
        "RSA key of 1024 bits refused: 2048 to 4096 bits required");
  }

  @Test
  void exponent_3_is_weak() {
    String pem = TestCsrs.builder(OddKeys.rsaExponent3()).commonName("bob@p.example").pem();
    assertRefused(
        () -> CertificateRequest.parse(pem),
        "weak_key",
        "RSA public exponent 3 refused: 65537 required");
  }

  @Test
  void create_refuses_bad_arguments() {
    assertThatThrownBy(() -> CertificateRequest.create(KEYS, "", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("common name is empty");
    assertThatThrownBy(
            () ->
                CertificateRequest.create(
                    KEYS,
                    "a@b",
                    Optional.of(UUID.fromString("6f1c1b5e-3c2a-1d8e-9f10-2a3b4c5d6e7f"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("instance must be a version-4 UUID");
    KeyPair mismatched = new KeyPair(KEYS.getPublic(), TestPki.pooledKey(4).getPrivate());
    assertThatThrownBy(() -> CertificateRequest.create(mismatched, "a@b", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the private key does not match the public key");
    assertThatThrownBy(() -> CertificateRequest.create(OddKeys.rsa1024(), "a@b", Optional.empty()))
        .isInstanceOfSatisfying(
            CryptoException.class, e -> assertThat(e.code()).isEqualTo("weak_key"));
  }

  @Test
  void to_string_names_the_request_without_secrets() {
    CertificateRequest csr = CertificateRequest.create(KEYS, "a@b", Optional.of(INSTANCE));
    assertThat(csr.toString())
        .isEqualTo(
            "CertificateRequest[CN=a@b, instance="
                + INSTANCE
                + ", key="
                + PublicKeyHash.of(KEYS.getPublic())
                + "]");
  }

  private static TestCsrs csr() {
    return TestCsrs.builder(KEYS);
  }

  private static String truncate(String pem) {
    return pem.substring(0, pem.indexOf("-----END"));
  }

  private static byte[] shorter(byte[] der) {
    return Arrays.copyOf(der, der.length - 10);
  }

  private static byte[] longer(byte[] der) {
    return Arrays.copyOf(der, der.length + 3);
  }

  static void assertRefused(ThrowingCallable call, String code, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(CryptoException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessage(message);
  }
}
