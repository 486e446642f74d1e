package io.doorpair.sipedge.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.sipedge.testing.TestRedis;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Node heartbeats on a real Redis: written with the SIP address, seen by others, lapsing. */
class RedisNodeHeartbeatTest {
  private final List<AutoCloseable> opened = new ArrayList<>();
  private String prefix;

  @AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    if (prefix != null) {
      TestRedis.deleteKeys(prefix);
    }
  }

  private RedisConnection connection() {
    RedisConnection c =
        RedisConnection.open(RedisSettings.of(TestRedis.require()).withKeyPrefix(prefix));
    opened.add(c);
    return c;
  }

  private RedisNodeHeartbeat heartbeat(RedisConnection redis, String node, long ttlMillis) {
    RedisNodeHeartbeat h =
        new RedisNodeHeartbeat(
            redis, node, Duration.ofMillis(ttlMillis), Duration.ofMillis(ttlMillis / 4));
    opened.add(h);
    return h;
  }

  @Test
  void a_running_node_is_seen_with_its_address_and_a_closed_one_is_gone_at_once() throws Exception {
    prefix = TestRedis.uniquePrefix();
    RedisNodeHeartbeat a = heartbeat(connection(), "node-a", 5000);
    RedisNodeHeartbeat b = heartbeat(connection(), "node-b", 5000);
    a.start(new InetSocketAddress("127.0.0.1", 5071));
    b.start(new InetSocketAddress("127.0.0.1", 5072));
    assertThat(b.alive("node-a")).isTrue();
    assertThat(b.address("node-a")).contains("127.0.0.1:5071");
    assertThat(b.alive("ghost")).as("first sight of a missing heartbeat").isTrue();
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (b.alive("ghost") && System.nanoTime() < guard) {
      Thread.sleep(50); // polling for the grace of two periods, not a timed assertion
    }
    assertThat(b.alive("ghost")).as("missing for two periods").isFalse();
    assertThat(a.alive("node-a")).as("itself").isTrue();

    a.close();
    assertThat(TestRedis.keys(prefix)).doesNotContain(prefix + "node:node-a");
    assertThat(b.address("node-a")).isEmpty();
  }

  @Test
  void the_heartbeat_of_a_node_that_stops_writing_lapses_within_its_lifetime() throws Exception {
    prefix = TestRedis.uniquePrefix();
    RedisConnection dying = connection();
    RedisNodeHeartbeat a = heartbeat(dying, "node-a", 3000);
    RedisNodeHeartbeat b = heartbeat(connection(), "node-b", 3000);
    a.start(new InetSocketAddress("127.0.0.1", 5071));
    b.start(new InetSocketAddress("127.0.0.1", 5072));
    // refreshed every 750 ms: still there past its 3 s lifetime (2.25 s of slack for the writer)
    Thread.sleep(4000);
    assertThat(b.address("node-a")).as("refreshed heartbeat").isPresent();
    dying.close(); // the node can no longer write: as if it had died
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (b.alive("node-a") && System.nanoTime() < guard) {
      Thread.sleep(50); // polling for Redis to drop the key, not a timed assertion
    }
    assertThat(b.alive("node-a")).as("lapsed heartbeat").isFalse();
    assertThat(b.alive("node-b")).isTrue();
  }

  @Test
  void a_node_started_with_its_certificate_is_listed_and_its_certificate_known_until_it_stops()
      throws Exception {
    prefix = TestRedis.uniquePrefix();
    String fingerprint = "ab".repeat(32);
    RedisNodeHeartbeat a = heartbeat(connection(), "node-a", 5000);
    RedisNodeHeartbeat b = heartbeat(connection(), "node-b", 5000);
    a.start(new InetSocketAddress("127.0.0.1", 5071), java.util.Optional.of(fingerprint));
    b.start(new InetSocketAddress("127.0.0.1", 5072), java.util.Optional.of("cd".repeat(32)));
    assertThat(b.liveNodes()).containsExactly(java.util.Map.entry("node-a", "127.0.0.1:5071"));
    assertThat(a.liveNodes()).containsOnlyKeys("node-b");
    assertThat(b.liveCertificate(fingerprint)).isTrue();
    assertThat(b.liveCertificate("ef".repeat(32))).as("announced by nobody").isFalse();
    assertThat(b.liveCertificate("not hex")).isFalse();
    a.close();
    assertThat(b.liveNodes()).isEmpty();
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (b.liveCertificate(fingerprint) && System.nanoTime() < guard) {
      Thread.sleep(50); // polling past the half-second cache, not a timed assertion
    }
    assertThat(b.liveCertificate(fingerprint)).as("after a stopped").isFalse();
  }
}
