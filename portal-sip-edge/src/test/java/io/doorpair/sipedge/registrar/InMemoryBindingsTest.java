package io.doorpair.sipedge.registrar;

/** The bindings contract on the in-memory store. */
class InMemoryBindingsTest extends BindingsContract {
  @Override
  protected Bindings create() {
    return new InMemoryBindings();
  }
}
