package io.doorpair.welcome.cli;

import io.doorpair.welcome.flow.WaitProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A spinner with the elapsed time on one terminal line, redrawn every 200 ms until closed; it also
 * tells of retries after a failed poll.
 */
final class Spinner implements AutoCloseable, WaitProgress {
  private static final char[] FRAMES = {'|', '/', '-', '\\'};

  private final PrintWriter err;
  private final String message;
  private final long start = System.nanoTime();
  private final ScheduledExecutorService timer;
  private int frame;

  Spinner(PrintWriter err, String message) {
    this.err = err;
    this.message = message;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "welcome-spinner");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(this::draw, 0, 200, TimeUnit.MILLISECONDS);
  }

  private synchronized void draw() {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    err.printf(
        "\r%c %s %d:%02d ",
        FRAMES[frame++ % FRAMES.length], message, elapsed.toMinutes(), elapsed.getSeconds() % 60);
    err.flush();
  }

  @Override
  public synchronized void retrying(RuntimeException problem, java.time.Duration retryIn) {
    err.print("\r\033[K");
    err.println(
        "portal unreachable ("
            + problem.getMessage()
            + "), retrying in "
            + retryIn.getSeconds()
            + " s");
    err.flush();
  }

  @Override
  public synchronized void close() {
    timer.shutdownNow();
    err.print("\r\033[K");
    err.flush();
  }
}
