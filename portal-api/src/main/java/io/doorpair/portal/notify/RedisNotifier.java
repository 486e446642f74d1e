package io.doorpair.portal.notify;

import io.doorpair.sipedge.redis.RedisConnection;
import io.doorpair.sipedge.redis.RedisSettings;
import io.doorpair.sipedge.redis.RedisTopics;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topics across every portal process on one Redis ({@code portal serve --redis}), on the channel
 * {@code PREFIX}{@value #CHANNEL}: the same Redis that carries the CRL to the SIP nodes, so one
 * mechanism serves both (DESIGN §10). As {@link PostgresNotifier}: local delivery first, the
 * payload {@code "<process nonce> <topic>"} so a process skips its own, and every local subscriber
 * woken once after a lost subscription is back (notifications sent meanwhile were lost).
 */
public final class RedisNotifier implements Notifier {
  /** The channel name after the key prefix. */
  public static final String CHANNEL = "portal-notify";

  private static final Logger LOG = LoggerFactory.getLogger(RedisNotifier.class);

  private final LocalNotifier local = new LocalNotifier();
  private final String nonce;
  private final RedisConnection redis;
  private final RedisTopics topics;

  private RedisNotifier(RedisConnection redis, String nonce) {
    this.redis = redis;
    this.nonce = nonce;
    this.topics = new RedisTopics(redis, CHANNEL, this::received, local::wakeAll);
  }

  /**
   * Connects and subscribes; returns once this process receives notifications.
   *
   * @throws IllegalStateException when Redis does not answer (the portal then does not start)
   */
  public static RedisNotifier start(RedisSettings settings, SecureRandom random) {
    Objects.requireNonNull(settings, "settings");
    byte[] bytes = new byte[8];
    random.nextBytes(bytes);
    RedisConnection redis = RedisConnection.open(settings);
    try {
      redis.ping();
      RedisNotifier notifier = new RedisNotifier(redis, HexFormat.of().formatHex(bytes));
      if (!notifier.topics.awaitSubscribed(30, TimeUnit.SECONDS)) {
        notifier.close();
        throw new IllegalStateException(
            "--redis " + settings.redactedUrl() + ": no subscription within 30 s");
      }
      LOG.info(
          "notifications between portal processes through Redis {} channel {}{}",
          settings.redactedUrl(),
          settings.keyPrefix(),
          CHANNEL);
      return notifier;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      redis.close();
      throw new IllegalStateException("interrupted while subscribing", e);
    } catch (RuntimeException e) {
      redis.close();
      throw e;
    }
  }

  @Override
  public void publish(String topic) {
    Objects.requireNonNull(topic, "topic");
    local.publish(topic);
    if (topic.length() <= Topics.MAX_LENGTH) {
      topics.publish(nonce + " " + topic);
    }
  }

  private void received(String message) {
    int space = message.indexOf(' ');
    if (space <= 0 || message.length() - space - 1 > Topics.MAX_LENGTH) {
      return; // not ours: ignored
    }
    if (!message.substring(0, space).equals(nonce)) {
      local.publish(message.substring(space + 1));
    }
  }

  @Override
  public Subscription subscribe(String topic, Runnable listener) {
    return local.subscribe(topic, listener);
  }

  @Override
  public void close() {
    topics.close();
    redis.close();
    local.close();
  }
}
