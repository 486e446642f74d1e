package io.doorpair.bench.sip;

import io.doorpair.bench.RawSigning;
import io.doorpair.ca.CertificateAuthority;
import io.doorpair.crypto.RsaKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The load run of issue 9 ({@code bench/nodes.sh}): two {@code bin/portal-sip} nodes on one Redis,
 * devices and gateways registered over mutual TLS, each with its own certificate from the portal
 * CA; gateways on node 1 call devices on node 1 (one node) and on node 2 (two nodes, routed over
 * the node link); node 2 restarted and its devices reconnecting at once; memory per registered
 * device per node. Prints one markdown table on standard output, progress on standard error.
 *
 * <p>Settings ({@code -Dnodes.*}): {@code root}, {@code work} (holds {@code data/} with the portal
 * CA, {@code node1/} and {@code node2/} each with {@code files/} from {@code portal sip-node-cert}
 * and {@code crl.pem}), {@code redis}, {@code prefix}, {@code devices}, {@code gateways}, {@code
 * seconds} (sustained calls), {@code callees} (per node), {@code rates} (call rates tried,
 * comma-separated), {@code step} (seconds per rate step), {@code threads} (connecting threads per
 * load-generator JVM), {@code nodeOpts} (the nodes' JVM options).
 */
public final class NodesBench {
  static final String DOMAIN = "portal.localhost";

  /** A step passes with under 0.1% failed calls and p99 under this (a shared, busy machine). */
  private static final double P99_MS = Double.parseDouble(System.getProperty("nodes.p99", "500"));

  private final Path root = Path.of(System.getProperty("nodes.root"));
  private final Path work = Path.of(System.getProperty("nodes.work"));
  private final int devices = Integer.getInteger("nodes.devices", 20_000);
  private final int gateways = Integer.getInteger("nodes.gateways", 1_000);
  private final int seconds = Integer.getInteger("nodes.seconds", 180);
  private final int stepSeconds = Integer.getInteger("nodes.step", 5);
  private final int threads = Integer.getInteger("nodes.threads", 32);
  private final int calleesPerNode =
      Math.max(1, Math.min(Integer.getInteger("nodes.callees", 100), devices / 4));
  private final List<String> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  private NodesBench() {}

  public static void main(String[] args) throws Exception {
    new NodesBench().run();
    System.exit(0);
  }

  private static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "[nodes] " + format + "%n", args);
  }

  private void row(String figure, String value) {
    rows.add("| " + figure + " | " + value + " |");
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private void run() throws Exception {
    // 1. the machine's raw RSA-2048 signing rate (node and device keys are RSA-2048)
    KeyPair key = RsaKeys.generate(2048, new SecureRandom());
    byte[] tbs = new byte[800];
    new SecureRandom().nextBytes(tbs);
    RawSigning.rate("SunRsaSign", 2, key.getPrivate(), tbs, 2);
    double signing = RawSigning.rate("SunRsaSign", 2, key.getPrivate(), tbs, 5);
    log("raw RSA-2048 signing, 2 threads: %.0f/s", signing);

    // 2. the nodes
    List<String> flags =
        List.of(
            "--domain=" + DOMAIN,
            "--redis=" + System.getProperty("nodes.redis"),
            "--redis-prefix=" + System.getProperty("nodes.prefix"),
            "--idle-timeout=7200",
            "--max-connections=" + (devices + gateways + 1000));
    SipNode node1 = new SipNode(root, work.resolve("node1"), "node1", freePort(), flags);
    SipNode node2 = new SipNode(root, work.resolve("node2"), "node2", freePort(), flags);
    node1.start();
    node2.start();
    Thread.sleep(5000); // the nodes' links: pinged every second, up after a pong
    long[] base1 = node1.memoryAfterGc();
    long[] base2 = node2.memoryAfterGc();
    log(
        "nodes up: %s %s; heap after GC %d / %d kB",
        node1.address(), node2.address(), base1[0], base2[0]);

    // 3. identities: node 1 holds the gateways, half the devices (some of them callees with a
    // reader); node 2 the other half, most of them in a second JVM (a process's socket limit)
    int half1 = devices / 2;
    int half2 = devices - half1;
    long t0 = System.nanoTime();
    Process other = startOtherFleet(half2 - calleesPerNode, node2.address());
    CertificateAuthority ca = DeviceFleet.ca(work.resolve("data"));
    List<KeyPair> keys = DeviceFleet.keys();
    DeviceFleet gw = new DeviceFleet(ca, keys, DeviceFleet.names("gw", 0, gateways, DOMAIN));
    DeviceFleet callees1 =
        new DeviceFleet(ca, keys, DeviceFleet.names("ca", 0, calleesPerNode, DOMAIN));
    DeviceFleet callees2 =
        new DeviceFleet(ca, keys, DeviceFleet.names("cb", 0, calleesPerNode, DOMAIN));
    DeviceFleet idle1 =
        new DeviceFleet(ca, keys, DeviceFleet.names("da", 0, half1 - calleesPerNode, DOMAIN));
    PrintWriter toOther =
        new PrintWriter(
            new OutputStreamWriter(other.getOutputStream(), StandardCharsets.US_ASCII), true);
    BufferedReader fromOther =
        new BufferedReader(
            new InputStreamReader(other.getInputStream(), StandardCharsets.US_ASCII));
    expect(fromOther.readLine(), "issued");
    double issueS = (System.nanoTime() - t0) / 1e9;
    log("certificates issued: %d in %.1f s", devices + gateways, issueS);

    // 4. initial registration, all at once in both load-generator JVMs
    t0 = System.nanoTime();
    toOther.println("register 900");
    int reg =
        gw.registerAll(node1.address(), threads, 900)
            + callees1.registerAll(node1.address(), threads, 900)
            + callees2.registerAll(node2.address(), threads, 900)
            + idle1.registerAll(node1.address(), threads, 900);
    String[] otherReg = expect(fromOther.readLine(), "register");
    reg += Integer.parseInt(otherReg[1]);
    double regS = (System.nanoTime() - t0) / 1e9;
    int regFailed = devices + gateways - reg;
    log("registered %d (failed %d) in %.1f s", reg, regFailed, regS);
    if (regFailed > 0) {
      notes.add(
          "registration failures: "
              + regFailed
              + ", first error: "
              + firstOf(gw, callees1, callees2, idle1)
              + " "
              + (otherReg.length > 5 ? otherReg[5] : ""));
    }

    long[] mem1 = node1.memoryAfterGc();
    long[] mem2 = node2.memoryAfterGc();
    int on1 = gateways + half1;
    int on2 = half2;

    // 6. calls: gateways on node 1 call devices on node 1, then on node 2
    List<SipConnection> callers = connections(gw);
    List<SipConnection> to1 = connections(callees1);
    List<SipConnection> to2 = connections(callees2);
    List<SipConnection> all = new ArrayList<>(to1);
    all.addAll(to2);
    int[] rates =
        Arrays.stream(
                System.getProperty("nodes.rates", "25,50,100,200,400,800,1200,1600").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    StepResult one;
    StepResult two;
    StepResult sustained;
    int lost;
    long stormStart;
    double stormS;
    int stormOk;
    int stormFailed;
    int stormAttempts;
    double resumedS;
    String afterRestart;
    String afterRestartError = "";
    try (CallLoad calls = new CallLoad(callers, all)) {
      calls.target(to2);
      log("warm-up: %s", calls.step(rates[0], 5, node1.server(), 5));
      calls.target(to1);
      one = ladder(calls, rates, node1, "one node");
      calls.target(to2);
      two = ladder(calls, rates, node1, "two nodes");
      int rate = Math.max(rates[0], (int) (0.5 * (two == null ? rates[0] : two.rate())));
      double cpu1 = node1.server().cpuMs();
      double cpu2 = node2.server().cpuMs();
      sustained = calls.step(rate, seconds, node1.server(), 10);
      cpu1 = node1.server().cpuMs() - cpu1;
      cpu2 = node2.server().cpuMs() - cpu2;
      log("sustained: %s", sustained);
      lost = sustained.failed();
      notes.add(
          f(
              "sustained run: %d calls at %d/s for %d s through two nodes, p50 %.1f ms, p99 %.1f"
                  + " ms, node CPU per call %.0f µs (node 1) + %.0f µs (node 2)%s",
              sustained.started(),
              rate,
              seconds,
              sustained.p50Ms(),
              sustained.p99Ms(),
              cpu1 * 1000 / Math.max(1, sustained.ok()),
              cpu2 * 1000 / Math.max(1, sustained.ok()),
              sustained.firstError().isEmpty() ? "" : "; first error: " + sustained.firstError()));

      // 5. reconnect storm: node 2 restarted, every device of node 2 reconnects at once
      node2.stop();
      callees2.close();
      int callees2Before = callees2.attempts();
      node2.start();
      stormStart = System.nanoTime();
      toOther.println("storm 600");
      int stormCallees = callees2.registerAll(node2.address(), threads, 600);
      String[] storm = expect(fromOther.readLine(), "storm");
      stormS = (System.nanoTime() - stormStart) / 1e9;
      stormOk = Integer.parseInt(storm[1]) + stormCallees;
      stormFailed = half2 - stormOk;
      stormAttempts = Integer.parseInt(storm[4]) + callees2.attempts() - callees2Before;
      log(
          "storm: %d registered again in %.1f s (%d failed, %d attempts)",
          stormOk, stormS, stormFailed, stormAttempts);

      // 7. calls to node 2's devices after its restart: steps of 2 s until one has no failure
      List<SipConnection> again = connections(callees2);
      calls.addCallees(again);
      calls.target(again);
      long probeStart = System.nanoTime();
      int probeFailed = 0;
      int probeStarted = 0;
      resumedS = -1;
      while (System.nanoTime() - probeStart < 60e9) {
        StepResult r = calls.step(rates[0], 2, node1.server(), 5);
        log("after the restart: %s", r);
        probeStarted += r.started();
        probeFailed += r.failed();
        if (r.failed() == 0) {
          resumedS = (System.nanoTime() - stormStart) / 1e9;
          break;
        }
        if (afterRestartError.isEmpty()) {
          afterRestartError = r.firstError();
        }
      }
      afterRestart = f("%d of %d failed", probeFailed, probeStarted);
    }

    toOther.println("quit");
    other.waitFor(30, TimeUnit.SECONDS);
    gw.close();
    callees1.close();
    callees2.close();
    idle1.close();
    node1.stop();
    node2.stop();

    // the table
    row(
        "devices registered (mutual TLS, own certificate each) / gateways",
        f("%,d / %,d (node 1: %,d connections, node 2: %,d)", devices, gateways, on1, on2));
    row("certificates issued by the portal CA, s", f("%.1f", issueS));
    row(
        "initial registration of all, s (registrations/s)",
        f("%.1f (%.0f/s), failed %d", regS, reg / regS, regFailed));
    row("raw RSA-2048 signatures/s, 2 threads (JDK)", f("%.0f", signing));
    row(
        "reconnect storm: node 2 restarted, its devices reconnect at once",
        f(
            "%,d devices in %.1f s, failed %d, connection attempts %,d",
            stormOk, stormS, stormFailed, stormAttempts));
    row("storm registrations/s", f("%.0f", stormOk / stormS));
    row(
        "storm / (raw signing / 2): each handshake signs twice on this machine",
        f("%.2f", stormOk / stormS / (signing / 2)));
    row(
        "calls from node 1 to node 2's devices after node 2's restart (2 s steps at "
            + rates[0]
            + "/s, up to 60 s)",
        afterRestart
            + (resumedS < 0
                ? ", calls did not resume: " + afterRestartError
                : f(", a step without failure %.1f s after the restart", resumedS)));
    row("calls/s, one node (gateway → device on node 1), highest passing step", step(one));
    row(
        "calls/s, two nodes (gateway on node 1 → device on node 2), highest passing step",
        step(two));
    row(
        "two nodes / one node",
        one == null || two == null ? "—" : f("%.2f", two.rate() / (double) one.rate()));
    row(
        "sustained calls through two nodes: calls (rate × seconds)",
        f("%,d (%d/s × %d s)", sustained.started(), sustained.rate(), seconds));
    row("lost calls (must be 0)", f("%d%s", lost, lost == 0 ? "" : " MISSED"));
    row(
        "memory per registered device, node 1: heap after GC / RSS, kB",
        perDevice(base1, mem1, on1));
    row(
        "memory per registered device, node 2: heap after GC / RSS, kB",
        perDevice(base2, mem2, on2));
    System.out.println("| figure | value |");
    System.out.println("|---|---|");
    rows.forEach(System.out::println);
    System.out.println();
    notes.forEach(n -> System.out.println("- " + n));
  }

  private StepResult ladder(CallLoad calls, int[] rates, SipNode node1, String name) {
    StepResult best = null;
    for (int rate : rates) {
      StepResult r = calls.step(rate, stepSeconds, node1.server(), 5);
      log("%s: %s", name, r);
      String mark = r.passes(P99_MS) ? "pass" : "fail";
      notes.add(
          f(
              "%s, %d calls/s for %d s: %s, p50 %.1f ms, p99 %.1f ms, failed %d/%d%s",
              name,
              rate,
              stepSeconds,
              mark,
              r.p50Ms(),
              r.p99Ms(),
              r.failed(),
              r.started(),
              r.firstError().isEmpty() ? "" : " (" + r.firstError() + ")"));
      if (!r.passes(P99_MS)) {
        break;
      }
      best = r;
    }
    return best;
  }

  private static String step(StepResult r) {
    return r == null
        ? "— (first step failed)"
        : f("%d (p50 %.1f ms, p99 %.1f ms)", r.rate(), r.p50Ms(), r.p99Ms());
  }

  private static String perDevice(long[] base, long[] after, int count) {
    return f(
        "%.1f / %.1f (heap %,d → %,d kB, RSS %,d → %,d kB)",
        (after[0] - base[0]) / (double) count,
        (after[1] - base[1]) / (double) count,
        base[0],
        after[0],
        base[1],
        after[1]);
  }

  private static List<SipConnection> connections(DeviceFleet fleet) throws IOException {
    List<SipConnection> list = new ArrayList<>();
    for (int i = 0; i < fleet.size(); i++) {
      SipConnection c = fleet.connection(i);
      if (c != null) {
        list.add(c);
      }
    }
    if (list.isEmpty()) {
      throw new IOException("no registered connection: " + fleet.firstError());
    }
    return list;
  }

  private static String firstOf(DeviceFleet... fleets) {
    for (DeviceFleet f : fleets) {
      if (!f.firstError().isEmpty()) {
        return f.firstError();
      }
    }
    return "";
  }

  private Process startOtherFleet(int count, InetSocketAddress node2) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g");
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(DeviceFleet.class.getName());
    cmd.add(work.resolve("data").toString());
    cmd.add(DOMAIN);
    cmd.add("db");
    cmd.add("0");
    cmd.add(Integer.toString(count));
    cmd.add("127.0.0.1:" + node2.getPort());
    cmd.add(Integer.toString(threads));
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(ProcessBuilder.Redirect.appendTo(work.resolve("fleet.log").toFile()))
            .start();
    Files.writeString(work.resolve("fleet.pid"), Long.toString(p.pid()));
    return p;
  }

  private static String[] expect(String line, String word) throws IOException {
    if (line == null || !line.startsWith(word + " ")) {
      throw new IOException("the second load generator answered " + line + " (see fleet.log)");
    }
    return line.split(" ");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
