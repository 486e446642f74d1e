package io.doorpair.bench.sip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the one markdown table of {@code bench/sip.sh} from the two {@code key=value} result files
 * of {@link SipBench}: the portal SIP server, Kamailio, and the ratio ours / Kamailio with the
 * issue's target for it.
 *
 * <p>Arguments: {@code <ours results> <kamailio results>}.
 */
public final class SipTable {
  private final Map<String, String> ours;
  private final Map<String, String> kam;
  private final StringBuilder out = new StringBuilder();

  private SipTable(Map<String, String> ours, Map<String, String> kam) {
    this.ours = ours;
    this.kam = kam;
  }

  public static void main(String[] args) throws IOException {
    SipTable t = new SipTable(read(Path.of(args[0])), read(Path.of(args[1])));
    t.print();
    System.out.print(t.out);
  }

  private static Map<String, String> read(Path file) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return m;
    }
    for (String line : Files.readAllLines(file)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return m;
  }

  private void print() {
    out.append("| measure | portal-sip-edge | Kamailio | ours / Kamailio | target |\n");
    out.append("|---|---|---|---|---|\n");
    row("1. highest passing call rate, calls/s", "calls.rate", "%.0f", true);
    latency("   call setup INVITE→200 p50 / p99, ms (at that rate)", "calls");
    row("   server CPU per call, µs (at that rate)", "calls.cpu_us", "%.0f", false);
    common("   server CPU per call, µs, at a rate both ran", "calls", 1, "%.0f");
    row("2. highest passing REGISTER refresh rate, /s", "register.rate", "%.0f", true);
    latency("   REGISTER→200 p50 / p99, ms (at that rate)", "register");
    row("   server CPU per REGISTER refresh, µs (at that rate)", "register.cpu_us", "%.1f", false);
    common("   server CPU per REGISTER refresh, µs, at a rate both ran", "register", 1, "%.1f");
    row(
        "3. highest passing rate of new TLS connections + REGISTER, /s",
        "storm.rate",
        "%.0f",
        true);
    latency("   connect→200 p50 / p99, ms (at that rate)", "storm");
    rowScaled(
        "   server CPU per new connection, ms (at that rate)",
        "storm.cpu_us",
        0.001,
        "%.2f",
        false);
    common("   server CPU per new connection, ms, at a rate both ran", "storm", 0.001, "%.2f");
    row(
        "4. memory per idle connection at 1,000, kB (PSS)",
        "idle.1000.pss_per_conn_kb",
        "%.1f",
        false);
    row(
        "   memory per idle connection at 5,000, kB (PSS)",
        "idle.5000.pss_per_conn_kb",
        "%.1f",
        false);
    out.append("| ")
        .append("   RSS per idle connection at 1,000 / 5,000, kB (RSS counts shared pages once per")
        .append(" process)")
        .append(" | ")
        .append(rss(ours))
        .append(" | ")
        .append(rss(kam))
        .append(" | — | — |\n");
    out.append('\n');
    notes("portal-sip-edge", ours);
    notes("Kamailio", kam);
  }

  /**
   * CPU per operation of both servers at one rate: the higher of the two highest passing rates that
   * both reached, else the highest rate both ran (even if it failed); CPU per operation shrinks as
   * the rate grows (fixed background work is spread thinner), so only equal rates compare.
   */
  private void common(String label, String scenario, double scale, String format) {
    Map<Integer, String[]> a = steps(ours.get(scenario + ".steps"));
    Map<Integer, String[]> b = steps(kam.get(scenario + ".steps"));
    int bothPassed = -1;
    int bothRan = -1;
    for (Map.Entry<Integer, String[]> e : a.entrySet()) {
      String[] other = b.get(e.getKey());
      if (other == null || Double.isNaN(cpu(e.getValue())) || Double.isNaN(cpu(other))) {
        continue;
      }
      bothRan = Math.max(bothRan, e.getKey());
      if (e.getValue()[1].equals("pass") && other[1].equals("pass")) {
        bothPassed = Math.max(bothPassed, e.getKey());
      }
    }
    int rate = bothPassed >= 0 ? bothPassed : bothRan;
    if (rate < 0) {
      out.append("| ").append(label).append(" | — | — | — | ≤ 1.0: — |\n");
      return;
    }
    double x = cpu(a.get(rate)) * scale;
    double y = cpu(b.get(rate)) * scale;
    out.append("| ")
        .append(label)
        .append(" (")
        .append(rate)
        .append("/s) | ")
        .append(String.format(Locale.ROOT, format, x))
        .append(" | ")
        .append(String.format(Locale.ROOT, format, y))
        .append(" | ")
        .append(String.format(Locale.ROOT, "%.2f", x / y))
        .append(" | ≤ 1.0: ")
        .append(x <= y ? "met" : "missed")
        .append(" |\n");
  }

  private static double cpu(String[] step) {
    return step.length > 5 ? Double.parseDouble(step[5]) : Double.NaN;
  }

  /** The steps of a ladder by rate: {@code rate:verdict:p50:p99:failed/started:cpu_us}. */
  private static Map<Integer, String[]> steps(String text) {
    Map<Integer, String[]> m = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return m;
    }
    for (String step : text.trim().split(" ")) {
      String[] f = step.split(":");
      m.put(Integer.parseInt(f[0]), f);
    }
    return m;
  }

  private void latency(String label, String scenario) {
    out.append("| ")
        .append(label)
        .append(" | ")
        .append(pair(ours, scenario))
        .append(" | ")
        .append(pair(kam, scenario))
        .append(" | ")
        .append(ratio(ours.get(scenario + ".p99"), kam.get(scenario + ".p99")))
        .append(" (p99) | ")
        .append(verdict(ours.get(scenario + ".p99"), kam.get(scenario + ".p99"), false))
        .append(" |\n");
  }

  private static String pair(Map<String, String> m, String scenario) {
    String p50 = m.get(scenario + ".p50");
    String p99 = m.get(scenario + ".p99");
    if (p50 == null || p99 == null) {
      return "—";
    }
    return fmt("%.2f", p50, 1) + " / " + fmt("%.2f", p99, 1);
  }

  private static String rss(Map<String, String> m) {
    String a = m.get("idle.1000.rss_per_conn_kb");
    String b = m.get("idle.5000.rss_per_conn_kb");
    return (a == null ? "—" : fmt("%.1f", a, 1)) + " / " + (b == null ? "—" : fmt("%.1f", b, 1));
  }

  private void row(String label, String key, String format, boolean higherIsBetter) {
    rowScaled(label, key, 1, format, higherIsBetter);
  }

  private void rowScaled(
      String label, String key, double scale, String format, boolean higherIsBetter) {
    String a = ours.get(key);
    String b = kam.get(key);
    out.append("| ")
        .append(label)
        .append(" | ")
        .append(a == null ? "—" : fmt(format, a, scale))
        .append(" | ")
        .append(b == null ? "—" : fmt(format, b, scale))
        .append(" | ")
        .append(ratio(a, b))
        .append(" | ")
        .append(verdict(a, b, higherIsBetter))
        .append(" |\n");
  }

  private static String fmt(String format, String value, double scale) {
    return String.format(Locale.ROOT, format, Double.parseDouble(value) * scale);
  }

  private static String ratio(String a, String b) {
    if (a == null || b == null || Double.parseDouble(b) == 0) {
      return "—";
    }
    return String.format(Locale.ROOT, "%.2f", Double.parseDouble(a) / Double.parseDouble(b));
  }

  private static String verdict(String a, String b, boolean higherIsBetter) {
    if (a == null || b == null) {
      return higherIsBetter ? "≥ 1.0: —" : "≤ 1.0: —";
    }
    double r = Double.parseDouble(a) / Double.parseDouble(b);
    boolean met = higherIsBetter ? r >= 1.0 : r <= 1.0;
    return (higherIsBetter ? "≥ 1.0: " : "≤ 1.0: ") + (met ? "met" : "missed");
  }

  private void notes(String server, Map<String, String> m) {
    out.append("- ").append(server).append(':');
    for (String scenario : new String[] {"calls", "register", "storm"}) {
      out.append(' ')
          .append(scenario)
          .append(" steps (rate:verdict:p50 ms:p99 ms:failed/started:server CPU µs/op) ");
      out.append(m.getOrDefault(scenario + ".steps", "none"));
      if (m.containsKey(scenario + ".stopped")) {
        out.append(", stopped at ").append(m.get(scenario + ".stopped"));
      }
      if (m.containsKey(scenario + ".error")) {
        out.append(", could not run: ").append(m.get(scenario + ".error"));
      }
      out.append(';');
    }
    int opened = 0;
    for (Map.Entry<String, String> e : m.entrySet()) {
      if (e.getKey().startsWith("idle.") && e.getKey().endsWith(".open")) {
        opened = Math.max(opened, Integer.parseInt(e.getValue()));
      }
    }
    out.append(" idle connections opened ")
        .append(opened)
        .append(", failed ")
        .append(m.getOrDefault("idle.failures", "?"));
    if (m.containsKey("idle.error")) {
      out.append(" (").append(m.get("idle.error")).append(')');
    }
    out.append(", baseline PSS ")
        .append(m.getOrDefault("idle.base_pss_kb", "?"))
        .append(" kB over ")
        .append(m.getOrDefault("server.processes", "?"))
        .append(" process(es)\n");
  }
}
