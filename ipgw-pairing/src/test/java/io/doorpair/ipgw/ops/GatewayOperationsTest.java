package io.doorpair.ipgw.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.journal.CallRecord;
import io.doorpair.b2b.journal.SpoolJournal;
import io.doorpair.crypto.SecurityCode;
import io.doorpair.ipgw.Gateway;
import io.doorpair.ipgw.GatewayConfig;
import io.doorpair.ipgw.RunningGateway;
import io.doorpair.ipgw.admin.AdminPassword;
import io.doorpair.ipgw.requests.CodeOutcome;
import io.doorpair.ipgw.store.Rights;
import io.doorpair.ipgw.store.StoredRequest;
import io.doorpair.ipgw.testing.TestApp;
import io.doorpair.ipgw.testing.TestIpgw;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.sipedge.testing.Scrape;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway agent's management listener over real HTTP, against a real portal: after a pairing,
 * an approval, a wrong then a right security code and a door call journaled by the b2b, the
 * counters moved and the outbox drained; {@code /health} is 503 once the store is gone.
 */
class GatewayOperationsTest {
  private static final String PASSWORD = "password of the operations owner";

  @RegisterExtension static PortalExtension portal = new PortalExtension();

  @TempDir Path dir;

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void counters_gauges_and_health_over_http() throws Exception {
    GatewayConfig config =
        TestIpgw.config(portal, dir).withManagement(new InetSocketAddress("127.0.0.1", 0));
    AdminPassword.set(config.dataDir(), TestIpgw.ADMIN_PASSWORD.toCharArray(), new SecureRandom());
    String owner = Actors.newUser(portal, "opsowner", PASSWORD);
    try (RunningGateway gateway = Gateway.start(config)) {
      String management = gateway.managementHostPort().orElseThrow();
      assertThat(Files.readString(gateway.readyFile()))
          .contains("\"management\":\"" + management + "\"");

      String domain = gateway.core().pair(owner, PASSWORD.toCharArray(), "Location: Ops").domain();
      TestApp app = TestApp.pair(portal, owner, PASSWORD);
      app.client().createSipAccount(domain);
      await(() -> !gateway.core().decisions().pending().isEmpty(), "the request");
      StoredRequest request = gateway.core().decisions().pending().get(0);
      gateway.core().decisions().approve(request.requestId(), Rights.ALL);
      SecurityCode right = SecurityCode.generate(request.keyHash(), new SecureRandom());
      String wrong =
          right.value().substring(0, 4) + (right.value().endsWith("0000") ? "1111" : "0000");
      assertThat(gateway.core().decisions().enterCode(request.requestId(), wrong).result())
          .isEqualTo(CodeOutcome.Result.WRONG);
      assertThat(gateway.core().decisions().enterCode(request.requestId(), right.value()).result())
          .isEqualTo(CodeOutcome.Result.ENABLED);

      // the b2b journals a missed door call; the intake takes it into the outbox
      SpoolJournal.open(config.root(), SpoolJournal.DEFAULT_MAX_FILES)
          .record(
              new CallRecord(
                  UUID.randomUUID().toString(),
                  CallRecord.Kind.MISSED,
                  "door",
                  Optional.empty(),
                  Optional.empty(),
                  Instant.now()));

      await(
          () ->
              Scrape.value(management, "doorpair_gateway_door_calls_total", "outcome", "missed")
                  >= 1,
          "the door call counted");
      // accounts (approved), acl (added), journal: all acknowledged by the portal
      await(
          () ->
              Scrape.value(management, "doorpair_gateway_events_sent_total") >= 3
                  && Scrape.value(management, "doorpair_gateway_outbox_depth") == 0,
          "the outbox drained");
      Scrape.Answer metrics = Scrape.get(management, "/metrics");
      assertThat(metrics.status()).isEqualTo(200);
      assertThat(metrics.contentType()).startsWith("text/plain").contains("version=0.0.4");
      assertThat(Scrape.value(management, "doorpair_gateway_approvals_total")).isEqualTo(1);
      assertThat(
              Scrape.value(management, "doorpair_gateway_security_codes_total", "outcome", "wrong"))
          .isEqualTo(1);
      assertThat(
              Scrape.value(
                  management, "doorpair_gateway_security_codes_total", "outcome", "enabled"))
          .isEqualTo(1);
      assertThat(Scrape.value(management, "doorpair_gateway_b2b_state", "state", "not_managed"))
          .isEqualTo(1);
      assertThat(Scrape.value(management, "doorpair_gateway_b2b_state", "state", "running"))
          .isEqualTo(0);
      assertThat(metrics.body()).contains("jvm_memory_used_bytes");

      Scrape.Answer up = Scrape.get(management, "/health");
      assertThat(up.status()).isEqualTo(200);
      assertThat(up.body())
          .isEqualTo("{\"status\":\"up\",\"checks\":{\"store\":\"up\",\"b2b\":\"up\"}}");

      gateway.core().close(); // the store goes away
      Scrape.Answer down = Scrape.get(management, "/health");
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.body())
          .isEqualTo("{\"status\":\"down\",\"checks\":{\"store\":\"down\",\"b2b\":\"up\"}}");
      assertThat(Scrape.get(management, "/metrics").body())
          .contains("doorpair_gateway_outbox_depth NaN");
    }
  }
}
