package io.doorpair.sipedge.redis;

import io.doorpair.sipedge.logging.LimitedLog;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One Redis pub/sub channel, {@code PREFIX + name}: {@link #publish} hands a message to a sender
 * thread (never blocks, never throws for a delivery failure), and a reader thread delivers every
 * message of the channel to {@code onMessage}. When the subscription is lost it subscribes again
 * every second and then calls {@code onResubscribed}, since messages sent meanwhile were lost. Used
 * by the portal's notifier (portal-api) across API processes; messages are hints, never trusted
 * data.
 */
public final class RedisTopics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisTopics.class);
  private static final LimitedLog WARNINGS = new LimitedLog(LOG, 10);
  private static final int MAX_QUEUED = 10_000;

  private final RedisConnection redis;
  private final String channel;
  private final Consumer<String> onMessage;
  private final Runnable onResubscribed;
  private final ThreadPoolExecutor sender;
  private final CountDownLatch subscribed = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread reader;
  private volatile boolean closed;
  private volatile JedisPubSub current;

  /**
   * Subscribes at once (on the reader thread; {@link #awaitSubscribed} waits for it).
   *
   * @param redis the pool (its key prefix starts the channel name)
   * @param name the channel name after the prefix
   * @param onMessage gets each message, on the reader thread: it must return at once
   * @param onResubscribed called after a lost subscription is back
   */
  public RedisTopics(
      RedisConnection redis, String name, Consumer<String> onMessage, Runnable onResubscribed) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.channel = redis.settings().keyPrefix() + Objects.requireNonNull(name, "name");
    this.onMessage = Objects.requireNonNull(onMessage, "onMessage");
    this.onResubscribed = Objects.requireNonNull(onResubscribed, "onResubscribed");
    this.sender =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(MAX_QUEUED),
            r -> daemon(r, "redis-topics-send"));
    this.reader = daemon(this::readLoop, "redis-topics-read");
    reader.start();
  }

  /** Waits until the first subscription is in place. */
  public boolean awaitSubscribed(long timeout, TimeUnit unit) throws InterruptedException {
    return subscribed.await(timeout, unit);
  }

  /** Sends {@code message} on the channel from the sender thread; a failure is only logged. */
  public void publish(String message) {
    Objects.requireNonNull(message, "message");
    if (closed) {
      return;
    }
    try {
      sender.execute(
          () -> {
            try {
              redis.client().publish(channel, message);
            } catch (JedisException e) {
              WARNINGS.warn("Redis publish on {} failed: {}", channel, e.getMessage());
            }
          });
    } catch (RejectedExecutionException e) {
      WARNINGS.warn("Redis publish on {} dropped: the send queue is full", channel);
    }
  }

  private void readLoop() {
    boolean first = true;
    try {
      while (!closed) {
        boolean again = !first;
        JedisPubSub listener =
            new JedisPubSub() {
              @Override
              public void onSubscribe(String name, int count) {
                subscribed.countDown();
                if (again) {
                  LOG.info("Redis channel {}: subscribed again", channel);
                  onResubscribed.run();
                }
              }

              @Override
              public void onMessage(String name, String message) {
                try {
                  onMessage.accept(message);
                } catch (RuntimeException e) {
                  WARNINGS.warn("message on {} not handled: {}", channel, e.toString());
                }
              }
            };
        current = listener;
        first = false;
        try {
          redis.client().subscribe(listener, channel);
        } catch (JedisException e) {
          if (!closed) {
            WARNINGS.warn("Redis channel {} lost ({}): retrying", channel, e.getMessage());
            if (stopped.await(RedisCrlChannel.RETRY_MILLIS, TimeUnit.MILLISECONDS)) {
              return;
            }
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
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
    sender.shutdown();
    try {
      if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
        sender.shutdownNow();
      }
      reader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
