package io.doorpair.ca;

import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.testing.TestPki;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.assertj.core.api.Assertions;

class CsrPolicyPropertiesTest {
  @Property(tries = 300)
  void any_cn_gets_a_subject_or_a_policy_refusal(@ForAll("commonNames") String cn) {
    CertificateRequest csr = CertificateRequest.create(TestPki.pooledKey(4), cn, Optional.empty());
    try {
      PairingSubject subject = CsrPolicy.evaluate(csr, "alice", "portal.example.com");
      // whatever is accepted is issued under a canonical CN
      Assertions.assertThat(subject.commonName("portal.example.com"))
          .matches("alice@portal\\.example\\.com|ipgw@[a-z0-9]{12}");
    } catch (CaPolicyException e) {
      Assertions.assertThat(e.httpStatus()).isIn(400, 403);
    }
  }

  @Provide
  Arbitrary<String> commonNames() {
    Arbitrary<String> printable =
        Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(40);
    Arbitrary<String> userAtHost =
        Arbitraries.of("alice", "ALICE", "ipgw", "IPGW", "bob", "", "alice%40")
            .flatMap(
                user ->
                    Arbitraries.of(
                            "portal.example.com", "PORTAL.example.com", "a1b2c3d4e5f6", "x", "")
                        .map(host -> user + "@" + host));
    return Arbitraries.oneOf(printable, userAtHost);
  }
}
