package io.doorpair.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.testing.TestPki;
import java.security.KeyPair;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsrPolicyTest {
  private static final KeyPair KEYS = TestPki.pooledKey(3);
  private static final String DOMAIN = "portal.example.com";
  private static final UUID INSTANCE = UUID.fromString("3f2b8c1e-9a4d-4e6f-b7c8-1d2e3f4a5b6c");

  private static CertificateRequest csr(String cn, Optional<UUID> instance) {
    return CertificateRequest.create(KEYS, cn, instance);
  }

  @ParameterizedTest(name = "{0} by {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // CN                                     | user  | expected
        "alice@portal.example.com                 | alice | app alice",
        "Alice@Portal.Example.COM                 | alice | app alice",
        "ALICE@portal.example.com                 | Alice | app alice",
        "alice.b-2_x@portal.example.com           | alice.b-2_x | app alice.b-2_x",
        "bob@portal.example.com                   | alice | cn_forbidden 403",
        "alice@evil.example.com                   | alice | cn_forbidden 403",
        "alice@portal.example.com.evil.net        | alice | cn_forbidden 403",
        "alice@example.com                        | alice | cn_forbidden 403",
        "alice%40portal.example.com               | alice | cn_forbidden 403",
        "alice                                    | alice | cn_forbidden 403",
        "portal.example.com                       | alice | cn_forbidden 403",
        "@portal.example.com                      | alice | cn_forbidden 403",
        "alice@                                   | alice | cn_forbidden 403",
        "alice@portal.example.com@portal.example.com | alice | cn_forbidden 403",
        "'alice @portal.example.com'              | alice | cn_forbidden 403",
        "'alice@portal.example.com '              | alice | cn_forbidden 403",
        "alicex@portal.example.com                | alice | cn_forbidden 403",
        "ipgw                                     | alice | cn_forbidden 403",
        "ipgw@a1b2c3d4e5f6                        | alice | gateway a1b2c3d4e5f6",
        "ipgw@000000000000                        | alice | gateway 000000000000",
        "ipgw@A1B2C3D4E5F6                        | alice | bad_domain 400",
        "IPGW@a1b2c3d4e5f6                        | alice | bad_domain 400",
        "Ipgw@a1b2c3d4e5f6                        | alice | bad_domain 400",
        "ipgw@a1b2c3d4e5f                         | alice | bad_domain 400",
        "ipgw@a1b2c3d4e5f6a                       | alice | bad_domain 400",
        "ipgw@a1b2c3d4e5_6                        | alice | bad_domain 400",
        "ipgw@a1b2c3d4e5-6                        | alice | bad_domain 400",
        "ipgw@portal.example.com                  | alice | bad_domain 400",
        "ipgw@                                    | alice | bad_domain 400",
        "ipgw@a1b2c3d4e5f6@x                      | alice | bad_domain 400",
        "ipgw@portal.example.com                  | ipgw  | bad_domain 400",
      })
  void pairing_cn_table(String cn, String user, String expected) {
    CertificateRequest request = csr(cn, Optional.empty());
    String[] want = expected.split(" ");
    switch (want[0]) {
      case "app" -> {
        PairingSubject subject = CsrPolicy.evaluate(request, user, DOMAIN);
        assertThat(subject).isEqualTo(new AppSubject(want[1], Optional.empty()));
        assertThat(subject.commonName(DOMAIN)).isEqualTo(want[1] + "@" + DOMAIN);
      }
      case "gateway" -> {
        PairingSubject subject = CsrPolicy.evaluate(request, user, DOMAIN);
        assertThat(subject).isEqualTo(new GatewaySubject(want[1]));
        assertThat(subject.commonName(DOMAIN)).isEqualTo("ipgw@" + want[1]);
      }
      default ->
          assertThatThrownBy(() -> CsrPolicy.evaluate(request, user, DOMAIN))
              .isInstanceOfSatisfying(
                  CaPolicyException.class,
                  e -> {
                    assertThat(e.code()).isEqualTo(want[0]);
                    assertThat(e.httpStatus()).isEqualTo(Integer.parseInt(want[1]));
                  });
    }
  }

  @Test
  void forbidden_cn_message_names_the_allowed_cn() {
    assertThatThrownBy(
            () ->
                CsrPolicy.evaluate(
                    csr("bob@portal.example.com", Optional.empty()), "alice", "Portal.Example.com"))
        .hasMessage("CN must be alice@portal.example.com, or ipgw@DOMAIN for a gateway");
  }

  @Test
  void bad_domain_message_states_the_rule() {
    assertThatThrownBy(() -> CsrPolicy.evaluate(csr("ipgw@x", Optional.empty()), "alice", DOMAIN))
        .hasMessage("gateway CN must be ipgw@ followed by 12 characters from [a-z0-9]");
  }

  @Test
  void app_keeps_the_proposed_instance() {
    PairingSubject subject =
        CsrPolicy.evaluate(csr("alice@portal.example.com", Optional.of(INSTANCE)), "alice", DOMAIN);
    assertThat(subject).isEqualTo(new AppSubject("alice", Optional.of(INSTANCE)));
  }

  @Test
  void gateway_ignores_an_instance_san() {
    PairingSubject subject =
        CsrPolicy.evaluate(csr("ipgw@a1b2c3d4e5f6", Optional.of(INSTANCE)), "alice", DOMAIN);
    assertThat(subject).isEqualTo(new GatewaySubject("a1b2c3d4e5f6"));
  }

  @Test
  void invalid_authenticated_user_is_a_programming_error() {
    assertThatThrownBy(() -> CsrPolicy.evaluate(csr("a b@c", Optional.empty()), "a b", DOMAIN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CsrPolicy.evaluate(csr("a@c", Optional.empty()), "a", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void renewal_keeps_the_exact_cn() {
    TestPki.Leaf current =
        TestPki.shared().issueClient("alice@portal.example.com", Optional.empty());
    assertThatCode(
            () ->
                CsrPolicy.evaluateRenewal(
                    csr("alice@portal.example.com", Optional.empty()), current.certificate()))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @CsvSource({"bob@portal.example.com", "Alice@portal.example.com", "ipgw@a1b2c3d4e5f6"})
  void renewal_with_another_cn_is_forbidden(String cn) {
    TestPki.Leaf current =
        TestPki.shared().issueClient("alice@portal.example.com", Optional.empty());
    assertThatThrownBy(
            () -> CsrPolicy.evaluateRenewal(csr(cn, Optional.empty()), current.certificate()))
        .isInstanceOfSatisfying(
            CaPolicyException.class,
            e -> {
              assertThat(e.code()).isEqualTo("cn_forbidden");
              assertThat(e.httpStatus()).isEqualTo(403);
            })
        .hasMessage("renewal CN must be alice@portal.example.com");
  }
}
