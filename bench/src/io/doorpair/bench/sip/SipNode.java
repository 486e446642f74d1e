package io.doorpair.bench.sip;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code bin/portal-sip serve} node of the nodes bench, on a fixed loopback port (so that a
 * restart comes back where its devices expect it), on Redis, with the node certificate {@code
 * bin/portal sip-node-cert} wrote into {@code DIR/files}. Its process id is written to {@code
 * DIR/pid} for the script's clean-up.
 */
final class SipNode {
  private static final Pattern USED = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K");
  private final Path root;
  private final Path dir;
  private final String name;
  private final int port;
  private final List<String> flags;
  private Process process;

  SipNode(Path root, Path dir, String name, int port, List<String> flags) {
    this.root = root;
    this.dir = dir;
    this.name = name;
    this.port = port;
    this.flags = List.copyOf(flags);
  }

  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  long pid() {
    return process.pid();
  }

  /** Starts the node and waits (up to 120 s) for its ready file. */
  void start() throws IOException, InterruptedException {
    Path ready = dir.resolve("ready.json");
    Files.deleteIfExists(ready);
    Path files = dir.resolve("files");
    List<String> cmd = new ArrayList<>();
    cmd.add(root.resolve("bin/portal-sip").toString());
    cmd.add("serve");
    cmd.add("--sip=127.0.0.1:" + port);
    cmd.add("--ca=" + files.resolve("ca.pem"));
    cmd.add("--cert=" + files.resolve("sip-node.pem"));
    cmd.add("--key=" + files.resolve("sip-node-key.pem"));
    cmd.add("--crl=" + dir.resolve("crl.pem"));
    cmd.add("--ready=" + ready);
    cmd.add("--node=" + name);
    cmd.addAll(flags);
    process =
        new ProcessBuilder(cmd)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile()))
            .start();
    Files.writeString(dir.resolve("pid"), Long.toString(process.pid()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(ready)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IOException(name + " did not start: see " + dir.resolve("node.log"));
      }
      Thread.sleep(20);
    }
  }

  /** Stops the node with SIGTERM (as a clean restart does) and waits for it. */
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Memory after a full collection ({@code jcmd GC.run}) and a settle of 2 s: heap used (kB, the
   * generations' {@code used} from {@code jcmd GC.heap_info}) and resident set (kB).
   */
  long[] memoryAfterGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    Thread.sleep(2000);
    String info = jcmd("GC.heap_info");
    long heap = 0;
    Matcher m = USED.matcher(info);
    while (m.find()) {
      heap += Long.parseLong(m.group(1));
    }
    return new long[] {heap, new ServerProcess(process.pid()).rssKb()};
  }

  ServerProcess server() {
    return new ServerProcess(process.pid());
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("jcmd", Long.toString(process.pid()), command)
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    p.waitFor(60, TimeUnit.SECONDS);
    return new String(out, java.nio.charset.StandardCharsets.UTF_8);
  }
}
