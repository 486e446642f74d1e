package io.doorpair.sipedge.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.SipEdge;
import io.doorpair.sipedge.SipEdgeConfig;
import io.doorpair.sipedge.redis.RedisSettings;
import io.doorpair.sipedge.testing.SipTlsClient;
import io.doorpair.sipedge.testing.TestRedis;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fixture of tests that run {@code portal-sip serve} as a real child process ({@link
 * NodeProgram}) for {@value #DOMAIN}: its files in the test's folder (the node certificate in
 * {@code node.pem} and {@code node-key.pem}), the program, and for two nodes on one real Redis node
 * one ({@code sip-one}) in this JVM with the program as node two ({@code sip-two}). {@link
 * #close()} closes the clients and node one, kills the program and removes the test's Redis keys.
 * Make one in {@code @BeforeEach}, close it in {@code @AfterEach}.
 */
final class ProgramNodes {
  /** The portal SIP domain of the nodes. */
  static final String DOMAIN = "portal.test";

  private static final Pattern READY =
      Pattern.compile("\\{\"pid\":(\\d+),\"sip\":\"127\\.0\\.0\\.1:(\\d+)\"}\\s*");

  /** What the ready file says: the program's pid and its SIP address. */
  record Ready(long pid, InetSocketAddress sip) {}

  private final Path dir;
  private final Path ready;
  private final Path log;
  private final Path cert;
  private final Path key;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private NodeProgram program;
  private String redisUrl;
  private String redisPrefix;

  /** Files in {@code dir}; the ready file at {@code readyFile} in it. */
  ProgramNodes(Path dir, String readyFile) {
    this.dir = dir;
    this.ready = dir.resolve(readyFile);
    this.log = dir.resolve("node.log");
    this.cert = dir.resolve("node.pem");
    this.key = dir.resolve("node-key.pem");
  }

  /** The ready file the program is given. */
  Path ready() {
    return ready;
  }

  /** The node's private key file ({@code node-key.pem}). */
  Path key() {
    return key;
  }

  /**
   * Writes {@code content} to {@code name} in the folder, with {@code mode} ({@code rw-r--r--}).
   */
  Path write(String name, String content, String mode) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  /** Replaces {@code target} the way the portal does: a temporary file renamed over it. */
  void replace(Path target, String content) throws IOException {
    Path tmp = dir.resolve(".crl.tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Writes {@code leaf} as the node's certificate and key ({@code 0600}). */
  void writeNodeCertificate(Leaf leaf) throws IOException {
    write("node.pem", leaf.certificatePem(), "rw-r--r--");
    write("node-key.pem", leaf.privateKeyPem(), "rw-------");
  }

  /** {@code serve} with {@code ca}, {@code crl} and the node's files (a list to add to). */
  List<String> serve(Path ca, Path crl) {
    return NodeProgram.serve(DOMAIN, ca, cert, key, crl, ready);
  }

  /** Starts {@code portal-sip ARGS}, its output to the log; the one before is killed if it runs. */
  NodeProgram start(List<String> args) throws IOException {
    if (program != null) {
      program.close();
    }
    program = NodeProgram.start(log, args);
    return program;
  }

  /** The program started last. */
  NodeProgram program() {
    return program;
  }

  /** Waits (generously) for the ready file, failing with the log if the program exits. */
  Ready awaitReady() throws Exception {
    String text = program.awaitFile(ready);
    Matcher m = READY.matcher(text);
    assertThat(m.matches()).as("ready file " + text).isTrue();
    return new Ready(
        Long.parseLong(m.group(1)),
        new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(2))));
  }

  /** The Redis URL of the nodes ({@link TestRedis#require()}). */
  String redisUrl() {
    if (redisUrl == null) {
      redisUrl = TestRedis.require();
      redisPrefix = TestRedis.uniquePrefix();
    }
    return redisUrl;
  }

  /** The nodes' Redis key prefix, the test's own. */
  String redisPrefix() {
    redisUrl();
    return redisPrefix;
  }

  /** {@code args} with {@code --redis}, {@code --redis-prefix} and {@code --node NAME} added. */
  List<String> onRedis(List<String> args, String name) {
    args.addAll(List.of("--redis", redisUrl(), "--redis-prefix", redisPrefix(), "--node", name));
    return args;
  }

  /** Node one, {@code sip-one}, in this JVM with {@code config} on the nodes' Redis. */
  RunningSipEdge startNodeOne(SipEdgeConfig config) throws IOException {
    return closeAfter(
        SipEdge.start(
            config, RedisSettings.of(redisUrl()).withKeyPrefix(redisPrefix()), "sip-one"));
  }

  /**
   * Starts the program with {@code args} as node two, {@code sip-two}, on the nodes' Redis, and
   * waits (generously) for {@code one}'s link to it: present, or the test fails with {@code
   * description}.
   */
  Ready startNodeTwo(RunningSipEdge one, List<String> args, String description) throws Exception {
    start(onRedis(args, "sip-two"));
    Ready two = awaitReady();
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (one.linkTo("sip-two").isEmpty() && System.nanoTime() < guard) {
      Thread.sleep(50); // polling for the link's first pong, not a timed assertion
    }
    assertThat(one.linkTo("sip-two")).as(description).isPresent();
    return two;
  }

  /** A TLS client of {@code leaf} trusting {@code ca}, closed by {@link #close()}. */
  SipTlsClient connect(InetSocketAddress address, Leaf leaf, X509Certificate ca)
      throws IOException {
    return closeAfter(SipTlsClient.connect(address, Optional.of(leaf), ca));
  }

  private <T extends AutoCloseable> T closeAfter(T resource) {
    opened.add(resource);
    return resource;
  }

  /** A REGISTER of {@code leaf}'s own AOR and instance, From its CN. */
  static String register(Leaf leaf) {
    return NodeProgram.register(
        DOMAIN, leaf, CertificateIdentity.of(leaf.certificate()).commonName());
  }

  /** A REGISTER of a gateway's certificate ({@code ipgw@DOMAIN}, no instance). */
  static String registerGateway(Leaf leaf) {
    String aor = CertificateIdentity.of(leaf.certificate()).commonName();
    return SipTlsClient.request(
        "REGISTER",
        "sip:" + DOMAIN,
        "<sip:" + aor + ">",
        "<sip:" + aor + ">",
        "Contact: <sip:gw@127.0.0.1:5998;transport=tls>",
        "Expires: 600");
  }

  /** An INVITE from {@code gateway} ({@code ipgw@DOMAIN}) to {@code alice@}{@value #DOMAIN}. */
  static String inviteAlice(String gateway) {
    return SipTlsClient.request(
        "INVITE",
        "sip:alice@" + DOMAIN,
        "<sip:" + gateway + ">",
        "<sip:alice@" + DOMAIN + ">",
        "Contact: <sip:gw@127.0.0.1:5998;transport=tls>");
  }

  /**
   * {@code invite} from {@code gw} rings {@code callee}, who answers 486 with To tag {@code tag};
   * the 486 reaches {@code gw}, which ACKs it.
   */
  static void busyCall(SipTlsClient gw, SipTlsClient callee, String invite, String tag)
      throws IOException {
    gw.write(invite);
    SipTlsClient.Request ringing = callee.awaitRequest("INVITE");
    callee.reply(ringing, 486, "Busy Here", tag);
    SipTlsClient.Response busy = gw.awaitResponse(486);
    gw.write(SipTlsClient.ackOf(invite, busy));
  }

  /** Closes the clients and node one (newest first), kills the program, removes the Redis keys. */
  void close() throws Exception {
    try {
      for (int i = opened.size() - 1; i >= 0; i--) {
        opened.get(i).close();
      }
    } finally {
      if (program != null) {
        program.close();
      }
      if (redisPrefix != null) {
        TestRedis.deleteKeys(redisPrefix);
      }
    }
  }
}
