package io.doorpair.sipedge.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.SipEdge;
import io.doorpair.sipedge.SipEdgeConfig;
import io.doorpair.sipedge.redis.RedisSettings;
import io.doorpair.sipedge.testing.SipTlsClient;
import io.doorpair.sipedge.testing.TestRedis;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
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
import redis.clients.jedis.RedisClient;

/**
 * The {@code portal-sip serve} program as a real child process (its {@code Main} in a JVM of its
 * own, on this module's class path): ready file, a registration over it, the CRL file replaced
 * while a client is connected, bad files, SIGTERM.
 */
class SipNodeProgramTest {
  private static final String DOMAIN = "portal.test";
  private static final TestPki PKI = TestPki.shared();
  private static final Pattern READY =
      Pattern.compile("\\{\"pid\":(\\d+),\"sip\":\"127\\.0\\.0\\.1:(\\d+)\"}\\s*");

  @TempDir Path dir;
  private Path ca;
  private Path cert;
  private Path key;
  private Path crl;
  private Path ready;
  private Process process;
  private Path log;

  @BeforeEach
  void files() throws IOException {
    Leaf node = PKI.issueServer("127.0.0.1");
    ca = write("ca.pem", PKI.caPem(), "rw-r--r--");
    cert = write("node.pem", node.certificatePem(), "rw-r--r--");
    key = write("node-key.pem", node.privateKeyPem(), "rw-------");
    crl = write("crl.pem", Pem.crl(PKI.crl()), "rw-r--r--");
    ready = dir.resolve("run/ready.json");
    log = dir.resolve("node.log");
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private Path write(String name, String content, String mode) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  /** Replaces {@code target} the way the portal does: a temporary file renamed over it. */
  private void replace(Path target, String content) throws IOException {
    Path tmp = dir.resolve(".crl.tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private Process start(String... args) throws IOException {
    process = NodeProgram.start(log, List.of(args)).process();
    return process;
  }

  private String logText() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  private String[] serve() {
    return NodeProgram.serve(DOMAIN, ca, cert, key, crl, ready).toArray(String[]::new);
  }

  /** Waits for the ready file (generous failure guard) and returns the SIP address in it. */
  private InetSocketAddress awaitReady() throws Exception {
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < guard) {
      if (Files.exists(ready)) {
        Matcher m = READY.matcher(Files.readString(ready));
        assertThat(m.matches()).as("ready file " + Files.readString(ready)).isTrue();
        assertThat(Long.parseLong(m.group(1))).isEqualTo(process.pid());
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(2)));
      }
      if (!process.isAlive()) {
        throw new AssertionError("portal-sip exited " + process.exitValue() + ":\n" + logText());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no ready file; log:\n" + logText());
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

  private static String register(Leaf leaf) {
    return NodeProgram.register(
        DOMAIN, leaf, CertificateIdentity.of(leaf.certificate()).commonName());
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
      replace(crl, Pem.crl(PKI.crl(alice.serial())));
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
    replace(crl, Pem.crl(PKI.rogueCrl()));
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
    write("crl.pem", Pem.crl(PKI.rogueCrl()), "rw-r--r--");
    start(serve());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(logText().strip())
        .isEqualTo("portal-sip: --crl " + crl + ": not signed by the CA in --ca " + ca);
  }

  @Test
  void with_redis_the_bindings_are_in_redis_under_the_nodes_name() throws Exception {
    String url = TestRedis.require();
    String prefix = TestRedis.uniquePrefix();
    try {
      List<String> args = new ArrayList<>(List.of(serve()));
      args.addAll(List.of("--redis", url, "--redis-prefix", prefix, "--node", "sip-one"));
      start(args.toArray(String[]::new));
      InetSocketAddress sip = awaitReady();
      Leaf alice = PKI.issueClient("alice@" + DOMAIN, Optional.of(UUID.randomUUID()));
      try (SipTlsClient aliceFlow =
          SipTlsClient.connect(sip, Optional.of(alice), PKI.caCertificate())) {
        assertThat(aliceFlow.send(register(alice)).status()).isEqualTo(200);
        try (RedisClient redis = TestRedis.client()) {
          String value =
              redis.hget(
                  prefix + "aor:alice@" + DOMAIN,
                  "urn:uuid:"
                      + CertificateIdentity.of(alice.certificate()).instance().orElseThrow());
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
    } finally {
      TestRedis.deleteKeys(prefix);
    }
  }

  @Test
  void a_program_node_is_routed_to_and_its_kill_makes_calls_to_its_devices_fail_at_once()
      throws Exception {
    String url = TestRedis.require();
    String prefix = TestRedis.uniquePrefix();
    Leaf nodeTwo = PKI.issueNode("sip-two.nodes.test", "127.0.0.1");
    write("node.pem", nodeTwo.certificatePem(), "rw-r--r--");
    write("node-key.pem", nodeTwo.privateKeyPem(), "rw-------");
    Leaf nodeOne = PKI.issueNode("sip-one.nodes.test", "127.0.0.1");
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      RunningSipEdge one =
          SipEdge.start(
              SipEdgeConfig.of(
                  SipEdgeConfig.parseListen("127.0.0.1:0"),
                  DOMAIN,
                  List.of(PKI.caCertificate()),
                  nodeOne.keys().getPrivate(),
                  List.of(nodeOne.certificate())),
              RedisSettings.of(url).withKeyPrefix(prefix),
              "sip-one");
      opened.add(one);
      List<String> args = new ArrayList<>(List.of(serve()));
      args.addAll(List.of("--redis", url, "--redis-prefix", prefix, "--node", "sip-two"));
      start(args.toArray(String[]::new));
      InetSocketAddress two = awaitReady();
      long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (one.linkTo("sip-two").isEmpty() && System.nanoTime() < guard) {
        Thread.sleep(50); // polling for the link's first pong, not a timed assertion
      }
      assertThat(one.linkTo("sip-two")).as("link to the program node").isPresent();

      Leaf app = PKI.issueClient("alice@" + DOMAIN, Optional.of(UUID.randomUUID()));
      Leaf gateway = PKI.issueClient("ipgw@nodeprog1234", Optional.empty());
      SipTlsClient appFlow = SipTlsClient.connect(two, Optional.of(app), PKI.caCertificate());
      opened.add(appFlow);
      assertThat(appFlow.send(register(app)).status()).isEqualTo(200);
      SipTlsClient gw =
          SipTlsClient.connect(one.sipAddress(), Optional.of(gateway), PKI.caCertificate());
      opened.add(gw);
      assertThat(gw.send(registerGateway(gateway)).status()).isEqualTo(200);

      String invite = invite();
      gw.write(invite);
      SipTlsClient.Request ringing = appFlow.awaitRequest("INVITE");
      appFlow.reply(ringing, 486, "Busy Here", "tag-app");
      SipTlsClient.Response busy = gw.awaitResponse(486);
      gw.write(SipTlsClient.ackOf(invite, busy));

      process.destroyForcibly(); // SIGKILL: no heartbeat removed, no goodbye
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String again = invite();
      long start = System.nanoTime();
      SipTlsClient.Response unavailable = gw.send(again);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(unavailable.status()).isEqualTo(480);
      assertThat(millis).as("ms to the answer after the kill").isLessThan(15_000);
      gw.write(SipTlsClient.ackOf(again, unavailable));
      System.out.println(
          "a call to a device of a killed node was answered 480 in " + millis + " ms");

      SipTlsClient moved =
          SipTlsClient.connect(one.sipAddress(), Optional.of(app), PKI.caCertificate());
      opened.add(moved);
      assertThat(moved.send(register(app)).status()).isEqualTo(200);
      String third = invite();
      gw.write(third);
      SipTlsClient.Request rings = moved.awaitRequest("INVITE");
      moved.reply(rings, 486, "Busy Here", "tag-moved");
      gw.write(SipTlsClient.ackOf(third, gw.awaitResponse(486)));
    } finally {
      for (int i = opened.size() - 1; i >= 0; i--) {
        opened.get(i).close();
      }
      TestRedis.deleteKeys(prefix);
    }
  }

  private static String registerGateway(Leaf leaf) {
    String aor = CertificateIdentity.of(leaf.certificate()).commonName();
    return SipTlsClient.request(
        "REGISTER",
        "sip:" + DOMAIN,
        "<sip:" + aor + ">",
        "<sip:" + aor + ">",
        "Contact: <sip:gw@127.0.0.1:5998;transport=tls>",
        "Expires: 600");
  }

  private static String invite() {
    return SipTlsClient.request(
        "INVITE",
        "sip:alice@" + DOMAIN,
        "<sip:ipgw@nodeprog1234>",
        "<sip:alice@" + DOMAIN + ">",
        "Contact: <sip:gw@127.0.0.1:5998;transport=tls>");
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
