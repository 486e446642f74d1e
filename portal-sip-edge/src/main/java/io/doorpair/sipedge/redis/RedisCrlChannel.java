package io.doorpair.sipedge.redis;

import io.doorpair.sipedge.logging.LimitedLog;
import java.io.ByteArrayInputStream;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The portal CA's CRL, shared through Redis so that a revocation reaches every SIP node at once
 * (DESIGN §10). The portal {@linkplain #publish publishes} each CRL it signs: the newest is kept
 * under {@code PREFIXcrl} and announced on the channel {@code PREFIXcrl}. A node {@linkplain
 * #follow follows} it: it reads the key each time its subscription starts (so a node that was
 * disconnected while a CRL was announced catches up) and then takes each announcement. What comes
 * from Redis is not trusted: the consumer (the edge's {@code updateCrl}) checks the CA's signature
 * and refuses a CRL older than its current one.
 */
public final class RedisCrlChannel {
  private static final Logger LOG = LoggerFactory.getLogger(RedisCrlChannel.class);
  private static final LimitedLog WARNINGS = new LimitedLog(LOG, 10);

  /** Largest CRL accepted from Redis, in characters of its value. */
  static final int MAX_CHARS = 8 * 1024 * 1024;

  /** Wait before subscribing again after Redis went away. */
  static final long RETRY_MILLIS = 1000;

  /** KEYS: key. ARGV: thisUpdate ms, value, channel. Keeps and announces only a newer CRL. */
  private static final LuaScript PUBLISH =
      new LuaScript(
          "local old = redis.call('GET', KEYS[1])\n"
              + "if old then\n"
              + "  local t = tonumber(string.match(old, '^(%d+)\\n'))\n"
              + "  if t and t > tonumber(ARGV[1]) then return 0 end\n"
              + "end\n"
              + "redis.call('SET', KEYS[1], ARGV[2])\n"
              + "redis.call('PUBLISH', ARGV[3], ARGV[2])\n"
              + "return 1\n");

  private final RedisConnection redis;
  private final String key;

  /** The CRL channel of {@code redis}'s key prefix. */
  public RedisCrlChannel(RedisConnection redis) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.key = redis.settings().keyPrefix() + "crl";
  }

  /**
   * Keeps {@code crl} as the newest and announces it, unless Redis holds a newer one.
   *
   * @return whether it was announced
   * @throws IllegalStateException when Redis fails (the caller logs it; the nodes' CRL file is
   *     still written)
   */
  public boolean publish(X509CRL crl) {
    Objects.requireNonNull(crl, "crl");
    String value;
    try {
      value =
          crl.getThisUpdate().getTime()
              + "\n"
              + Base64.getEncoder().encodeToString(crl.getEncoded());
    } catch (CRLException e) {
      throw new IllegalArgumentException("the CRL cannot be encoded", e);
    }
    try {
      Object done =
          PUBLISH.run(
              redis.client(),
              List.of(key),
              List.of(Long.toString(crl.getThisUpdate().getTime()), value, key));
      return Long.valueOf(1).equals(done);
    } catch (JedisException e) {
      throw new IllegalStateException(
          "Redis " + redis.settings().redactedUrl() + ": CRL not published: " + e.getMessage(), e);
    }
  }

  /**
   * Follows the CRL on a thread of its own until the returned handle is closed: {@code consumer}
   * gets the kept CRL at each (re)subscription, then each announced one. Redis going away is logged
   * and retried every second.
   */
  public Following follow(Consumer<X509CRL> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    Following following = new Following(consumer);
    Thread thread = new Thread(following::run, "redis-crl-follower");
    thread.setDaemon(true);
    thread.start();
    return following;
  }

  /** Parses a value of the key or channel; empty (and a log line) when it is not a CRL. */
  static Optional<X509CRL> parse(String value) {
    if (value == null || value.length() > MAX_CHARS) {
      return Optional.empty();
    }
    int newline = value.indexOf('\n');
    if (newline < 0) {
      return Optional.empty();
    }
    try {
      byte[] der = Base64.getDecoder().decode(value.substring(newline + 1));
      return Optional.of(
          (X509CRL)
              CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der)));
    } catch (IllegalArgumentException
        | CertificateException
        | CRLException
        | ClassCastException e) {
      return Optional.empty();
    }
  }

  /** A running follower; {@link #close()} stops it. */
  public final class Following implements AutoCloseable {
    private final Consumer<X509CRL> consumer;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;
    private volatile JedisPubSub current;
    private final CountDownLatch subscribed = new CountDownLatch(1);

    private Following(Consumer<X509CRL> consumer) {
      this.consumer = consumer;
    }

    /** Waits until the first subscription is in place (for tests and start-up ordering). */
    public boolean awaitSubscribed(long timeout, TimeUnit unit) throws InterruptedException {
      return subscribed.await(timeout, unit);
    }

    private void run() {
      try {
        while (!closing) {
          JedisPubSub listener =
              new JedisPubSub() {
                @Override
                public void onSubscribe(String channel, int count) {
                  try {
                    deliver(redis.client().get(key));
                  } catch (JedisException e) {
                    WARNINGS.warn("kept CRL not read from Redis: {}", e.getMessage());
                  }
                  subscribed.countDown();
                }

                @Override
                public void onMessage(String channel, String message) {
                  deliver(message);
                }
              };
          current = listener;
          try {
            redis.client().subscribe(listener, key);
          } catch (JedisException e) {
            if (!closing) {
              WARNINGS.warn(
                  "CRL subscription on Redis {} lost ({}): retrying",
                  redis.settings().redactedUrl(),
                  e.getMessage());
              if (stopped.await(RETRY_MILLIS, TimeUnit.MILLISECONDS)) {
                return;
              }
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void deliver(String value) {
      if (value == null) {
        return;
      }
      Optional<X509CRL> crl = parse(value);
      if (crl.isEmpty()) {
        WARNINGS.warn("a value on the Redis CRL channel is not a CRL: ignored");
        return;
      }
      try {
        consumer.accept(crl.get());
      } catch (IllegalArgumentException e) {
        // not signed by the CA, or older than the current CRL: the current one stays
        WARNINGS.info("CRL from Redis not taken: {}", e.getMessage());
      } catch (RuntimeException e) {
        WARNINGS.warn("CRL from Redis not applied: {}", e.toString());
      }
    }

    @Override
    public void close() {
      closing = true;
      stopped.countDown();
      JedisPubSub listener = current;
      if (listener != null) {
        try {
          if (listener.isSubscribed()) {
            listener.unsubscribe();
          }
        } catch (RuntimeException e) {
          LOG.debug("unsubscribe: {}", e.toString());
        }
      }
    }
  }
}
