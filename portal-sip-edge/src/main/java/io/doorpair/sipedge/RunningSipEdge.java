package io.doorpair.sipedge;

import io.doorpair.sipedge.registrar.Bindings;
import io.doorpair.sipedge.stack.EdgeStack;
import java.net.InetSocketAddress;

/** A started portal SIP server; {@link #close()} stops it. */
public final class RunningSipEdge implements AutoCloseable {
  private final EdgeStack stack;
  private final Bindings bindings;

  RunningSipEdge(EdgeStack stack, Bindings bindings) {
    this.stack = stack;
    this.bindings = bindings;
  }

  /** The address and port the TLS listener is bound to (the real port when 0 was asked). */
  public InetSocketAddress sipAddress() {
    return stack.boundAddress();
  }

  /** The registrar's bindings (read them; the registrar writes them). */
  public Bindings bindings() {
    return bindings;
  }

  @Override
  public void close() {
    stack.close();
  }
}
