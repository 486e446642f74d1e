package io.doorpair.sipedge.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Bindings} does, run against each implementation (in memory, Redis): a subclass
 * gives a fresh, empty store per test.
 */
public abstract class BindingsContract {
  /** A fixed "now" well before every expiry used here. */
  protected static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  protected static final String ALICE = "alice@portal.test";
  protected static final String BOB = "bob@portal.test";

  private Bindings bindings;

  /** A fresh, empty store (its clock, if any, at about {@link #NOW}). */
  protected abstract Bindings create() throws Exception;

  /** Releases what {@link #create} made. */
  protected void dispose() throws Exception {}

  /** How many put/remove rounds the race test runs (fewer over the network). */
  protected int raceRounds() {
    return 200_000;
  }

  @BeforeEach
  final void fresh() throws Exception {
    bindings = create();
  }

  @AfterEach
  final void release() throws Exception {
    dispose();
  }

  /** The store under test. */
  protected final Bindings bindings() {
    return bindings;
  }

  protected static Binding binding(String aor, String key, String flow, Instant expires) {
    return new Binding(
        aor,
        key,
        "sip:" + key.replace(':', '-') + "@192.0.2.1:5061;transport=tls",
        Optional.empty(),
        flow,
        expires);
  }

  @Test
  void a_path_is_kept_with_its_binding_and_replaced_with_it() {
    String path = "<sip:dG9rZW4.bWFj@192.0.2.9:5061;transport=tls;lr>";
    Binding with =
        binding(ALICE, "urn:uuid:1", "tls:192.0.2.1:1000", NOW.plusSeconds(600)).withPath(path);
    bindings.put(with);
    assertThat(bindings.of(ALICE, NOW)).extracting(Binding::path).containsExactly(path);
    bindings.put(binding(ALICE, "urn:uuid:1", "tls:192.0.2.1:2000", NOW.plusSeconds(600)));
    assertThat(bindings.of(ALICE, NOW)).extracting(Binding::path).containsExactly("");
  }

  @Test
  void remove_exactly_spares_a_device_that_registered_again_elsewhere() {
    String node = bindings.node();
    Binding first = binding(ALICE, "urn:uuid:1", "tls:192.0.2.1:1000", NOW.plusSeconds(600));
    Binding again = binding(ALICE, "urn:uuid:1", "tls:192.0.2.1:2000", NOW.plusSeconds(600));
    bindings.put(first);
    bindings.put(again); // the same device on a new connection
    assertThat(bindings.removeExactly(first.onNode(node))).as("old flow").isFalse();
    assertThat(bindings.removeExactly(again.onNode("elsewhere"))).as("other node").isFalse();
    assertThat(bindings.of(ALICE, NOW)).extracting(Binding::flow).containsExactly(again.flow());
    assertThat(bindings.removeExactly(again.onNode(node))).isTrue();
    assertThat(bindings.of(ALICE, NOW)).isEmpty();
    assertThat(bindings.removeExactly(again.onNode(node))).as("already gone").isFalse();
  }

  @Test
  void a_put_binding_is_read_back_with_every_component() {
    UUID instance = UUID.randomUUID();
    Instant expires = NOW.plusSeconds(600).plusNanos(123_456_789);
    Binding b =
        new Binding(
            ALICE,
            "urn:uuid:" + instance,
            "sip:alice@192.0.2.7:40000;transport=tls;ob",
            Optional.of(instance),
            "tls:192.0.2.7:40000",
            expires);
    bindings.put(b);
    assertThat(bindings.of(ALICE, NOW)).containsExactly(b.onNode(bindings.node()));
  }

  @Test
  void nothing_registered_reads_empty() {
    assertThat(bindings.of(ALICE, NOW)).isEmpty();
    assertThat(bindings.remove(ALICE, "k")).isFalse();
    assertThat(bindings.removeFlow("tls:127.0.0.1:1")).isEmpty();
  }

  @Test
  void a_put_with_the_same_key_replaces() {
    bindings.put(binding(ALICE, "k", "tls:127.0.0.1:1001", NOW.plusSeconds(60)));
    Binding second = binding(ALICE, "k", "tls:127.0.0.1:1002", NOW.plusSeconds(120));
    bindings.put(second);
    assertThat(bindings.of(ALICE, NOW)).containsExactly(second.onNode(bindings.node()));
  }

  @Test
  void devices_of_one_aor_are_all_returned_and_aors_are_apart() {
    bindings.put(binding(ALICE, "one", "tls:127.0.0.1:1001", NOW.plusSeconds(60)));
    bindings.put(binding(ALICE, "two", "tls:127.0.0.1:1002", NOW.plusSeconds(60)));
    bindings.put(binding(BOB, "three", "tls:127.0.0.1:1003", NOW.plusSeconds(60)));
    assertThat(bindings.of(ALICE, NOW))
        .extracting(Binding::key)
        .containsExactlyInAnyOrder("one", "two");
    assertThat(bindings.of(BOB, NOW)).extracting(Binding::key).containsExactly("three");
  }

  @Test
  void remove_drops_only_that_key_and_says_whether_it_was_there() {
    bindings.put(binding(ALICE, "one", "tls:127.0.0.1:1001", NOW.plusSeconds(60)));
    bindings.put(binding(ALICE, "two", "tls:127.0.0.1:1002", NOW.plusSeconds(60)));
    assertThat(bindings.remove(ALICE, "one")).isTrue();
    assertThat(bindings.remove(ALICE, "one")).isFalse();
    assertThat(bindings.of(ALICE, NOW)).extracting(Binding::key).containsExactly("two");
  }

  @Test
  void a_binding_is_live_until_its_expiry_exclusive() {
    Instant expires = NOW.plusSeconds(60);
    bindings.put(binding(ALICE, "one", "tls:127.0.0.1:1001", expires));
    assertThat(bindings.of(ALICE, expires.minusNanos(1_000_000))).hasSize(1);
    assertThat(bindings.of(ALICE, expires)).isEmpty();
    assertThat(bindings.of(ALICE, expires.plusSeconds(1))).isEmpty();
  }

  @Test
  void remove_flow_drops_only_that_connections_bindings() {
    bindings.put(binding(ALICE, "one", "tls:127.0.0.1:1001", NOW.plusSeconds(60)));
    bindings.put(binding(ALICE, "two", "tls:127.0.0.1:1002", NOW.plusSeconds(60)));
    bindings.put(binding(BOB, "three", "tls:127.0.0.1:1001", NOW.plusSeconds(60)));
    assertThat(bindings.removeFlow("tls:127.0.0.1:1001"))
        .extracting(Binding::key)
        .containsExactlyInAnyOrder("one", "three");
    assertThat(bindings.of(ALICE, NOW)).extracting(Binding::key).containsExactly("two");
    assertThat(bindings.of(BOB, NOW)).isEmpty();
    assertThat(bindings.removeFlow("tls:127.0.0.1:1001")).isEmpty();
  }

  @Test
  void a_device_that_moved_to_a_new_connection_survives_the_close_of_its_old_one() {
    bindings.put(binding(ALICE, "one", "tls:127.0.0.1:1001", NOW.plusSeconds(60)));
    bindings.put(binding(ALICE, "one", "tls:127.0.0.1:2002", NOW.plusSeconds(60)));
    assertThat(bindings.removeFlow("tls:127.0.0.1:1001")).isEmpty();
    assertThat(bindings.of(ALICE, NOW))
        .extracting(Binding::flow)
        .containsExactly("tls:127.0.0.1:2002");
  }

  @Test
  void a_removed_binding_is_not_returned_by_its_flows_close() {
    bindings.put(binding(ALICE, "one", "tls:127.0.0.1:1001", NOW.plusSeconds(60)));
    bindings.remove(ALICE, "one");
    assertThat(bindings.removeFlow("tls:127.0.0.1:1001")).isEmpty();
  }

  @Test
  void put_racing_the_removal_of_the_aors_last_other_device_is_never_lost() throws Exception {
    Binding one = binding(ALICE, "one", "tls:127.0.0.1:1001", NOW.plusSeconds(3600));
    Binding two = binding(ALICE, "two", "tls:127.0.0.1:1002", NOW.plusSeconds(3600));
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong lost = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      // device two comes and goes: each removal may empty the AOR and drop its keys
      Future<?> churn =
          pool.submit(
              () -> {
                while (!stop.get()) {
                  bindings.put(two);
                  bindings.remove(ALICE, "two");
                }
              });
      // device one registers; right after, nobody has removed it, so it must be there
      Future<?> checks =
          pool.submit(
              () -> {
                for (int i = 0; i < raceRounds(); i++) {
                  bindings.put(one);
                  if (bindings.of(ALICE, NOW).stream().noneMatch(b -> b.key().equals("one"))) {
                    lost.incrementAndGet();
                  }
                  bindings.remove(ALICE, "one");
                }
              });
      checks.get(180, TimeUnit.SECONDS);
      stop.set(true);
      churn.get(180, TimeUnit.SECONDS);
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
    assertThat(lost.get()).as("registrations lost to a concurrent removal").isZero();
  }
}
