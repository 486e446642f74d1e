package io.doorpair.sipedge.stack;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that parse and handle the messages of one TLS processor's connections, owned by that
 * processor and stopped with it.
 *
 * <p>Not the stack's listener pool: that one is a static of the stack class, shared by every stack
 * in the JVM, shut down and made anew whenever any of them stops, so a connection's queued messages
 * and its next ones could run on two pools at once. Its queue holds at most one drain task per
 * connection ({@link ConnectionDispatch}), so it is bounded by the connection cap.
 */
final class MessagePool implements AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();
  private final ExecutorService threads;

  /**
   * @param size the number of threads (the stack's {@code THREAD_POOL_SIZE})
   */
  MessagePool(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a message pool needs at least one thread");
    }
    int pool = POOLS.incrementAndGet();
    AtomicInteger count = new AtomicInteger();
    this.threads =
        new ThreadPoolExecutor(
            size,
            size,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            task -> {
              Thread thread =
                  new Thread(task, "portal-sip-messages-" + pool + "-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Runs {@code task} on one of the threads.
   *
   * @throws RejectedExecutionException once the pool is closed
   */
  void execute(Runnable task) {
    threads.execute(task);
  }

  /** Stops taking tasks; those queued still run. */
  @Override
  public void close() {
    threads.shutdown();
  }
}
