package io.doorpair.portal.notify;

/**
 * Publishes and delivers topics (see {@link Topics}). A topic carries no data: it only tells a
 * subscriber to read the database again, so a lost or duplicated notification costs at most a delay
 * or a needless read, never an item. Implementations are thread-safe.
 */
public interface Notifier extends AutoCloseable {

  /**
   * Publishes a topic. Call it after the transaction it announces committed; it never blocks on the
   * network and never throws for a delivery failure.
   */
  void publish(String topic);

  /**
   * Calls {@code listener} each time the topic is published, until the subscription is closed. The
   * listener runs on the publisher's or the notifier's thread: it must return at once (hand work to
   * an executor).
   */
  Subscription subscribe(String topic, Runnable listener);

  /** Stops delivering; idempotent. */
  @Override
  void close();

  /** A subscription; closing it stops its deliveries. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
