package io.doorpair.sipedge.registrar;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where bindings live: in memory on one node ({@link InMemoryBindings}), or shared by several nodes
 * (the Redis implementation in {@code io.doorpair.sipedge.redis}). Implementations are thread-safe.
 * A shared store that fails or does not answer in time throws {@link BindingsUnavailableException}
 * (unchecked) from every method.
 */
public interface Bindings {
  /**
   * Adds {@code binding}, replacing the AOR's binding with the same key. A shared store records it
   * as held by {@link #node()}, whatever {@link Binding#node()} says.
   */
  void put(Binding binding);

  /**
   * Removes the AOR's binding with this key.
   *
   * @return whether there was one
   */
  boolean remove(String aor, String key);

  /**
   * Removes the AOR's binding with {@code binding}'s key only while it is still held by the same
   * node over the same flow: a device that registered again meanwhile (on another node or
   * connection) keeps its new binding.
   *
   * @return whether it was removed
   */
  boolean removeExactly(Binding binding);

  /**
   * Removes every binding made over {@code flow} of {@link #node()} (its connection has closed).
   *
   * @return the bindings removed
   */
  List<Binding> removeFlow(String flow);

  /** The AOR's bindings live at {@code now}, in no particular order. */
  List<Binding> of(String aor, Instant now);

  /**
   * How many bindings are live at {@code now}, for a gauge; empty when counting would cost a scan
   * of a shared store.
   */
  default OptionalLong count(Instant now) {
    return OptionalLong.empty();
  }

  /**
   * The node this instance writes for: {@link Binding#LOCAL} for bindings that are not shared; a
   * binding whose {@link Binding#node()} differs was made over another node's connection.
   */
  default String node() {
    return Binding.LOCAL;
  }

  /**
   * Whether calls may block on the network (a shared store): the edge then never calls it from the
   * stack's I/O thread.
   */
  default boolean remote() {
    return false;
  }
}
