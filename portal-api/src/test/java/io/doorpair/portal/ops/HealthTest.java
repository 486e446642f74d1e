package io.doorpair.portal.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.portal.testing.RawApi;
import io.doorpair.sipedge.testing.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /health} answers 503 once the store is gone, on both listeners. */
class HealthTest {
  @RegisterExtension static final PortalExtension PORTAL = new PortalExtension().withManagement();

  @Test
  void health_is_503_when_the_store_is_gone() {
    String management = PORTAL.portal().managementHostPort().orElseThrow();
    assertThat(Scrape.get(management, "/health").status()).isEqualTo(200);

    PORTAL.portal().store().close(); // as a database that went away: every query fails

    Scrape.Answer down = Scrape.get(management, "/health");
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.contentType()).startsWith("application/json");
    assertThat(down.body())
        .isEqualTo(
            "{\"status\":\"down\",\"checks\":{\"store\":\"down\",\"ca\":\"up\",\"crl\":\"up\"}}");
    RawApi.Exchange api = RawApi.anonymous(PORTAL).get("/api/health");
    assertThat(api.status()).isEqualTo(503);
    assertThat(api.body()).isEqualTo(down.body());
    // the metrics still answer: a scrape never needs the store
    assertThat(Scrape.get(management, "/metrics").status()).isEqualTo(200);
  }
}
