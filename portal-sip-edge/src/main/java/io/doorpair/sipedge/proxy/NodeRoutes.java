package io.doorpair.sipedge.proxy;

import java.util.Optional;

/**
 * The links from this SIP node to the others (DESIGN §10): a request for a device held by another
 * node goes over the link to that node. Implementations are thread-safe.
 */
@FunctionalInterface
public interface NodeRoutes {
  /** No routing between nodes: devices of other nodes are not reachable from here. */
  NodeRoutes NONE = node -> Optional.empty();

  /**
   * The connection ({@code tls:<ip>:<port>}) of a working link to {@code node}; empty when there is
   * none (the node is gone, not yet linked, or its link broke), so that its devices get an answer
   * at once instead of a request that waits for a node that cannot answer.
   */
  Optional<String> linkTo(String node);
}
