package io.doorpair.sipedge.registrar;

/**
 * Whether a SIP node sharing the bindings is still running (DESIGN §10): each node keeps a
 * heartbeat with a short lifetime, and a binding held by a node whose heartbeat is gone names a
 * connection that no longer exists. Implementations are thread-safe.
 */
@FunctionalInterface
public interface NodeLiveness {
  /** For bindings that are not shared: every node counts as running (only this one exists). */
  NodeLiveness ASSUME_RUNNING = node -> true;

  /**
   * Whether {@code node} has a live heartbeat.
   *
   * @throws BindingsUnavailableException when the shared store fails or does not answer
   */
  boolean alive(String node);
}
