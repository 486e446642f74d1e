package io.doorpair.portal.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-polls that hold no thread while they wait. A poll subscribes to its topics (and always to
 * {@link Topics#REVOKED}), then looks at the database once; if there is nothing to answer yet, it
 * sleeps until a topic is published, when it looks again on a small worker pool, or until its
 * deadline on a single timer thread, when it answers whatever it finds then. Subscribing before the
 * first look means no publication between the look and the subscription is missed. Looks of one
 * poll never run twice at once for the same wake-ups (they are coalesced).
 *
 * <p>Bounded: at most {@code maxOpen} polls in the process and {@code maxPerKey} per key (the
 * certificate serial of the caller); beyond that {@link TooManyWaitsException}.
 */
public final class LongPolls implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LongPolls.class);
  private static final int WORKERS = 4;
  private static final int MAX_QUEUED_LOOKS = 100_000;

  private final Notifier notifier;
  private final int maxOpen;
  private final int maxPerKey;
  private final ScheduledThreadPoolExecutor timer;
  private final ThreadPoolExecutor workers;
  private final Set<Wait<?>> open = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<Object, AtomicInteger> perKey = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private volatile boolean closed;

  /**
   * @param notifier where the topics come from
   * @param maxOpen most polls open at once in this process
   * @param maxPerKey most polls open at once for one key
   */
  public LongPolls(Notifier notifier, int maxOpen, int maxPerKey) {
    this.notifier = Objects.requireNonNull(notifier, "notifier");
    if (maxOpen < 1 || maxPerKey < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.maxOpen = maxOpen;
    this.maxPerKey = maxPerKey;
    this.timer = new ScheduledThreadPoolExecutor(1, named("longpoll-timer"));
    this.timer.setRemoveOnCancelPolicy(true);
    this.workers =
        new ThreadPoolExecutor(
            WORKERS,
            WORKERS,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(MAX_QUEUED_LOOKS),
            named("longpoll-worker"));
  }

  /**
   * Starts a poll. The future completes with the first ready {@link Poll} value, or with the last
   * look's value at the deadline, or exceptionally with whatever a look threw (an API error such as
   * a revoked certificate). The first look runs on the calling thread.
   *
   * @param key who waits, for the per-caller limit
   * @param topics what may change the answer
   * @param wait the longest wait
   * @param look reads the database; cheap, thread-safe, may throw
   * @throws TooManyWaitsException if a limit is reached
   */
  public <T> CompletableFuture<T> await(
      Object key, Collection<String> topics, Duration wait, Supplier<Poll<T>> look) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(look, "look");
    if (closed) {
      throw new TooManyWaitsException("the portal is stopping");
    }
    reserve(key);
    Wait<T> poll = new Wait<>(key, look);
    open.add(poll);
    poll.future.whenComplete((value, failure) -> poll.release());
    Set<String> all = new LinkedHashSet<>(topics);
    all.add(Topics.REVOKED);
    for (String topic : all) {
      poll.keep(notifier.subscribe(topic, poll::wake));
    }
    try {
      poll.keep(timer.schedule(poll::expire, wait.toMillis(), TimeUnit.MILLISECONDS));
    } catch (RejectedExecutionException e) {
      poll.future.completeExceptionally(new TooManyWaitsException("the portal is stopping"));
      return poll.future;
    }
    poll.look(false);
    return poll.future;
  }

  /** Polls open now. */
  public int openCount() {
    return total.get();
  }

  /**
   * Answers every open poll with what the database holds now, then stops the threads. Call it
   * before the HTTP server stops, so that no waiting client is cut off without an answer.
   */
  @Override
  public void close() {
    closed = true;
    for (Wait<?> poll : List.copyOf(open)) {
      poll.look(true);
    }
    timer.shutdownNow();
    workers.shutdownNow();
  }

  private void reserve(Object key) {
    if (total.incrementAndGet() > maxOpen) {
      total.decrementAndGet();
      throw new TooManyWaitsException("too many long-polls are open on this portal; retry later");
    }
    AtomicInteger count = perKey.computeIfAbsent(key, k -> new AtomicInteger());
    if (count.incrementAndGet() > maxPerKey) {
      unreserve(key);
      throw new TooManyWaitsException(
          "at most " + maxPerKey + " long-polls may be open at once per certificate");
    }
  }

  private void unreserve(Object key) {
    total.decrementAndGet();
    perKey.computeIfPresent(key, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
  }

  /** One open poll. */
  private final class Wait<T> {
    final Object key;
    final Supplier<Poll<T>> look;
    final CompletableFuture<T> future = new CompletableFuture<>();
    final AtomicInteger wakes = new AtomicInteger();
    private final List<Notifier.Subscription> subscriptions = new ArrayList<>();
    private ScheduledFuture<?> deadline;
    private boolean released;

    Wait(Object key, Supplier<Poll<T>> look) {
      this.key = key;
      this.look = look;
    }

    void wake() {
      if (future.isDone()) {
        return;
      }
      if (wakes.getAndIncrement() == 0) {
        submit(this::drain);
      }
    }

    void expire() {
      submit(() -> look(true));
    }

    private void drain() {
      int seen = wakes.get();
      while (!future.isDone()) {
        look(false);
        seen = wakes.addAndGet(-seen);
        if (seen == 0) {
          return;
        }
      }
      wakes.set(0);
    }

    void look(boolean last) {
      if (future.isDone()) {
        return;
      }
      try {
        Poll<T> poll = look.get();
        if (poll.ready() || last) {
          future.complete(poll.value());
        }
      } catch (RuntimeException | Error e) {
        future.completeExceptionally(e);
      }
    }

    private void submit(Runnable task) {
      try {
        workers.execute(task);
      } catch (RejectedExecutionException e) {
        LOG.warn("long-poll look refused: the worker queue is full or stopped");
        future.completeExceptionally(new TooManyWaitsException("the portal is overloaded"));
      }
    }

    synchronized void keep(Notifier.Subscription subscription) {
      if (released) {
        subscription.close();
      } else {
        subscriptions.add(subscription);
      }
    }

    synchronized void keep(ScheduledFuture<?> scheduled) {
      if (released) {
        scheduled.cancel(false);
      } else {
        deadline = scheduled;
      }
    }

    synchronized void release() {
      if (released) {
        return;
      }
      released = true;
      subscriptions.forEach(Notifier.Subscription::close);
      subscriptions.clear();
      if (deadline != null) {
        deadline.cancel(false);
      }
      open.remove(this);
      unreserve(key);
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
