package io.doorpair.sipedge.redis;

import java.util.Objects;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * A pool of connections to one Redis, with the {@link RedisSettings#timeout()} on connecting,
 * reading and waiting for a free connection, so that a Redis outage never blocks a caller longer.
 * {@link #close()} closes the pool.
 */
public final class RedisConnection implements AutoCloseable {
  /** Most connections in the pool: the SIP listener threads, the heartbeat and a margin. */
  static final int MAX_CONNECTIONS = 24;

  private final RedisSettings settings;
  private final RedisClient client;

  private RedisConnection(RedisSettings settings, RedisClient client) {
    this.settings = settings;
    this.client = client;
  }

  /**
   * Opens the pool (connections are made on first use: a Redis down at start is not an error here,
   * see {@link #ping()}).
   */
  public static RedisConnection open(RedisSettings settings) {
    Objects.requireNonNull(settings, "settings");
    int millis = (int) settings.timeout().toMillis();
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(millis)
            .socketTimeoutMillis(millis)
            .clientName("doorpair-sip");
    if (JedisURIHelper.isRedisSSLScheme(settings.url())) {
      config.sslOptions(SslOptions.defaults()); // the JDK's trust store, host name verified
    }
    String user = JedisURIHelper.getUser(settings.url());
    String password = JedisURIHelper.getPassword(settings.url());
    if (password != null) {
      if (user != null) {
        config.user(user);
      }
      config.password(password);
    }
    if (JedisURIHelper.hasDbIndex(settings.url())) {
      config.database(JedisURIHelper.getDBIndex(settings.url()));
    }
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(MAX_CONNECTIONS);
    pool.setMaxIdle(MAX_CONNECTIONS);
    pool.setBlockWhenExhausted(true);
    pool.setMaxWait(settings.timeout());
    pool.setTestOnBorrow(false);
    pool.setJmxEnabled(false);
    RedisClient client =
        RedisClient.builder()
            .hostAndPort(JedisURIHelper.getHostAndPort(settings.url()))
            .clientConfig(config.build())
            .poolConfig(pool)
            .build();
    return new RedisConnection(settings, client);
  }

  /** The settings this pool was opened with. */
  public RedisSettings settings() {
    return settings;
  }

  /** The client, for this package's stores. */
  RedisClient client() {
    return client;
  }

  /** The host and port, for messages. */
  HostAndPort address() {
    return JedisURIHelper.getHostAndPort(settings.url());
  }

  /**
   * Checks that Redis answers.
   *
   * @throws IllegalStateException naming the (redacted) URL when it does not
   */
  public void ping() {
    try {
      client.ping();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "--redis " + settings.redactedUrl() + ": Redis does not answer (" + e.getMessage() + ")",
          e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
