package io.doorpair.b2b;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.testing.GatewayRoot;
import io.doorpair.b2b.upstream.Backoff;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.SipEdge;
import io.doorpair.sipedge.SipEdgeConfig;
import io.doorpair.sipedge.registrar.Binding;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portal leg against the real portal SIP server in-process: TLS with agent.pem, the portal's
 * certificate and host name checked, REGISTER {@code ipgw@DOMAIN}, and registering again after the
 * portal restarts.
 */
class PortalLegTest {
  private static final String DOMAIN = "legtest00001";
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final B2bSettings FAST =
      new B2bSettings(
          Duration.ofSeconds(600),
          Duration.ofSeconds(1),
          new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)),
          true);

  @TempDir Path dir;

  private static RunningSipEdge edge(TestPki pki, TestPki.Leaf server, int port) throws Exception {
    return SipEdge.start(
        SipEdgeConfig.of(
            new InetSocketAddress("127.0.0.1", port),
            "portal.test",
            List.of(pki.caCertificate()),
            server.keys().getPrivate(),
            List.of(server.certificate())));
  }

  private static List<Binding> bindings(RunningSipEdge edge) {
    return edge.bindings().of("ipgw@" + DOMAIN, Instant.now());
  }

  @Test
  void registers_and_registers_again_after_the_portal_restarts() throws Exception {
    TestPki pki = TestPki.shared();
    TestPki.Leaf server = pki.issueServer("localhost", "127.0.0.1");
    RunningSipEdge first = edge(pki, server, 0);
    int port = first.sipAddress().getPort();
    GatewayRoot gateway =
        GatewayRoot.write(dir, pki, DOMAIN, "sips:localhost:" + port, List.of("alice"), List.of());
    try (RunningB2b b2b = B2b.start(gateway.paths(), FAST, record -> {})) {
      awaitTrue(() -> !bindings(first).isEmpty());
      awaitTrue(b2b::portalRegistered);
      Binding binding = bindings(first).get(0);
      assertThat(binding.instance()).isEmpty();
      assertThat(binding.contact()).startsWith("sip:ipgw@127.0.0.1:");

      first.close();
      awaitTrue(() -> !b2b.portalRegistered());
      try (RunningSipEdge second = edge(pki, server, port)) {
        awaitTrue(() -> !bindings(second).isEmpty());
        awaitTrue(b2b::portalRegistered);
        assertThat(b2b.portalRegistrations()).isGreaterThanOrEqualTo(2);
      }
    } finally {
      first.close();
    }
  }

  @Test
  void keep_alives_flow_without_disturbing_the_registration() throws Exception {
    TestPki pki = TestPki.shared();
    TestPki.Leaf server = pki.issueServer("127.0.0.1");
    try (RunningSipEdge edge = edge(pki, server, 0)) {
      GatewayRoot gateway =
          GatewayRoot.write(
              dir,
              pki,
              DOMAIN,
              "sips:127.0.0.1:" + edge.sipAddress().getPort(),
              List.of(),
              List.of());
      try (RunningB2b b2b = B2b.start(gateway.paths(), FAST, record -> {})) {
        awaitTrue(b2b::portalRegistered);
        long first = b2b.portalRegistrations();
        // four keep-alive periods: a keep-alive that failed would count as a loss and REGISTER
        // again
        Thread.sleep(4000);
        assertThat(b2b.portalRegistered()).isTrue();
        assertThat(b2b.portalRegistrations()).isEqualTo(first);
        assertThat(bindings(edge)).hasSize(1);
      }
    }
  }

  @Test
  void a_portal_certificate_for_another_host_name_is_refused() throws Exception {
    TestPki pki = TestPki.shared();
    TestPki.Leaf server = pki.issueServer("elsewhere.example");
    try (RunningSipEdge edge = edge(pki, server, 0)) {
      int port = edge.sipAddress().getPort();
      GatewayRoot gateway =
          GatewayRoot.write(
              dir, pki, DOMAIN, "sips:127.0.0.1:" + port, List.of("alice"), List.of());
      try (RunningB2b b2b = B2b.start(gateway.paths(), FAST, record -> {})) {
        // a control: the same edge is reachable from a gateway that names it rightly
        Path other = dir.resolve("other");
        GatewayRoot right =
            GatewayRoot.write(
                other, pki, "legtest00002", "sips:127.0.0.1:" + port, List.of(), List.of());
        TestPki.Leaf good = pki.issueServer("127.0.0.1");
        try (RunningSipEdge goodEdge = edge(pki, good, 0)) {
          GatewayRoot.write(
              right.paths().b2bConf(),
              java.nio.file.Files.readString(right.paths().b2bConf())
                  .replace(":" + port, ":" + goodEdge.sipAddress().getPort()),
              "rw-------");
          try (RunningB2b control = B2b.start(right.paths(), FAST, record -> {})) {
            awaitTrue(control::portalRegistered);
          }
        }
        assertThat(b2b.portalRegistered()).isFalse();
        assertThat(bindings(edge)).isEmpty();
      }
    }
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not true within " + DEADLINE);
      }
      Thread.sleep(50);
    }
  }
}
