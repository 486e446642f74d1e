package io.doorpair.sipedge.ops;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named checks of what a process needs to serve (its store, its CA, its SIP listener, ...), each
 * run with a deadline on a small pool of its own, so that a hanging database makes the report say
 * {@code down} in time instead of holding the caller. The report names each check and says up or
 * down, never why: the reason (which may name hosts) goes to the log. The one copy on the portal
 * side: {@code portal serve} and {@code portal-sip serve} both use it.
 */
public final class HealthChecks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);

  /** One check: returns when what it checks works, throws when it does not. */
  @FunctionalInterface
  public interface Check {
    void run() throws Exception;
  }

  /**
   * A health report.
   *
   * @param up whether every check passed
   * @param checks each check's name and {@code up} or {@code down}, in the order given
   */
  public record Report(boolean up, Map<String, String> checks) {
    public Report {
      checks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }

    /** {@code 200} when up, {@code 503} when not. */
    public int httpStatus() {
      return up ? 200 : 503;
    }

    /** {@code {"status":"up","checks":{"store":"up",...}}}; names are [a-z0-9_] only. */
    public String json() {
      StringBuilder json = new StringBuilder("{\"status\":\"").append(up ? "up" : "down");
      json.append("\",\"checks\":{");
      String separator = "";
      for (Map.Entry<String, String> check : checks.entrySet()) {
        json.append(separator).append('"').append(check.getKey()).append("\":\"");
        json.append(check.getValue()).append('"');
        separator = ",";
      }
      return json.append("}}").toString();
    }
  }

  private final Map<String, Check> checks;
  private final Duration deadline;
  private final ThreadPoolExecutor pool;

  /**
   * @param checks the checks by name ({@code [a-z0-9_]{1,32}}), run in this order
   * @param deadline how long one check may take before it counts as down
   */
  public HealthChecks(Map<String, Check> checks, Duration deadline) {
    for (String name : checks.keySet()) {
      if (!name.matches("[a-z0-9_]{1,32}")) {
        throw new IllegalArgumentException("a check name is [a-z0-9_]{1,32}, got: " + name);
      }
    }
    this.checks = new LinkedHashMap<>(checks);
    this.deadline = Objects.requireNonNull(deadline, "deadline");
    this.pool =
        new ThreadPoolExecutor(
            4,
            4,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(16),
            r -> {
              Thread t = new Thread(r, "health-check");
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
  }

  /** Runs every check and reports. */
  public Report check() {
    Map<String, String> results = new LinkedHashMap<>();
    boolean up = true;
    for (Map.Entry<String, Check> check : checks.entrySet()) {
      boolean passed = passes(check.getKey(), check.getValue());
      results.put(check.getKey(), passed ? "up" : "down");
      up &= passed;
    }
    return new Report(up, results);
  }

  private boolean passes(String name, Check check) {
    Future<?> run;
    try {
      run =
          pool.submit(
              () -> {
                check.run();
                return null;
              });
    } catch (RejectedExecutionException e) {
      LOG.warn("health check={} down: too many checks running", name);
      return false;
    }
    try {
      run.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      run.cancel(true); // interrupts a check stuck in I/O that listens to interrupts
      LOG.warn("health check={} down: no answer within {} ms", name, deadline.toMillis());
    } catch (ExecutionException e) {
      LOG.warn("health check={} down: {}", name, e.getCause().getClass().getSimpleName());
    } catch (InterruptedException e) {
      run.cancel(true);
      Thread.currentThread().interrupt();
    }
    return false;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
