package io.doorpair.portal.notify;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers topics inside this process only: what a portal on SQLite needs. */
public final class LocalNotifier implements Notifier {
  private static final Logger LOG = LoggerFactory.getLogger(LocalNotifier.class);

  private final ConcurrentHashMap<String, Set<Runnable>> listeners = new ConcurrentHashMap<>();
  private volatile boolean closed;

  @Override
  public void publish(String topic) {
    Objects.requireNonNull(topic, "topic");
    if (closed) {
      return;
    }
    Set<Runnable> subscribed = listeners.get(topic);
    if (subscribed != null) {
      subscribed.forEach(LocalNotifier::run);
    }
  }

  /**
   * Calls every listener of every topic once: after a cross-process link was down, when some
   * notifications may have been lost.
   */
  public void wakeAll() {
    if (closed) {
      return;
    }
    listeners.values().forEach(set -> set.forEach(LocalNotifier::run));
  }

  @Override
  public Subscription subscribe(String topic, Runnable listener) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(listener, "listener");
    // A listener object per subscription, so that subscribing one Runnable twice works.
    Runnable own = listener::run;
    listeners.compute(
        topic,
        (t, set) -> {
          Set<Runnable> updated = set == null ? new CopyOnWriteArraySet<>() : set;
          updated.add(own);
          return updated;
        });
    return () ->
        listeners.computeIfPresent(
            topic,
            (t, set) -> {
              set.remove(own);
              return set.isEmpty() ? null : set;
            });
  }

  /** How many subscriptions are open (for tests and metrics). */
  public int subscriptions() {
    return listeners.values().stream().mapToInt(Set::size).sum();
  }

  @Override
  public void close() {
    closed = true;
    listeners.clear();
  }

  private static void run(Runnable listener) {
    try {
      listener.run();
    } catch (RuntimeException e) {
      LOG.error("a topic listener failed", e);
    }
  }
}
