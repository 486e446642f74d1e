package io.doorpair.b2b;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.conf.AppAccount;
import io.doorpair.b2b.conf.B2bConf;
import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.doorsim.DoorStation;
import io.doorpair.b2b.journal.SpoolJournal;
import io.doorpair.b2b.localsip.InternalTarget;
import io.doorpair.b2b.testing.GatewayRoot;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.SipEdge;
import io.doorpair.sipedge.SipEdgeConfig;
import io.doorpair.sipedge.testing.Scrape;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code b2b serve} with {@code management=127.0.0.1:0} in {@code b2b.conf}, as a real child
 * process registering at the real portal SIP server: its {@code /metrics} scraped over HTTP move
 * with its registration at the portal, a door station's registration at its internal server, a door
 * call nobody answers and SIGHUP reloads; its {@code /health} says 503 once the spool folder is
 * gone.
 */
class B2bManagementTest {
  private static final String DOMAIN = "mgmttest0001";
  private static final String PORTAL = "portal.test";
  private static final SipPassword DOOR_PASSWORD = SipPassword.of("DoorPassw0rdDoorPassw0rd");
  private static final Pattern READY =
      Pattern.compile(
          "\\{\"pid\":\\d+,\"domain\":\""
              + DOMAIN
              + "\",\"management\":\"(127\\.0\\.0\\.1:\\d+)\"}\\s*");

  @TempDir Path dir;
  private String management;

  private double value(String name, String... labels) {
    return Scrape.value(management, name, labels);
  }

  /** Polls the scrape (generous deadline) until the sample is {@code expected}. */
  private void awaitValue(double expected, String name, String... labels) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (value(name, labels) != expected && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    assertThat(value(name, labels)).as(name + " " + String.join(",", labels)).isEqualTo(expected);
  }

  @Test
  void metrics_move_with_registrations_a_door_call_and_reloads_and_health_sees_the_spool()
      throws Exception {
    TestPki pki = TestPki.shared();
    TestPki.Leaf server = pki.issueServer("localhost", "127.0.0.1");
    try (RunningSipEdge edge =
        SipEdge.start(
            SipEdgeConfig.of(
                SipEdgeConfig.parseListen("127.0.0.1:0"),
                PORTAL,
                List.of(pki.caCertificate()),
                server.keys().getPrivate(),
                List.of(server.certificate())))) {
      GatewayRoot gateway =
          GatewayRoot.write(
              dir,
              pki,
              DOMAIN,
              "sips:localhost:" + edge.sipAddress().getPort(),
              List.of("alice"),
              List.of(new PasswdEntry("door1", DOMAIN, DOOR_PASSWORD)),
              List.of(
                  new GatewayRoot.App(
                      new AppAccount(
                          "alice-phone",
                          "alice",
                          Optional.of("sip:alice@" + PORTAL + ";gr=urn:uuid:" + UUID.randomUUID()),
                          true,
                          false,
                          false,
                          false),
                      SipPassword.of("AlicePhonePassw0rd"))));
      // the door station speaks UDP: so does the b2b towards the internal server
      B2bConf conf =
          B2bConf.parse(
                  Files.readString(gateway.paths().b2bConf())
                      .replace(";transport=tcp", ";transport=udp"))
              .withManagement(Optional.of("127.0.0.1:0"));
      GatewayRoot.write(gateway.paths().b2bConf(), conf.render(), "rw-------");
      assertThat(conf.render()).contains("\nmanagement=127.0.0.1:0\n");
      InternalTarget internal = InternalTarget.parse(conf.internalSipUri());

      Path ready = dir.resolve("run/b2b.json");
      Path log = dir.resolve("b2b.log");
      Process b2b =
          B2bProgramTest.start(log, "serve", "--root", dir.toString(), "--ready", ready.toString());
      try {
        long end = System.currentTimeMillis() + 60_000;
        while (!Files.exists(ready) && b2b.isAlive() && System.currentTimeMillis() < end) {
          Thread.sleep(50);
        }
        assertThat(ready).as("ready; log: %s", Files.readString(log)).exists();
        Matcher m = READY.matcher(Files.readString(ready));
        assertThat(m.matches()).as(Files.readString(ready)).isTrue();
        management = m.group(1);

        Scrape.Answer scrape = Scrape.get(management, "/metrics");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(scrape.body())
            .contains(
                "doorpair_b2b_calls_total{direction=\"phone_to_door\",outcome=\"refused\"} 0.0")
            .contains("doorpair_b2b_door_open_total{outcome=\"refused\"} 0.0")
            .contains("jvm_memory_used_bytes");
        awaitValue(1, "doorpair_b2b_portal_registered");
        assertThat(value("doorpair_b2b_portal_registrations_total")).isGreaterThanOrEqualTo(1);
        awaitValue(1, "doorpair_b2b_internal_registered");
        Scrape.Answer health = Scrape.get(management, "/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body())
            .isEqualTo("{\"status\":\"up\",\"checks\":{\"internal_sip\":\"up\",\"spool\":\"up\"}}");

        try (DoorStation door =
            DoorStation.register(
                new InetSocketAddress(internal.host(), internal.port()),
                DOMAIN,
                "door1",
                DOOR_PASSWORD)) {
          awaitValue(1, "doorpair_b2b_door_stations_registered");
          // nobody of alice's is registered at the portal: the door call ends missed
          door.call("ipgw");
          awaitValue(
              1, "doorpair_b2b_calls_total", "direction", "door_to_phone", "outcome", "started");
          awaitValue(
              1, "doorpair_b2b_calls_total", "direction", "door_to_phone", "outcome", "missed");
          // door registered, call missed: two records ipgw has not taken
          awaitValue(2, "doorpair_b2b_spool_depth");
        }

        Path acl = gateway.paths().aclList();
        GatewayRoot.write(acl, "alice\nNot-Lower\n", "rw-r--r--");
        B2bProgramTest.hangUp(b2b);
        awaitValue(1, "doorpair_b2b_reloads_total", "outcome", "refused");
        GatewayRoot.write(acl, "alice\n", "rw-r--r--");
        B2bProgramTest.hangUp(b2b);
        awaitValue(1, "doorpair_b2b_reloads_total", "outcome", "ok");

        String scraped = Scrape.get(management, "/metrics").body();
        assertThat(scraped)
            .doesNotContain("door1")
            .doesNotContain("alice")
            .doesNotContain(DOMAIN)
            .doesNotContain(DOOR_PASSWORD.reveal())
            .doesNotContain(GatewayRoot.B2B_PASSWORD.reveal());

        // the spool folder gone (a wiped /var/spool): the b2b can no longer keep records
        Path spool = SpoolJournal.directoryUnder(dir);
        try (Stream<Path> files = Files.walk(spool)) {
          for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(f);
          }
        }
        Scrape.Answer down = Scrape.get(management, "/health");
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.body())
            .isEqualTo(
                "{\"status\":\"down\",\"checks\":{\"internal_sip\":\"up\",\"spool\":\"down\"}}");
        assertThat(
                Double.isNaN(value("doorpair_b2b_spool_depth"))
                    || value("doorpair_b2b_spool_depth") == 0)
            .isTrue();

        b2b.destroy();
        assertThat(b2b.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(log)).doesNotContain(GatewayRoot.B2B_PASSWORD.reveal());
      } finally {
        b2b.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
