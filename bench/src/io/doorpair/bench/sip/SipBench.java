package io.doorpair.bench.sip;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The SIP load generator: drives one running SIP server (the portal's or Kamailio) through the four
 * scenarios of issue 4 and writes {@code key=value} results for {@link SipTable}.
 *
 * <p>Arguments: {@code <name> <host:port> <server pid> <certs dir> <results file> [--jvm]} ({@code
 * --jvm}: the server is a JVM, garbage-collected with {@code jcmd GC.run} before each memory
 * reading). Settings as system properties, with defaults: {@code sip.seconds=4} per step, {@code
 * sip.warmup=20} s of warm-up at the ladder's fourth rate ({@code sip.warmupRung=4}: 1,000 calls/s,
 * 6,000 REGISTER/s, 200 connections/s, so that a JVM's compiler has settled before the first
 * measured step, as Kamailio needs no such time), {@code sip.drain=3} s, {@code sip.p99=100} ms (pass: under 0.1% failed and p99
 * below this; a step failing on p99 alone is run {@code sip.retries=1} more time), {@code
 * sip.callRates}, {@code sip.registerRates}, {@code sip.stormRates} (comma-separated rates tried in
 * order until one fails), {@code sip.idle=1000,5000}, {@code sip.settle=3} s, {@code
 * sip.callerConnections=10}, {@code sip.scenarios=calls,register,storm,idle}. Progress goes to
 * standard error.
 */
public final class SipBench {
  private static final ServerProcess SELF = new ServerProcess(ProcessHandle.current().pid());
  private final Map<String, String> out = new LinkedHashMap<>();
  private final ServerProcess process;
  private final boolean jvm;
  private final PrintStream log = System.err;
  private final String name;
  private final int retries = (int) number("sip.retries", 1);

  private SipBench(String name, ServerProcess process, boolean jvm) {
    this.name = name;
    this.process = process;
    this.jvm = jvm;
  }

  /** One step of a scenario at a rate. */
  private interface Stepper {
    StepResult step(int rate, double seconds);
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("usage: SipBench name host:port pid certs-dir results-file [--jvm]");
      System.exit(2);
    }
    String[] hp = args[1].split(":");
    InetSocketAddress server = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
    ServerProcess process = new ServerProcess(Long.parseLong(args[2]));
    ClientTls tls = new ClientTls(Path.of(args[3]));
    boolean jvm = args.length > 5 && args[5].equals("--jvm");
    SipBench bench = new SipBench(args[0], process, jvm);
    bench.runAll(tls, server);
    bench.write(Path.of(args[4]));
  }

  private static double number(String key, double fallback) {
    return Double.parseDouble(System.getProperty(key, Double.toString(fallback)));
  }

  private static int[] rates(String key, String fallback) {
    return Arrays.stream(System.getProperty(key, fallback).split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .mapToInt(Integer::parseInt)
        .toArray();
  }

  private void runAll(ClientTls tls, InetSocketAddress server) {
    Set<String> scenarios =
        Set.of(System.getProperty("sip.scenarios", "calls,register,storm,idle").split(","));
    double seconds = number("sip.seconds", 4);
    double warmup = number("sip.warmup", 20);
    double drain = number("sip.drain", 3);
    double p99 = number("sip.p99", 100);
    put("server.processes", process.processes());
    if (scenarios.contains("calls")) {
      int[] rates = rates("sip.callRates", "100,250,500,1000,1500,2000,2500,3000,4000,5000,6000");
      int conns = (int) number("sip.callerConnections", 10);
      try (CallLoad calls = new CallLoad(tls, server, conns)) {
        ladder("calls", rates, seconds, warmup, p99, (r, s) -> calls.step(r, s, process, drain));
      } catch (IOException | RuntimeException e) {
        failed("calls", e);
      }
    }
    if (scenarios.contains("register")) {
      int[] rates =
          rates(
              "sip.registerRates",
              "1000,2000,4000,6000,8000,10000,12000,15000,20000,25000,30000,40000,50000");
      try (RegisterLoad reg = new RegisterLoad(tls, server)) {
        ladder("register", rates, seconds, warmup, p99, (r, s) -> reg.step(r, s, process, drain));
      } catch (IOException | RuntimeException e) {
        failed("register", e);
      }
    }
    if (scenarios.contains("storm")) {
      int[] rates = rates("sip.stormRates", "50,100,150,200,250,300,400,500,600,800");
      ReconnectStorm storm = new ReconnectStorm(tls, server, 32);
      try {
        ladder("storm", rates, seconds, warmup, p99, (r, s) -> storm.step(r, s, process, drain));
      } catch (RuntimeException e) {
        failed("storm", e);
      }
    }
    if (scenarios.contains("idle")) {
      int[] counts = rates("sip.idle", "1000,5000");
      try {
        idle(tls, server, counts, number("sip.settle", 3));
      } catch (IOException | RuntimeException e) {
        failed("idle", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void failed(String scenario, Exception e) {
    log.printf("[%s] %s: could not run: %s%n", name, scenario, e);
    put(scenario + ".error", e.toString().replace('\n', ' '));
  }

  /** Warm-up at the first rate (not reported), then each rate in turn until one fails. */
  private void ladder(
      String scenario, int[] rates, double seconds, double warmup, double p99, Stepper stepper) {
    if (warmup > 0) {
      int rung = Math.max(1, Math.min(rates.length, (int) number("sip.warmupRung", 4)));
      int rate = rates[rung - 1];
      log.printf(
          "[%s] %s warm-up at %d/s: %s%n", name, scenario, rate, stepper.step(rate, warmup));
    }
    StepResult best = null;
    StepResult failing = null;
    List<String> steps = new ArrayList<>();
    for (int rate : rates) {
      StepResult r = measured(scenario, stepper, rate, seconds);
      if (!r.passes(p99) && r.failed() * 1000L < r.started() && retries > 0) {
        // failed on latency alone: on a shared machine a burst of other work does that; once more
        r = measured(scenario, stepper, rate, seconds);
      }
      steps.add(
          String.format(
              Locale.ROOT,
              "%d:%s:%.2f:%.2f:%d/%d:%.1f",
              rate,
              r.passes(p99) ? "pass" : "fail",
              r.p50Ms(),
              r.p99Ms(),
              r.failed(),
              r.started(),
              r.cpuUsPerOk()));
      if (r.passes(p99)) {
        best = r;
      } else {
        failing = r;
        break;
      }
    }
    put(scenario + ".steps", String.join(" ", steps));
    if (best != null) {
      put(scenario + ".rate", best.rate());
      put(scenario + ".p50", best.p50Ms());
      put(scenario + ".p99", best.p99Ms());
      put(scenario + ".cpu_us", best.cpuUsPerOk());
    }
    if (failing != null) {
      put(
          scenario + ".stopped",
          String.format(
              Locale.ROOT,
              "%d/s: %d of %d failed, p99 %.1f ms%s",
              failing.rate(),
              failing.failed(),
              failing.started(),
              failing.p99Ms(),
              failing.firstError().isEmpty() ? "" : " (" + failing.firstError() + ")"));
    }
  }

  /** One step, logged with the load generator's own CPU per operation. */
  private StepResult measured(String scenario, Stepper stepper, int rate, double seconds) {
    double self0 = SELF.cpuMs();
    StepResult r = stepper.step(rate, seconds);
    double self = SELF.cpuMs() - self0;
    log.printf(
        Locale.ROOT,
        "[%s] %s %s; load generator CPU %.0f ms (%.1f us/op)%n",
        name,
        scenario,
        r,
        self,
        r.ok() == 0 ? Double.NaN : self * 1000 / r.ok());
    return r;
  }

  private void idle(ClientTls tls, InetSocketAddress server, int[] counts, double settle)
      throws IOException, InterruptedException {
    try (IdleConnections idle = new IdleConnections(tls, server, 8)) {
      long[] base = memory(settle);
      put("idle.base_pss_kb", base[0]);
      put("idle.base_rss_kb", base[1]);
      log.printf("[%s] idle: baseline PSS %d kB, RSS %d kB%n", name, base[0], base[1]);
      for (int n : counts) {
        long t0 = System.nanoTime();
        idle.growTo(n);
        double secs = (System.nanoTime() - t0) / 1e9;
        long[] m = memory(settle);
        int open = idle.openCount();
        log.printf(
            "[%s] idle: %d open (%d failed, %.1f s to open), PSS %d kB, RSS %d kB%s%n",
            name,
            open,
            idle.failures(),
            secs,
            m[0],
            m[1],
            idle.failures() > 0 ? ", first error: " + idle.firstError() : "");
        put("idle." + n + ".open", open);
        put("idle." + n + ".pss_kb", m[0]);
        put("idle." + n + ".rss_kb", m[1]);
        if (open > 0) {
          put("idle." + n + ".pss_per_conn_kb", (m[0] - base[0]) / (double) open);
          put("idle." + n + ".rss_per_conn_kb", (m[1] - base[1]) / (double) open);
        }
      }
      put("idle.failures", idle.failures());
      if (idle.failures() > 0) {
        put("idle.error", idle.firstError());
      }
    }
  }

  /** PSS and RSS (kB) after {@code settle} seconds (and a full GC first for a JVM). */
  private long[] memory(double settle) throws IOException, InterruptedException {
    if (jvm) {
      Process gc =
          new ProcessBuilder("jcmd", Long.toString(process.pid), "GC.run")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      gc.waitFor(30, TimeUnit.SECONDS);
    }
    Thread.sleep((long) (settle * 1000));
    return new long[] {process.pssKb(), process.rssKb()};
  }

  private void put(String key, Object value) {
    String text =
        value instanceof Double
            ? String.format(Locale.ROOT, "%.3f", (Double) value)
            : String.valueOf(value);
    out.put(key, text);
  }

  private void write(Path file) throws IOException {
    StringBuilder b = new StringBuilder();
    out.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, b);
  }
}
