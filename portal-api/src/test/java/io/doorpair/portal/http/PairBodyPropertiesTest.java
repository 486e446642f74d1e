package io.doorpair.portal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.portal.testing.RawApi;
import io.doorpair.welcome.api.PairRequest;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutated and made-up {@code POST /api/pair} bodies from an authenticated user: every one that is
 * not a valid request gets a 4xx with a JSON error and issues nothing; none gets a 5xx.
 */
class PairBodyPropertiesTest {
  private static final PortalExtension PORTAL = new PortalExtension();
  private static String valid;
  private static RawApi user;

  @BeforeContainer
  static void start() throws Exception {
    PORTAL.beforeAll(null);
    PORTAL.addUser("heidi", "heidi's long password");
    user = RawApi.withDigest(PORTAL, "heidi", "heidi's long password");
    String csr =
        CertificateRequest.create(
                RsaKeys.generate(2048), "heidi@portal.localhost", Optional.empty())
            .pem();
    valid = Json.MAPPER.writeValueAsString(new PairRequest(csr, "phone"));
  }

  @AfterContainer
  static void stop() throws IOException {
    PORTAL.afterAll(null);
  }

  @Provide
  Arbitrary<String> mutatedBodies() {
    Arbitrary<Integer> position = Arbitraries.integers().between(0, 2000);
    Arbitrary<String> junk =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(8),
            Arbitraries.of("{", "}", "\"", ",", ":", "null", "[]", "\\u0000", "1e999", "\"x\":1"));
    Arbitrary<String> deleted =
        Combinators.combine(position, Arbitraries.integers().between(1, 200))
            .as(
                (at, n) -> {
                  int from = Math.min(at, valid.length());
                  return valid.substring(0, from)
                      + valid.substring(Math.min(valid.length(), from + n));
                });
    Arbitrary<String> inserted =
        Combinators.combine(position, junk)
            .as(
                (at, text) -> {
                  int from = Math.min(at, valid.length());
                  return valid.substring(0, from) + text + valid.substring(from);
                });
    Arbitrary<String> reshaped =
        Arbitraries.of(
                "{}",
                "[]",
                "null",
                "\"csr\"",
                "{\"csr\": 1, \"friendly_name\": \"x\"}",
                "{\"csr\": null, \"friendly_name\": null}",
                "{\"csr\": [\"a\"], \"friendly_name\": {}}",
                "{\"friendly_name\": \"x\"}")
            .map(s -> s);
    Arbitrary<String> extraField =
        Arbitraries.strings()
            .alpha()
            .ofMinLength(1)
            .ofMaxLength(12)
            .map(name -> valid.replaceFirst("\\{", "{\"" + name + "\": true, "));
    return Arbitraries.oneOf(deleted, inserted, reshaped, extraField);
  }

  @Property(tries = 150)
  void hostile_bodies_get_a_4xx_and_issue_nothing(@ForAll("mutatedBodies") String body) {
    int before = PORTAL.portal().store().listCertificatesOf("heidi").size();
    RawApi.Exchange answer = user.postJson("/api/pair", body);
    if (answer.status() == 201) {
      assertThat(body).as("only a body with the same meaning may pass").contains("\"csr\"");
      return;
    }
    assertThat(answer.status()).as(body + " -> " + answer.body()).isBetween(400, 499);
    assertThat(answer.body()).contains("\"error\"");
    assertThat(PORTAL.portal().store().listCertificatesOf("heidi")).hasSize(before);
    assertThat(List.of(answer.status())).doesNotContain(500);
  }
}
