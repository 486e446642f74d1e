package io.doorpair.sipedge.node;

import static io.doorpair.sipedge.node.ProgramNodes.busyCall;
import static io.doorpair.sipedge.node.ProgramNodes.inviteAlice;
import static io.doorpair.sipedge.node.ProgramNodes.register;
import static io.doorpair.sipedge.node.ProgramNodes.registerGateway;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.SipEdgeConfig;
import io.doorpair.sipedge.testing.SipTlsClient;
import io.doorpair.sipedge.testing.TestRedis;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * The {@code portal-sip serve} program as a real child process (its {@code Main} in a JVM of its
 * own, on this module's class path): ready file, a registration over it, the CRL file replaced
 * while a client is connected, bad files, SIGTERM.
 */
class SipNodeProgramTest {
  private static final String DOMAIN = ProgramNodes.DOMAIN;
  private static final String GATEWAY = "ipgw@nodeprog1234";
  private static final TestPki PKI = TestPki.shared();

  @TempDir Path dir;
  private ProgramNodes nodes;
  private Path ca;
  private Path key;
  private Path crl;
  private Path ready;
  private Process process;

  @BeforeEach
  void files() throws IOException {
    nodes = new ProgramNodes(dir, "run/ready.json");
    ca = nodes.write("ca.pem", PKI.caPem(), "rw-r--r--");
    nodes.writeNodeCertificate(PKI.issueServer("127.0.0.1"));
    key = nodes.key();
    crl = nodes.write("crl.pem", Pem.crl(PKI.crl()), "rw-r--r--");
    ready = nodes.ready();
  }

  @AfterEach
  void stop() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
  }

  private Process start(String... args) throws IOException {
    process = nodes.start(List.of(args)).process();
    return process;
  }

  private String logText() throws IOException {
    return nodes.program().logText();
  }

  private String[] serve() {
    return nodes.serve(ca, crl).toArray(String[]::new);
  }

  /** Waits for the ready file (generous failure guard) and returns the SIP address in it. */
  private InetSocketAddress awaitReady() throws Exception {
    ProgramNodes.Ready file = nodes.awaitReady();
    assertThat(file.pid()).isEqualTo(process.pid());
    return file.sip();
  }

  private void awaitLog(String text) throws Exception {
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!logText().contains(text)) {
      if (System.nanoTime() > guard) {
        throw new AssertionError("no log line with '" + text + "'; log:\n" + logText());
      }
      Thread.sleep(50);
    }
  }

  @Test
  void serves_registrations_and_follows_the_crl_file() throws Exception {
    start(serve());
    InetSocketAddress sip = awaitReady();
    Leaf alice = PKI.issueClient("alice@" + DOMAIN, Optional.of(UUID.randomUUID()));
    Leaf bob = PKI.issueClient("bob@" + DOMAIN, Optional.of(UUID.randomUUID()));

    try (SipTlsClient aliceFlow =
            SipTlsClient.connect(sip, Optional.of(alice), PKI.caCertificate());
        SipTlsClient bobFlow = SipTlsClient.connect(sip, Optional.of(bob), PKI.caCertificate())) {
      SipTlsClient.Response registered = aliceFlow.send(register(alice));
      assertThat(registered.status()).isEqualTo(200);
      assertThat(registered.header("Contact").get(0)).contains("pub-gruu=");
      assertThat(bobFlow.send(register(bob)).status()).isEqualTo(200);

      long replaced = System.nanoTime();
      nodes.replace(crl, Pem.crl(PKI.crl(alice.serial())));
      assertThat(aliceFlow.awaitClosedByServer()).as("alice's connection closed").isTrue();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - replaced);
      System.out.println(
          "portal-sip closed the revoked connection "
              + millis
              + " ms after the CRL file was replaced");

      assertThat(bobFlow.send(register(bob)).status()).as("bob untouched").isEqualTo(200);
    }
    assertThatThrownBy(
            () -> {
              try (SipTlsClient again =
                  SipTlsClient.connect(sip, Optional.of(alice), PKI.caCertificate())) {
                again.send(register(alice));
              }
            })
        .as("alice cannot come back")
        .isInstanceOf(IOException.class);

    // a CRL of another CA is refused with a log line; the current one stays
    nodes.replace(crl, Pem.crl(PKI.rogueCrl()));
    awaitLog("refused the new CRL in " + crl + ": --crl " + crl + ": not signed by the CA");
    assertThatThrownBy(
            () -> {
              try (SipTlsClient again =
                  SipTlsClient.connect(sip, Optional.of(alice), PKI.caCertificate())) {
                again.send(register(alice));
              }
            })
        .as("alice still revoked")
        .isInstanceOf(IOException.class);

    // SIGTERM: a clean stop, the ready file removed
    process.destroy();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(143);
    assertThat(logText()).contains("portal-sip stopped");
    assertThat(ready).doesNotExist();
  }

  @Test
  void bad_files_exit_non_zero_with_one_line_naming_the_file() throws Exception {
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    start(serve());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(logText().strip())
        .isEqualTo(
            "portal-sip: --key " + key + ": readable by group or others (mode 0644); chmod 600 it");
    assertThat(ready).doesNotExist();

    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    nodes.write("crl.pem", Pem.crl(PKI.rogueCrl()), "rw-r--r--");
    start(serve());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(logText().strip())
        .isEqualTo("portal-sip: --crl " + crl + ": not signed by the CA in --ca " + ca);
  }

  @Test
  void with_redis_the_bindings_are_in_redis_under_the_nodes_name() throws Exception {
    String url = nodes.redisUrl();
    String prefix = nodes.redisPrefix();
    start(nodes.onRedis(new ArrayList<>(List.of(serve())), "sip-one").toArray(String[]::new));
    InetSocketAddress sip = awaitReady();
    Leaf alice = PKI.issueClient("alice@" + DOMAIN, Optional.of(UUID.randomUUID()));
    try (SipTlsClient aliceFlow =
        SipTlsClient.connect(sip, Optional.of(alice), PKI.caCertificate())) {
      assertThat(aliceFlow.send(register(alice)).status()).isEqualTo(200);
      try (RedisClient redis = TestRedis.client()) {
        String value =
            redis.hget(
                prefix + "aor:alice@" + DOMAIN,
                "urn:uuid:" + CertificateIdentity.of(alice.certificate()).instance().orElseThrow());
        assertThat(value).startsWith("sip-one\ntls:127.0.0.1:" + aliceFlow.localPort() + "\n");
        assertThat(redis.get(prefix + "node:sip-one"))
            .as("the node's heartbeat")
            .isEqualTo("127.0.0.1:" + sip.getPort());
      }
    }
    assertThat(logText()).contains("bindings=redis " + url + " as node sip-one");
    process.destroy();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    try (RedisClient redis = TestRedis.client()) {
      assertThat(redis.exists(prefix + "node:sip-one")).as("heartbeat after SIGTERM").isFalse();
    }
  }

  @Test
  void a_program_node_is_routed_to_and_its_kill_makes_calls_to_its_devices_fail_at_once()
      throws Exception {
    nodes.writeNodeCertificate(PKI.issueNode("sip-two.nodes.test", "127.0.0.1"));
    Leaf nodeOne = PKI.issueNode("sip-one.nodes.test", "127.0.0.1");
    RunningSipEdge one =
        nodes.startNodeOne(
            SipEdgeConfig.of(
                SipEdgeConfig.parseListen("127.0.0.1:0"),
                DOMAIN,
                List.of(PKI.caCertificate()),
                nodeOne.keys().getPrivate(),
                List.of(nodeOne.certificate())));
    ProgramNodes.Ready started =
        nodes.startNodeTwo(one, new ArrayList<>(List.of(serve())), "link to the program node");
    process = nodes.program().process();
    assertThat(started.pid()).isEqualTo(process.pid());
    InetSocketAddress two = started.sip();

    Leaf app = PKI.issueClient("alice@" + DOMAIN, Optional.of(UUID.randomUUID()));
    Leaf gateway = PKI.issueClient(GATEWAY, Optional.empty());
    SipTlsClient appFlow = nodes.connect(two, app, PKI.caCertificate());
    assertThat(appFlow.send(register(app)).status()).isEqualTo(200);
    SipTlsClient gw = nodes.connect(one.sipAddress(), gateway, PKI.caCertificate());
    assertThat(gw.send(registerGateway(gateway)).status()).isEqualTo(200);
    busyCall(gw, appFlow, inviteAlice(GATEWAY), "tag-app");

    process.destroyForcibly(); // SIGKILL: no heartbeat removed, no goodbye
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String again = inviteAlice(GATEWAY);
    long start = System.nanoTime();
    SipTlsClient.Response unavailable = gw.send(again);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(unavailable.status()).isEqualTo(480);
    assertThat(millis).as("ms to the answer after the kill").isLessThan(15_000);
    gw.write(SipTlsClient.ackOf(again, unavailable));
    System.out.println("a call to a device of a killed node was answered 480 in " + millis + " ms");

    SipTlsClient moved = nodes.connect(one.sipAddress(), app, PKI.caCertificate());
    assertThat(moved.send(register(app)).status()).isEqualTo(200);
    busyCall(gw, moved, inviteAlice(GATEWAY), "tag-moved");
  }

  @Test
  void a_redis_that_does_not_answer_at_start_exits_1_with_one_line() throws Exception {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    List<String> args = new ArrayList<>(List.of(serve()));
    args.addAll(List.of("--redis", "redis://:hunter2@127.0.0.1:" + port));
    start(args.toArray(String[]::new));
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(logText().strip())
        .startsWith(
            "portal-sip: --redis redis://(credentials)@127.0.0.1:"
                + port
                + ": Redis does not answer")
        .doesNotContain("hunter2");
    assertThat(ready).doesNotExist();
  }

  @Test
  void a_wildcard_sip_address_needs_an_advertised_one() throws Exception {
    List<String> args = new ArrayList<>(List.of(serve()));
    args.set(args.indexOf("--sip") + 1, "0.0.0.0:0");
    start(args.toArray(String[]::new));
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(logText().strip())
        .startsWith("portal-sip: --sip 0.0.0.0:0 is a wildcard address")
        .contains("give --advertise IP:PORT (env PORTAL_SIP_ADVERTISE)");

    args.addAll(List.of("--advertise", "0.0.0.0:5061"));
    start(args.toArray(String[]::new));
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(logText().strip())
        .isEqualTo(
            "portal-sip: --advertise must be an address the others reach, not a wildcard:"
                + " 0.0.0.0:5061");
    assertThat(ready).doesNotExist();
  }

  @Test
  void missing_option_is_a_usage_error() throws Exception {
    start("serve", "--ca", ca.toString());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(logText()).contains("Missing required options").contains("--crl");
  }
}
