package io.doorpair.sipedge.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.Pem;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.SipEdge;
import io.doorpair.sipedge.SipEdgeConfig;
import io.doorpair.sipedge.redis.RedisSettings;
import io.doorpair.sipedge.testing.Scrape;
import io.doorpair.sipedge.testing.SipTlsClient;
import io.doorpair.sipedge.testing.TestRedis;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code portal-sip serve --management} as a real child process: its {@code /metrics} scraped over
 * HTTP move with real TLS registrations, refused handshakes, an identity mismatch and a call; its
 * {@code /health} says 503 while the CRL in force is stale and 200 once a fresh one is in the file.
 */
class SipNodeManagementTest {
  private static final String DOMAIN = "portal.test";
  private static final TestPki PKI = TestPki.shared();
  private static final Pattern READY =
      Pattern.compile(
          "\\{\"pid\":(\\d+),\"sip\":\"127\\.0\\.0\\.1:(\\d+)\",\"management\":\"(127\\.0\\.0\\.1:\\d+)\"}\\s*");

  @TempDir Path dir;
  private Path ca;
  private Path cert;
  private Path key;
  private Path crl;
  private Path ready;
  private NodeProgram node;
  private InetSocketAddress sip;
  private String management;

  @BeforeEach
  void files() throws IOException {
    Leaf server = PKI.issueServer("127.0.0.1");
    ca = write("ca.pem", PKI.caPem());
    cert = write("node.pem", server.certificatePem());
    key = write("node-key.pem", server.privateKeyPem());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    crl = write("crl.pem", Pem.crl(PKI.crl()));
    ready = dir.resolve("ready.json");
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Path tmp = dir.resolve("." + name + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return file;
  }

  private void start(String... more) throws Exception {
    List<String> args = NodeProgram.serve(DOMAIN, ca, cert, key, crl, ready);
    args.addAll(List.of("--management", "127.0.0.1:0"));
    args.addAll(List.of(more));
    node = NodeProgram.start(dir.resolve("node.log"), args);
    String text = node.awaitFile(ready);
    Matcher m = READY.matcher(text);
    assertThat(m.matches()).as("ready file " + text).isTrue();
    sip = new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(2)));
    management = m.group(3);
  }

  private double value(String name, String... labels) {
    return Scrape.value(management, name, labels);
  }

  /** Polls the scrape (generous deadline) until the sample reaches {@code atLeast}. */
  private void awaitValue(double atLeast, String name, String... labels) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!(value(name, labels) >= atLeast) && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    assertThat(value(name, labels)).as(name + " " + String.join(",", labels)).isEqualTo(atLeast);
  }

  private static String register(Leaf leaf, String fromUser) {
    return NodeProgram.register(DOMAIN, leaf, fromUser);
  }

  @Test
  void counters_move_with_real_registrations_handshakes_and_calls() throws Exception {
    start();
    Scrape.Answer scrape = Scrape.get(management, "/metrics");
    assertThat(scrape.status()).isEqualTo(200);
    assertThat(scrape.contentType()).startsWith("text/plain; version=0.0.4");
    assertThat(scrape.body())
        .contains("doorpair_portal_sip_register_outcomes_total{outcome=\"accepted\"} 0.0")
        .contains("doorpair_portal_sip_identity_mismatches_total 0.0")
        .contains("doorpair_portal_sip_calls_started_total 0.0")
        .contains(
            "doorpair_portal_tls_handshake_failures_total{listener=\"sip\",reason=\"timeout\"} 0.0")
        .contains("doorpair_portal_sip_connections ")
        .contains("doorpair_portal_sip_crl_age_seconds ")
        .contains("jvm_memory_used_bytes")
        .doesNotContain("listener=\"api\"");
    assertThat(value("doorpair_portal_sip_crl_age_seconds")).isBetween(0.0, 3600.0);
    assertThat(value("doorpair_portal_sip_crl_next_update_seconds")).isGreaterThan(3600.0);
    Scrape.Answer health = Scrape.get(management, "/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body())
        .isEqualTo("{\"status\":\"up\",\"checks\":{\"sip\":\"up\",\"crl\":\"up\"}}");
    assertThat(Scrape.get(management, "/other").status()).isEqualTo(404);

    // a client that connects and never starts TLS: closed at the 10 s handshake deadline
    try (Socket silent = new Socket(sip.getAddress(), sip.getPort())) {
      assertThat(silent.isConnected()).isTrue();
      Leaf alice = PKI.issueClient("alice@" + DOMAIN, Optional.of(UUID.randomUUID()));
      try (SipTlsClient flow = SipTlsClient.connect(sip, Optional.of(alice), PKI.caCertificate())) {
        assertThat(flow.send(register(alice, "alice@" + DOMAIN)).status()).isEqualTo(200);
        assertThat(flow.send(register(alice, "bob@" + DOMAIN)).status()).isEqualTo(403);
        String invite =
            SipTlsClient.request(
                "INVITE",
                "sip:bob@" + DOMAIN,
                "<sip:alice@" + DOMAIN + ">",
                "<sip:bob@" + DOMAIN + ">",
                "Contact: <sip:device@127.0.0.1:5999;transport=tls>");
        assertThat(flow.send(invite).status()).isEqualTo(480);
        awaitValue(1, "doorpair_portal_sip_register_outcomes_total", "outcome", "accepted");
        awaitValue(
            1, "doorpair_portal_sip_register_outcomes_total", "outcome", "identity_mismatch");
        awaitValue(1, "doorpair_portal_sip_register_total", "status", "2xx");
        awaitValue(1, "doorpair_portal_sip_register_total", "status", "4xx");
        awaitValue(1, "doorpair_portal_sip_identity_mismatches_total");
        awaitValue(1, "doorpair_portal_sip_calls_started_total");
        awaitValue(1, "doorpair_portal_sip_invites_total", "status", "4xx");
        assertThat(value("doorpair_portal_sip_registrations")).isEqualTo(1);
        assertThat(value("doorpair_portal_sip_connections")).isGreaterThanOrEqualTo(1);
      }
      for (Optional<Leaf> refused :
          List.of(
              Optional.<Leaf>empty(),
              Optional.of(PKI.issueRogueClient("mallory@" + DOMAIN, Optional.empty())))) {
        assertThatThrownBy(
                () -> {
                  try (SipTlsClient client =
                      SipTlsClient.connect(sip, refused, PKI.caCertificate())) {
                    client.send(
                        register(
                            PKI.issueClient("x@" + DOMAIN, Optional.of(UUID.randomUUID())),
                            "x@" + DOMAIN));
                  }
                })
            .isInstanceOf(IOException.class);
      }
      awaitValue(
          1,
          "doorpair_portal_tls_handshake_failures_total",
          "listener",
          "sip",
          "reason",
          "no_certificate");
      awaitValue(
          1,
          "doorpair_portal_tls_handshake_failures_total",
          "listener",
          "sip",
          "reason",
          "unknown_ca");
      awaitValue(
          1,
          "doorpair_portal_tls_handshake_failures_total",
          "listener",
          "sip",
          "reason",
          "timeout");
    }
    String scraped = Scrape.get(management, "/metrics").body();
    assertThat(scraped).doesNotContain("alice").doesNotContain("mallory").doesNotContain("CN=");
  }

  @Test
  void health_is_503_while_the_crl_is_stale_and_200_once_a_fresh_one_is_in_the_file()
      throws Exception {
    Instant now = Instant.now();
    write(
        "crl.pem",
        Pem.crl(PKI.crl(List.of(), now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)))));
    start();
    Scrape.Answer down = Scrape.get(management, "/health");
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.body())
        .isEqualTo("{\"status\":\"down\",\"checks\":{\"sip\":\"up\",\"crl\":\"down\"}}");
    assertThat(value("doorpair_portal_sip_crl_next_update_seconds")).isLessThan(0);

    write("crl.pem", Pem.crl(PKI.crl()));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Scrape.get(management, "/health").status() != 200 && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    assertThat(Scrape.get(management, "/health").body())
        .isEqualTo("{\"status\":\"up\",\"checks\":{\"sip\":\"up\",\"crl\":\"up\"}}");

    node.process().destroy();
    assertThat(node.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(node.logText()).contains("portal-sip stopped");
    assertThatThrownBy(() -> Scrape.get(management, "/health"))
        .as("the management listener closed with the node")
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void on_redis_health_checks_redis_and_the_link_to_another_running_node_is_counted_up()
      throws Exception {
    String url = TestRedis.require();
    String prefix = TestRedis.uniquePrefix();
    Leaf two = PKI.issueNode("sip-two.nodes.test", "127.0.0.1");
    write("node.pem", two.certificatePem());
    write("node-key.pem", two.privateKeyPem());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Leaf one = PKI.issueNode("sip-one.nodes.test", "127.0.0.1");
    try (RunningSipEdge other =
        SipEdge.start(
            SipEdgeConfig.of(
                SipEdgeConfig.parseListen("127.0.0.1:0"),
                DOMAIN,
                List.of(PKI.caCertificate()),
                one.keys().getPrivate(),
                List.of(one.certificate())),
            RedisSettings.of(url).withKeyPrefix(prefix),
            "sip-one")) {
      assertThat(other.sipAddress().getPort()).as("node one listens").isPositive();
      start("--redis", url, "--redis-prefix", prefix, "--node", "sip-two");
      assertThat(Scrape.get(management, "/health").body())
          .isEqualTo(
              "{\"status\":\"up\",\"checks\":{\"sip\":\"up\",\"crl\":\"up\",\"redis\":\"up\"}}");
      awaitValue(1, "doorpair_portal_sip_node_links", "state", "up");
      assertThat(value("doorpair_portal_sip_node_links", "state", "down")).isEqualTo(0);
      assertThat(Scrape.get(management, "/metrics").body())
          .as("bindings in Redis are not counted")
          .doesNotContain("doorpair_portal_sip_registrations ")
          .doesNotContain("sip-one");
    } finally {
      TestRedis.deleteKeys(prefix);
    }
  }
}
