package io.doorpair.sipedge.registrar;

import java.time.Instant;
import java.util.List;

/**
 * Where bindings live: in memory on one node ({@link InMemoryBindings}), in Redis for several nodes
 * later. Implementations are thread-safe.
 */
public interface Bindings {
  /** Adds {@code binding}, replacing the AOR's binding with the same key. */
  void put(Binding binding);

  /**
   * Removes the AOR's binding with this key.
   *
   * @return whether there was one
   */
  boolean remove(String aor, String key);

  /**
   * Removes every binding made over {@code flow} (its connection has closed).
   *
   * @return the bindings removed
   */
  List<Binding> removeFlow(String flow);

  /** The AOR's bindings live at {@code now}, in no particular order. */
  List<Binding> of(String aor, Instant now);
}
