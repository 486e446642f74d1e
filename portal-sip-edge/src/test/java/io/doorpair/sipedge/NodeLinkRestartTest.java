package io.doorpair.sipedge;

import static io.doorpair.sipedge.NodesOnRedis.awaitLink;

import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node restarted on the same address with the same node certificate (as {@code bench/nodes.sh}
 * restarts node 2): the links both ways come up again, so calls from the node that stayed reach the
 * restarted node's devices.
 */
class NodeLinkRestartTest {
  private static final TestPki PKI = TestPki.shared();

  private NodesOnRedis nodes;

  @BeforeEach
  void redis() {
    nodes = new NodesOnRedis("test-restart-");
  }

  @AfterEach
  void close() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
  }

  private RunningSipEdge node(String name, Leaf certificate, int port) throws Exception {
    return nodes.start(name, certificate, "127.0.0.1:" + port, Optional.empty());
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
