package io.doorpair.b2b;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.localsip.Registrations;
import io.doorpair.b2b.testing.GatewayRoot;
import io.doorpair.b2b.upstream.Backoff;
import io.doorpair.crypto.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The b2b starts the embedded internal SIP server at {@code internal-sip-uri} and registers there
 * as {@code ipgw@DOMAIN} with the b2b password (digest), whether or not the portal is reachable.
 */
class InternalLegTest {
  private static final String DOMAIN = "intleg000001";

  @TempDir Path dir;

  @Test
  void registers_ipgw_at_the_embedded_internal_server_with_the_b2b_password() throws Exception {
    // the portal is a closed port: its leg keeps retrying, the internal leg does not care
    GatewayRoot gateway =
        GatewayRoot.write(dir, TestPki.shared(), DOMAIN, "sips:127.0.0.1:9", List.of(), List.of());
    B2bSettings settings =
        new B2bSettings(
            Duration.ofSeconds(600),
            Duration.ofSeconds(1),
            new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)),
            true);
    try (RunningB2b b2b = B2b.start(gateway.paths(), settings, record -> {})) {
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!b2b.internalRegistered() && System.nanoTime() < end) {
        Thread.sleep(50);
      }
      assertThat(b2b.internalRegistered()).isTrue();
      Registrations registrations = b2b.internalRegistrations().orElseThrow();
      assertThat(registrations.of("ipgw"))
          .get()
          .satisfies(
              c ->
                  assertThat(c.contact())
                      .startsWith("sip:ipgw@127.0.0.1:")
                      .endsWith(";transport=tcp"));
      assertThat(b2b.portalRegistered()).isFalse();
    }
  }
}
