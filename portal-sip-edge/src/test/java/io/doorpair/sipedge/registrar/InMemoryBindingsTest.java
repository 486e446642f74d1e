package io.doorpair.sipedge.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemoryBindingsTest {
  private static final Instant LATER = Instant.parse("2100-01-01T00:00:00Z");

  @Test
  void put_racing_the_removal_of_the_aors_last_other_device_is_never_lost() throws Exception {
    InMemoryBindings bindings = new InMemoryBindings();
    Binding one = binding("one", "tls:127.0.0.1:1001");
    Binding two = binding("two", "tls:127.0.0.1:1002");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong lost = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      // device two comes and goes: each removal may empty the AOR's map and drop it
      Future<?> churn =
          pool.submit(
              () -> {
                while (!stop.get()) {
                  bindings.put(two);
                  bindings.remove("alice@portal.test", "two");
                }
              });
      // device one registers; right after, nobody has removed it, so it must be there
      Future<?> checks =
          pool.submit(
              () -> {
                for (int i = 0; i < 200_000; i++) {
                  bindings.put(one);
                  if (bindings.of("alice@portal.test", Instant.EPOCH).stream()
                      .noneMatch(b -> b.key().equals("one"))) {
                    lost.incrementAndGet();
                  }
                  bindings.remove("alice@portal.test", "one");
                }
              });
      checks.get(120, TimeUnit.SECONDS);
      stop.set(true);
      churn.get(120, TimeUnit.SECONDS);
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
    assertThat(lost.get()).as("registrations lost to a concurrent removal").isZero();
  }

  @Test
  void remove_flow_drops_only_that_connections_bindings() {
    InMemoryBindings bindings = new InMemoryBindings();
    bindings.put(binding("one", "tls:127.0.0.1:1001"));
    bindings.put(binding("two", "tls:127.0.0.1:1002"));
    assertThat(bindings.removeFlow("tls:127.0.0.1:1001"))
        .extracting(Binding::key)
        .containsExactly("one");
    assertThat(bindings.of("alice@portal.test", Instant.EPOCH))
        .extracting(Binding::key)
        .containsExactly("two");
  }

  private static Binding binding(String key, String flow) {
    return new Binding(
        "alice@portal.test",
        key,
        "sip:alice@10.0.0.1;transport=tls",
        Optional.empty(),
        flow,
        LATER);
  }
}
