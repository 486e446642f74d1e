package io.doorpair.sipedge;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.redis.RedisSettings;
import io.doorpair.sipedge.registrar.RegistrationPolicy;
import io.doorpair.sipedge.stack.StackSettings;
import io.doorpair.sipedge.testing.SipTlsClient;
import io.doorpair.sipedge.testing.SipTlsClient.Response;
import io.doorpair.sipedge.testing.TestRedis;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The fixture of tests with several SIP nodes in this JVM on one real Redis: a key prefix of the
 * test's own (its keys removed by {@link #close()}), nodes with node certificates of {@link
 * TestPki#shared()} for {@value #DOMAIN}, and the nodes and clients closed in reverse order by
 * {@link #close()}. Make one in {@code @BeforeEach}, close it in {@code @AfterEach}.
 */
final class NodesOnRedis {
  /** The portal SIP domain of every node. */
  static final String DOMAIN = "portal.test";

  private static final TestPki PKI = TestPki.shared();

  private final String threadPrefix;
  private final String prefix;
  private final RedisSettings shared;
  private final List<AutoCloseable> resources = new ArrayList<>();

  /**
   * Needs Redis ({@link TestRedis#require()}); {@code threadPrefix} names the nodes' stack threads
   * ({@code threadPrefix + name}).
   */
  NodesOnRedis(String threadPrefix) {
    this.threadPrefix = threadPrefix;
    this.prefix = TestRedis.uniquePrefix();
    this.shared = RedisSettings.of(TestRedis.require()).withKeyPrefix(prefix);
  }

  /** The Redis key prefix of this test's nodes. */
  String prefix() {
    return prefix;
  }

  /** Node {@code name} on {@code 127.0.0.1:0} with a node certificate of its own. */
  RunningSipEdge start(String name) throws IOException {
    return start(name, "127.0.0.1:0", Optional.empty());
  }

  /** Node {@code name} on {@code listen}, with a node certificate of its own. */
  RunningSipEdge start(String name, String listen, Optional<InetSocketAddress> advertise)
      throws IOException {
    return start(name, PKI.issueNode(name + ".nodes.test", "127.0.0.1"), listen, advertise);
  }

  /** Node {@code name} on {@code listen} with {@code certificate}, announcing {@code advertise}. */
  RunningSipEdge start(
      String name, Leaf certificate, String listen, Optional<InetSocketAddress> advertise)
      throws IOException {
    return closeAfter(
        SipEdge.start(
            new SipEdgeConfig(
                SipEdgeConfig.parseListen(listen),
                DOMAIN,
                List.of(PKI.caCertificate()),
                certificate.keys().getPrivate(),
                List.of(certificate.certificate()),
                RegistrationPolicy.DEFAULT,
                new StackSettings(threadPrefix + name, 65536, 4, 600_000, 5000),
                Optional.empty(),
                SipEdgeConfig.DEFAULT_TIMER_C,
                advertise),
            shared,
            name));
  }

  /** Waits (generously) for {@code from}'s link to node {@code to}: present, or the test fails. */
  static void awaitLink(RunningSipEdge from, String to) throws InterruptedException {
    awaitLink(from, to, "link to " + to);
  }

  /** {@link #awaitLink(RunningSipEdge, String)}, its failure described as {@code description}. */
  static void awaitLink(RunningSipEdge from, String to, String description)
      throws InterruptedException {
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (from.linkTo(to).isEmpty() && System.nanoTime() < guard) {
      Thread.sleep(50); // polling for the link's first pong, not a timed assertion
    }
    assertThat(from.linkTo(to)).as(description).isPresent();
  }

  /** A TLS client of {@code leaf} connected to {@code edge}, closed by {@link #close()}. */
  SipTlsClient connect(RunningSipEdge edge, Leaf leaf) throws IOException {
    return connect(edge.sipAddress(), leaf);
  }

  /** A TLS client of {@code leaf} connected to {@code address}, closed by {@link #close()}. */
  SipTlsClient connect(InetSocketAddress address, Leaf leaf) throws IOException {
    return closeAfter(SipTlsClient.connect(address, Optional.of(leaf), PKI.caCertificate()));
  }

  /** {@code resource}, closed by {@link #close()} before what was opened earlier. */
  <T extends AutoCloseable> T closeAfter(T resource) {
    resources.add(resource);
    return resource;
  }

  /** A device's Contact URI for {@code user}: {@code sip:USER@192.0.2.40:5999;transport=tls}. */
  static String contactOf(String user) {
    return "sip:" + user + "@192.0.2.40:5999;transport=tls";
  }

  /**
   * Registers {@code leaf}'s device over {@code client}: its Contact (an app's with its instance)
   * then {@code lines}; a 200 expected.
   */
  static void register(SipTlsClient client, Leaf leaf, String... lines) throws IOException {
    CertificateIdentity id = CertificateIdentity.of(leaf.certificate());
    String aor = id.commonName();
    String contact = "Contact: <" + contactOf(aor.replace('@', '-')) + ">";
    if (id.instance().isPresent()) {
      contact += ";+sip.instance=\"<urn:uuid:" + id.instance().get() + ">\"";
    }
    List<String> headers = new ArrayList<>(List.of(contact));
    headers.addAll(List.of(lines));
    Response ok =
        client.send(
            SipTlsClient.request(
                "REGISTER",
                "sip:" + DOMAIN,
                "<sip:" + aor + ">",
                "<sip:" + aor + ">",
                headers.toArray(String[]::new)));
    assertThat(ok.status()).as("REGISTER of " + aor).isEqualTo(200);
  }

  /** Closes the clients and nodes, newest first, then removes the test's Redis keys. */
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (IOException | RuntimeException e) {
        // already closed by the test
      }
    }
    TestRedis.deleteKeys(prefix);
  }
}
