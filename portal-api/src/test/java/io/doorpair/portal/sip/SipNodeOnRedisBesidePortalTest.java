package io.doorpair.portal.sip;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.portal.cli.PortalCommand;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.Actors.Device;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.portal.testing.RawApi;
import io.doorpair.sipedge.redis.RedisSettings;
import io.doorpair.sipedge.testing.SipTlsClient;
import io.doorpair.sipedge.testing.TestRedis;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * A separate SIP node ({@code portal-sip serve --redis} as a child JVM) beside a portal on the same
 * Redis: the node's CRL file is a copy the portal never rewrites, so the revocation can only reach
 * the node through Redis, and it cuts the device's live connection there; the device's binding is
 * in Redis under the node's name.
 */
class SipNodeOnRedisBesidePortalTest {
  private static final String PREFIX = TestRedis.uniquePrefix();

  @RegisterExtension
  static final PortalExtension PORTAL =
      new PortalExtension().withRedis(RedisSettings.of(TestRedis.url()).withKeyPrefix(PREFIX));

  @AfterAll
  static void dropKeys() {
    TestRedis.deleteKeys(PREFIX);
  }

  private static final String PASSWORD = "sip password";
  private static final String DOMAIN = "portal.localhost";
  private static final Pattern READY =
      Pattern.compile(".*\"sip\":\"127\\.0\\.0\\.1:(\\d+)\".*\\s*");

  @TempDir Path out;

  private static String register(String user, Device device) {
    String instance = device.instance().orElseThrow();
    if (!instance.startsWith("urn:uuid:")) {
      instance = "urn:uuid:" + instance;
    }
    return SipTlsClient.request(
        "REGISTER",
        "sip:" + DOMAIN,
        "<sip:" + user + "@" + DOMAIN + ">",
        "<sip:" + user + "@" + DOMAIN + ">",
        "Contact: <sip:device@127.0.0.1:5999;transport=tls>;+sip.instance=\"<" + instance + ">\"",
        "Expires: 600");
  }

  private static SipTlsClient connect(InetSocketAddress node, Device device) throws IOException {
    Leaf leaf = new Leaf(device.keys(), device.certificate(), PORTAL.portal().caCertificate());
    return SipTlsClient.connect(node, Optional.of(leaf), PORTAL.portal().caCertificate());
  }

  private Process startNode(Path ready, Path log) throws IOException {
    String classPath = System.getProperty("surefire.test.class.path");
    if (classPath == null || classPath.isBlank()) {
      classPath = System.getProperty("java.class.path");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-cp", classPath));
    command.add("io.doorpair.sipedge.node.Main");
    command.addAll(
        List.of(
            "serve",
            "--sip=127.0.0.1:0",
            "--domain=" + DOMAIN,
            "--ca=" + out.resolve("ca.pem"),
            "--cert=" + out.resolve("sip-node.pem"),
            "--key=" + out.resolve("sip-node-key.pem"),
            "--crl=" + out.resolve("frozen-crl.pem"),
            "--redis=" + TestRedis.url(),
            "--redis-prefix=" + PREFIX,
            "--node=node-a",
            "--ready=" + ready));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
  }

  private static InetSocketAddress awaitReady(Process node, Path ready, Path log) throws Exception {
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < guard) {
      if (Files.exists(ready)) {
        Matcher m = READY.matcher(Files.readString(ready));
        assertThat(m.matches()).isTrue();
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
      }
      if (!node.isAlive()) {
        throw new AssertionError(
            "portal-sip exited: " + Files.readString(log, StandardCharsets.UTF_8));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no ready file: " + Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void revocation_reaches_the_node_through_redis_and_cuts_the_device() throws Exception {
    String user = Actors.newUser(PORTAL, "sipnode", PASSWORD);
    Device stolen = Actors.app(PORTAL, user, PASSWORD);
    Device kept = Actors.app(PORTAL, user, PASSWORD);
    assertThat(
            PortalCommand.run(
                "sip-node-cert", "--data=" + PORTAL.dataDir(), "--name=127.0.0.1", "--out=" + out))
        .isZero();

    Files.copy(PORTAL.dataDir().resolve("crl.pem"), out.resolve("frozen-crl.pem"));
    Path ready = out.resolve("ready.json");
    Path log = out.resolve("node.log");
    Process node = startNode(ready, log);
    try {
      InetSocketAddress address = awaitReady(node, ready, log);
      try (SipTlsClient client = connect(address, stolen);
          SipTlsClient bystander = connect(address, kept)) {
        assertThat(client.send(register(user, stolen)).status()).isEqualTo(200);
        try (RedisClient redis = TestRedis.client()) {
          String instance = stolen.instance().orElseThrow();
          String key = instance.startsWith("urn:uuid:") ? instance : "urn:uuid:" + instance;
          assertThat(redis.hget(PREFIX + "aor:" + user + "@" + DOMAIN, key)).startsWith("node-a\n");
        }

        RawApi.Exchange revoke =
            kept.on(PORTAL).postJson("/api/devices/" + stolen.serialHex() + "/revoke", "{}");
        assertThat(revoke.status()).isEqualTo(200);

        assertThat(client.awaitClosedByServer())
            .as("closed by the node; log:\n" + Files.readString(log, StandardCharsets.UTF_8))
            .isTrue();
        assertThat(bystander.send(register(user, kept)).status()).isEqualTo(200);
      }
    } finally {
      node.destroy();
      if (!node.waitFor(30, TimeUnit.SECONDS)) {
        node.destroyForcibly();
      }
    }
  }
}
