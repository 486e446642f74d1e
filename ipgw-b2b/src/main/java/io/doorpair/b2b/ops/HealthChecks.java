package io.doorpair.b2b.ops;

import java.time.Duration;
import java.util.Collections;
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
 * Named checks of what a gateway process needs (ipgw: its store, a b2b that has not crashed; the
 * b2b: its internal SIP server, its spool), each run with a deadline on a small pool of its own.
 * The report says up or down per check, never why: the reason goes to the log. The one copy on the
 * gateway side (the portal has the same small class in portal-sip-edge; gateway modules never
 * depend on portal modules).
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
   * @param checks each check's name and {@code up} or {@code down}, in order
   */
  public record Report(boolean up, Map<String, String> checks) {
    public Report {
      checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }

    /** {@code 200} when up, {@code 503} when not. */
    public int httpStatus() {
      return up ? 200 : 503;
    }

    /** {@code {"status":"up","checks":{"store":"up",...}}}. */
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
  private final ThreadPoolExecutor pool =
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

  /**
   * @param checks the checks by name ({@code [a-z0-9_]{1,32}}), run in this order
   * @param deadline how long one check may take before it counts as down
   */
  public HealthChecks(Map<String, Check> checks, Duration deadline) {
    checks.keySet().stream()
        .filter(name -> !name.matches("[a-z0-9_]{1,32}"))
        .findAny()
        .ifPresent(
            name -> {
              throw new IllegalArgumentException("a check name is [a-z0-9_]{1,32}, got: " + name);
            });
    this.checks = new LinkedHashMap<>(checks);
    this.deadline = Objects.requireNonNull(deadline, "deadline");
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
