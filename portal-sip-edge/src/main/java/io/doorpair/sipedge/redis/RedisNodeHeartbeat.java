package io.doorpair.sipedge.redis;

import io.doorpair.sipedge.registrar.BindingsUnavailableException;
import io.doorpair.sipedge.registrar.NodeDirectory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.ZRangeParams;

/**
 * This node's heartbeat in Redis and the liveness of the other nodes (DESIGN §10). The key {@code
 * PREFIXnode:NAME} holds the node's SIP address ({@code host:port}, for routing between nodes) with
 * a lifetime of {@link #DEFAULT_TTL}, rewritten every {@link #DEFAULT_PERIOD}: when a node dies,
 * Redis drops its key within the lifetime, and the other nodes treat its bindings as unreachable
 * ({@link #alive}). {@link #close()} deletes the key at once (a node that stops cleanly is gone for
 * the others immediately).
 *
 * <p>For routing between nodes, a node started with its certificate's fingerprint also keeps {@code
 * PREFIXnodecert:SHA256} = its name with the same lifetime (so a receiving node can tell that a
 * peer's node certificate belongs to a running node, {@link #liveCertificate}), and adds its name
 * to the sorted set {@code PREFIXnodes} (score: the time of its last beat), from which {@link
 * #liveNodes} lists the candidates; a member counts only while its own key is there.
 */
public final class RedisNodeHeartbeat implements NodeDirectory, AutoCloseable {
  /** How long a heartbeat stays without being refreshed. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);

  /** How often a running node refreshes its heartbeat. */
  public static final Duration DEFAULT_PERIOD = Duration.ofMillis(1500);

  /** How long an answer about another node is reused (bounds Redis reads per call). */
  static final long CACHE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private static final Logger LOG = LoggerFactory.getLogger(RedisNodeHeartbeat.class);

  private final RedisConnection redis;
  private final String node;
  private final Duration ttl;
  private final Duration period;
  private final long graceNanos;
  private final ConcurrentHashMap<String, Seen> seen = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> missingSince = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Seen> certificates = new ConcurrentHashMap<>();
  private ScheduledExecutorService beating;
  private volatile Optional<String> fingerprint = Optional.empty();
  private volatile boolean failing;

  private record Seen(boolean alive, long atNanos) {}

  /**
   * A heartbeat for {@code node}, not yet beating ({@link #start}).
   *
   * @param redis the pool (its settings give the key prefix)
   * @param node this node's name, as its bindings record it
   * @param ttl the key's lifetime
   * @param period how often the key is rewritten, well under {@code ttl}
   */
  public RedisNodeHeartbeat(RedisConnection redis, String node, Duration ttl, Duration period) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.node = Objects.requireNonNull(node, "node");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.period = Objects.requireNonNull(period, "period");
    if (period.isNegative() || period.isZero() || period.compareTo(ttl) >= 0) {
      throw new IllegalArgumentException("the heartbeat period must be above 0 and under its ttl");
    }
    this.graceNanos = period.toNanos() * 2;
  }

  /** A heartbeat with {@link #DEFAULT_TTL} and {@link #DEFAULT_PERIOD}. */
  public RedisNodeHeartbeat(RedisConnection redis, String node) {
    this(redis, node, DEFAULT_TTL, DEFAULT_PERIOD);
  }

  /**
   * Writes the heartbeat with this node's SIP address, then keeps rewriting it on a thread of its
   * own until {@link #close()}.
   *
   * @throws IllegalStateException when Redis refuses the first write
   */
  public synchronized void start(InetSocketAddress sipAddress) {
    start(sipAddress, Optional.empty());
  }

  /**
   * {@link #start(InetSocketAddress)}, also announcing the node certificate with {@code
   * fingerprint} (lowercase hex SHA-256 of its DER) for node-to-node admission.
   */
  public synchronized void start(InetSocketAddress sipAddress, Optional<String> fingerprint) {
    Objects.requireNonNull(sipAddress, "sipAddress");
    this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
    if (beating != null) {
      throw new IllegalStateException("the heartbeat is already running");
    }
    String value = sipAddress.getHostString() + ":" + sipAddress.getPort();
    try {
      beat(value);
    } catch (JedisException e) {
      throw new IllegalStateException(
          "--redis "
              + redis.settings().redactedUrl()
              + ": heartbeat not written: "
              + e.getMessage(),
          e);
    }
    beating =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sip-node-heartbeat");
              t.setDaemon(true);
              return t;
            });
    beating.scheduleAtFixedRate(
        () -> refresh(value), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void refresh(String value) {
    try {
      beat(value);
      if (failing) {
        failing = false;
        LOG.info("heartbeat of node {} written again", node);
      }
    } catch (RuntimeException e) {
      if (!failing) {
        failing = true; // one line per outage, not one per period
        LOG.warn("heartbeat of node {} not written: {}", node, e.getMessage());
      }
    }
  }

  private void beat(String value) {
    redis.client().set(key(node), value, SetParams.setParams().px(ttl.toMillis()));
    Optional<String> certificate = fingerprint;
    if (certificate.isPresent()) {
      redis
          .client()
          .set(certificateKey(certificate.get()), node, SetParams.setParams().px(ttl.toMillis()));
      long now = System.currentTimeMillis();
      redis.client().zadd(nodesKey(), now, node);
      // members that stopped long ago; a live node's own key decides, the score only bounds the set
      redis.client().zremrangeByScore(nodesKey(), 0, now - FORGET_MILLIS);
    }
  }

  /** Candidates in {@code PREFIXnodes} older than this are dropped from the set. */
  private static final long FORGET_MILLIS = TimeUnit.MINUTES.toMillis(10);

  @Override
  public Map<String, String> liveNodes() {
    try {
      List<String> names =
          List.copyOf(
              redis
                  .client()
                  .zrange(
                      nodesKey(),
                      ZRangeParams.zrangeByScoreParams(
                          System.currentTimeMillis() - FORGET_MILLIS, Double.MAX_VALUE)));
      Map<String, String> live = new LinkedHashMap<>();
      if (names.isEmpty()) {
        return live;
      }
      List<String> addresses =
          redis.client().mget(names.stream().map(this::key).toArray(String[]::new));
      for (int i = 0; i < names.size(); i++) {
        if (!names.get(i).equals(node) && addresses.get(i) != null) {
          live.put(names.get(i), addresses.get(i));
        }
      }
      return live;
    } catch (JedisException e) {
      throw new BindingsUnavailableException(
          "Redis " + redis.settings().redactedUrl() + " failed on live nodes: " + e.getMessage(),
          e);
    }
  }

  @Override
  public boolean liveCertificate(String fingerprint) {
    Objects.requireNonNull(fingerprint, "fingerprint");
    if (!fingerprint.matches("[0-9a-f]{64}")) {
      return false;
    }
    long now = System.nanoTime();
    Seen last = certificates.get(fingerprint);
    if (last != null && now - last.atNanos() < CACHE_NANOS) {
      return last.alive();
    }
    boolean alive;
    try {
      alive = redis.client().exists(certificateKey(fingerprint));
    } catch (JedisException e) {
      throw new BindingsUnavailableException(
          "Redis "
              + redis.settings().redactedUrl()
              + " failed on node certificate: "
              + e.getMessage(),
          e);
    }
    certificates.put(fingerprint, new Seen(alive, now));
    return alive;
  }

  private String certificateKey(String fingerprint) {
    return redis.settings().keyPrefix() + "nodecert:" + fingerprint;
  }

  private String nodesKey() {
    return redis.settings().keyPrefix() + "nodes";
  }

  /**
   * Whether {@code node} may still be running: false once its heartbeat has been seen missing for
   * two periods (a first sight of a missing key answers true); this node is always running. What
   * Redis said about another node is reused for half a second.
   *
   * @throws BindingsUnavailableException when Redis fails or does not answer
   */
  @Override
  public boolean alive(String node) {
    Objects.requireNonNull(node, "node");
    if (node.equals(this.node)) {
      return true;
    }
    long now = System.nanoTime();
    if (heartbeatIn(node, now)) {
      missingSince.remove(node);
      return true;
    }
    long since = missingSince.computeIfAbsent(node, n -> now);
    return now - since < graceNanos;
  }

  private boolean heartbeatIn(String node, long now) {
    Seen last = seen.get(node);
    if (last != null && now - last.atNanos() < CACHE_NANOS) {
      return last.alive();
    }
    boolean alive;
    try {
      alive = redis.client().exists(key(node));
    } catch (JedisException e) {
      throw new BindingsUnavailableException(
          "Redis "
              + redis.settings().redactedUrl()
              + " failed on node heartbeat: "
              + e.getMessage(),
          e);
    }
    seen.put(node, new Seen(alive, now));
    return alive;
  }

  /**
   * The SIP address {@code node} announced in its heartbeat, empty when it has none.
   *
   * @throws BindingsUnavailableException when Redis fails or does not answer
   */
  public Optional<String> address(String node) {
    try {
      return Optional.ofNullable(redis.client().get(key(Objects.requireNonNull(node, "node"))));
    } catch (JedisException e) {
      throw new BindingsUnavailableException(
          "Redis " + redis.settings().redactedUrl() + " failed on node address: " + e.getMessage(),
          e);
    }
  }

  private String key(String name) {
    return redis.settings().keyPrefix() + "node:" + name;
  }

  /** Stops beating and deletes the heartbeat (the other nodes see this one gone at once). */
  @Override
  public synchronized void close() {
    if (beating == null) {
      return;
    }
    beating.shutdownNow();
    try {
      beating.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    beating = null;
    try {
      redis.client().del(key(node));
      Optional<String> certificate = fingerprint;
      if (certificate.isPresent()) {
        redis.client().del(certificateKey(certificate.get()));
        redis.client().zrem(nodesKey(), node);
      }
    } catch (RuntimeException e) {
      LOG.warn("heartbeat of node {} not deleted (it lapses by itself): {}", node, e.getMessage());
    }
  }
}
