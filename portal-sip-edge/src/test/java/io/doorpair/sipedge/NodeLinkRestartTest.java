package io.doorpair.sipedge;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.redis.RedisSettings;
import io.doorpair.sipedge.registrar.RegistrationPolicy;
import io.doorpair.sipedge.stack.StackSettings;
import io.doorpair.sipedge.testing.TestRedis;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node restarted on the same address with the same node certificate (as {@code bench/nodes.sh}
 * restarts node 2): the links both ways come up again, so calls from the node that stayed reach the
 * restarted node's devices.
 */
class NodeLinkRestartTest {
  private static final String DOMAIN = "portal.test";
  private static final TestPki PKI = TestPki.shared();

  private final List<AutoCloseable> resources = new ArrayList<>();
  private String prefix;
  private RedisSettings shared;

  @BeforeEach
  void redis() {
    prefix = TestRedis.uniquePrefix();
    shared = RedisSettings.of(TestRedis.require()).withKeyPrefix(prefix);
  }

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (IOException | RuntimeException e) {
        // already closed by the test
      }
    }
    if (prefix != null) {
      TestRedis.deleteKeys(prefix);
    }
  }

  private RunningSipEdge node(String name, Leaf certificate, int port) throws IOException {
    RunningSipEdge edge =
        SipEdge.start(
            new SipEdgeConfig(
                SipEdgeConfig.parseListen("127.0.0.1:" + port),
                DOMAIN,
                List.of(PKI.caCertificate()),
                certificate.keys().getPrivate(),
                List.of(certificate.certificate()),
                RegistrationPolicy.DEFAULT,
                new StackSettings("test-restart-" + name, 65536, 4, 600_000, 5000),
                Optional.empty(),
                SipEdgeConfig.DEFAULT_TIMER_C),
            shared,
            name);
    resources.add(edge);
    return edge;
  }

  private static void awaitLink(RunningSipEdge from, String to) throws InterruptedException {
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (from.linkTo(to).isEmpty() && System.nanoTime() < guard) {
      Thread.sleep(50); // polling for the link's first pong, not a timed assertion
    }
    assertThat(from.linkTo(to)).as("link to " + to).isPresent();
  }

  @Test
  void both_links_come_up_again_after_a_node_restarts_on_its_address() throws Exception {
    Leaf oneCert = PKI.issueNode("node-1.nodes.test", "127.0.0.1");
    Leaf twoCert = PKI.issueNode("node-2.nodes.test", "127.0.0.1");
    RunningSipEdge one = node("node-1", oneCert, 0);
    RunningSipEdge two = node("node-2", twoCert, 0);
    awaitLink(one, "node-2");
    awaitLink(two, "node-1");
    int port = two.sipAddress().getPort();

    for (int round = 0; round < 3; round++) {
      two.close();
      two = node("node-2", twoCert, port);
      awaitLink(two, "node-1");
      awaitLink(one, "node-2");
    }
  }
}
