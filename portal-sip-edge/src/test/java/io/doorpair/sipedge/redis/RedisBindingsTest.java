package io.doorpair.sipedge.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.sipedge.registrar.Binding;
import io.doorpair.sipedge.registrar.Bindings;
import io.doorpair.sipedge.registrar.BindingsContract;
import io.doorpair.sipedge.registrar.BindingsUnavailableException;
import io.doorpair.sipedge.testing.TestRedis;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The bindings contract on a real Redis, and what only Redis does: expiry, nodes, outages. */
class RedisBindingsTest extends BindingsContract {
  private final List<RedisConnection> opened = new ArrayList<>();
  private String prefix;

  @Override
  protected Bindings create() {
    String url = TestRedis.require();
    prefix = TestRedis.uniquePrefix();
    return new RedisBindings(connection(url, prefix), "node-a", Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Override
  protected void dispose() {
    opened.forEach(RedisConnection::close);
    if (prefix != null) {
      TestRedis.deleteKeys(prefix);
    }
  }

  @Override
  protected int raceRounds() {
    return 2_000;
  }

  private RedisConnection connection(String url, String keyPrefix) {
    RedisConnection c = RedisConnection.open(RedisSettings.of(url).withKeyPrefix(keyPrefix));
    opened.add(c);
    return c;
  }

  @Test
  void redis_itself_deletes_an_aor_whose_bindings_lapsed_without_any_read() throws Exception {
    // a clock at the real time: key lifetimes are expiry minus the clock's now
    RedisBindings live =
        new RedisBindings(connection(TestRedis.url(), prefix), "node-a", Clock.systemUTC());
    live.put(binding(ALICE, "one", "tls:127.0.0.1:1001", Instant.now().plusMillis(300)));
    assertThat(TestRedis.keys(prefix)).hasSize(3); // the AOR's hash and sorted set, the flow set
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!TestRedis.keys(prefix).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50); // polling Redis, not an assertion on time
    }
    assertThat(TestRedis.keys(prefix)).as("keys left after the expiry").isEmpty();
  }

  @Test
  void key_lifetimes_follow_the_latest_expiry_of_the_aor() {
    RedisBindings live =
        new RedisBindings(connection(TestRedis.url(), prefix), "node-a", Clock.systemUTC());
    Instant now = Instant.now();
    live.put(binding(ALICE, "one", "tls:127.0.0.1:1001", now.plusSeconds(100)));
    live.put(binding(ALICE, "two", "tls:127.0.0.1:1002", now.plusSeconds(3000)));
    try (RedisClient redis = TestRedis.client()) {
      long ttl = redis.pttl(prefix + "aor:" + ALICE);
      assertThat(ttl).isBetween(2_900_000L, 3_000_000L + RedisBindings.SLACK_MILLIS);
      assertThat(redis.pttl(prefix + "flow:node-a|tls:127.0.0.1:1001"))
          .isBetween(90_000L, 100_000L + RedisBindings.SLACK_MILLIS);
    }
    live.remove(ALICE, "two");
    live.put(binding(ALICE, "one", "tls:127.0.0.1:1001", now.plusSeconds(100)));
    try (RedisClient redis = TestRedis.client()) {
      assertThat(redis.pttl(prefix + "aor:" + ALICE))
          .isBetween(90_000L, 100_000L + RedisBindings.SLACK_MILLIS);
    }
  }

  @Test
  void nodes_share_bindings_and_a_flow_close_removes_only_its_own_nodes() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    RedisBindings a = new RedisBindings(connection(TestRedis.url(), prefix), "node-a", clock);
    RedisBindings b = new RedisBindings(connection(TestRedis.url(), prefix), "node-b", clock);
    // the same flow name on two nodes names two different connections
    a.put(binding(ALICE, "one", "tls:127.0.0.1:1001", NOW.plusSeconds(60)));
    b.put(binding(ALICE, "two", "tls:127.0.0.1:1001", NOW.plusSeconds(60)));
    assertThat(a.of(ALICE, NOW))
        .extracting(Binding::key, Binding::node)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("one", "node-a"),
            org.assertj.core.groups.Tuple.tuple("two", "node-b"));
    assertThat(b.removeFlow("tls:127.0.0.1:1001")).extracting(Binding::key).containsExactly("two");
    assertThat(a.of(ALICE, NOW)).extracting(Binding::key).containsExactly("one");
  }

  @Test
  void a_device_moving_to_another_node_is_not_removed_by_its_old_nodes_flow_close() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    RedisBindings a = new RedisBindings(connection(TestRedis.url(), prefix), "node-a", clock);
    RedisBindings b = new RedisBindings(connection(TestRedis.url(), prefix), "node-b", clock);
    a.put(binding(ALICE, "one", "tls:127.0.0.1:1001", NOW.plusSeconds(60)));
    b.put(binding(ALICE, "one", "tls:127.0.0.1:1001", NOW.plusSeconds(60)));
    assertThat(a.removeFlow("tls:127.0.0.1:1001")).isEmpty();
    assertThat(a.of(ALICE, NOW)).extracting(Binding::node).containsExactly("node-b");
  }

  @Test
  void a_malformed_value_in_redis_is_ignored() {
    bindings().put(binding(ALICE, "one", "tls:127.0.0.1:1001", NOW.plusSeconds(60)));
    try (RedisClient redis = TestRedis.client()) {
      redis.hset(prefix + "aor:" + ALICE, "one", "garbage");
    }
    assertThat(bindings().of(ALICE, NOW)).isEmpty();
  }

  @Test
  void a_line_break_in_a_contact_is_refused_before_redis() {
    Binding bad =
        new Binding(
            ALICE,
            "one",
            "sip:a@b\nnode-x",
            java.util.Optional.empty(),
            "tls:127.0.0.1:1",
            NOW.plusSeconds(60));
    assertThatThrownBy(() -> bindings().put(bad)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void redis_refusing_connections_fails_fast_with_bindings_unavailable() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort(); // closed again: nothing listens there
    }
    RedisConnection down =
        RedisConnection.open(
            RedisSettings.of("redis://127.0.0.1:" + port)
                .withKeyPrefix(prefix)
                .withTimeout(Duration.ofMillis(300)));
    opened.add(down);
    RedisBindings store = new RedisBindings(down, "node-a", Clock.systemUTC());
    assertThatThrownBy(() -> store.of(ALICE, Instant.now()))
        .isInstanceOf(BindingsUnavailableException.class)
        .hasMessageContaining("redis://127.0.0.1:" + port);
  }

  @Test
  void a_redis_that_accepts_and_never_answers_times_out() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> held = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept()); // read nothing, answer nothing
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      RedisConnection hung =
          RedisConnection.open(
              RedisSettings.of("redis://user:s3cret@127.0.0.1:" + silent.getLocalPort())
                  .withKeyPrefix(prefix)
                  .withTimeout(Duration.ofMillis(300)));
      opened.add(hung);
      RedisBindings store = new RedisBindings(hung, "node-a", Clock.systemUTC());
      assertThatThrownBy(
              () ->
                  store.put(
                      binding(ALICE, "one", "tls:127.0.0.1:1", Instant.now().plusSeconds(60))))
          .isInstanceOf(BindingsUnavailableException.class)
          .hasMessageNotContaining("s3cret");
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void settings_refuse_other_schemes_and_redact_the_password() {
    assertThatThrownBy(() -> RedisSettings.of("http://127.0.0.1:6379"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisSettings.of("redis://"))
        .isInstanceOf(IllegalArgumentException.class);
    RedisSettings s = RedisSettings.of("redis://u:topsecret@127.0.0.1:6379/2");
    assertThat(s.toString()).doesNotContain("topsecret").contains("127.0.0.1:6379/2");
    assertThatThrownBy(() -> s.withKeyPrefix("a b")).isInstanceOf(IllegalArgumentException.class);
  }
}
