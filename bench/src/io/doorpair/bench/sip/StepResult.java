package io.doorpair.bench.sip;

import java.util.Arrays;
import java.util.Locale;

/**
 * One open-loop step at a set rate: how many operations were started, how many ended well or
 * failed, the latency percentiles of those that got their answer, and the server CPU spent.
 *
 * @param rate the offered rate, operations/s
 * @param started operations started
 * @param ok operations that ended well
 * @param failed operations that failed or did not end before the drain deadline
 * @param p50Ms median latency, ms, from each operation's scheduled start
 * @param p99Ms 99th percentile latency, ms
 * @param serverCpuMs server CPU time (user + system, all its processes) during the step, ms
 * @param firstError the first failure seen, or "" when none
 */
record StepResult(
    int rate,
    int started,
    int ok,
    int failed,
    double p50Ms,
    double p99Ms,
    double serverCpuMs,
    String firstError) {

  /** Less than 0.1% failed and p99 under the limit. */
  boolean passes(double p99LimitMs) {
    return started > 0 && failed * 1000L < started && p99Ms < p99LimitMs;
  }

  /** Server CPU per successful operation, µs. */
  double cpuUsPerOk() {
    return ok == 0 ? Double.NaN : serverCpuMs * 1000.0 / ok;
  }

  /** Builds a result from latencies in ns (0 = no answer); percentiles over the answered ones. */
  static StepResult of(
      int rate, int started, int ok, int failed, long[] latencyNs, double cpuMs, String error) {
    long[] answered = Arrays.stream(latencyNs, 0, started).filter(v -> v > 0).sorted().toArray();
    return new StepResult(
        rate,
        started,
        ok,
        failed,
        percentile(answered, 50) / 1e6,
        percentile(answered, 99) / 1e6,
        cpuMs,
        error == null ? "" : error);
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "rate %d/s: started %d, ok %d, failed %d, p50 %.2f ms, p99 %.2f ms, server CPU %.0f ms"
            + " (%.1f us/op)%s",
        rate,
        started,
        ok,
        failed,
        p50Ms,
        p99Ms,
        serverCpuMs,
        cpuUsPerOk(),
        firstError.isEmpty() ? "" : ", first error: " + firstError);
  }
}
