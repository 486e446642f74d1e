package io.doorpair.sipedge.node;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.testing.SipTlsClient;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code portal-sip} as a real child process: its {@code Main} in a JVM of its own, on this
 * module's class path, its output in a log file. {@link #close()} kills it if it still runs.
 */
final class NodeProgram implements AutoCloseable {
  private final Process process;
  private final Path log;

  private NodeProgram(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code portal-sip ARGS}, its output to {@code log}. */
  static NodeProgram start(Path log, List<String> args) throws IOException {
    String classPath = System.getProperty("surefire.test.class.path");
    if (classPath == null || classPath.isBlank()) {
      classPath = System.getProperty("java.class.path");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(classPath);
    command.add(Main.class.getName());
    command.addAll(args);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    return new NodeProgram(process, log);
  }

  /**
   * {@code serve} on {@code 127.0.0.1:0} with these files and ready file: the arguments every test
   * starts from (add more after them).
   */
  static List<String> serve(String domain, Path ca, Path cert, Path key, Path crl, Path ready) {
    return new ArrayList<>(
        List.of(
            "serve",
            "--sip",
            "127.0.0.1:0",
            "--domain",
            domain,
            "--ca",
            ca.toString(),
            "--cert",
            cert.toString(),
            "--key",
            key.toString(),
            "--crl",
            crl.toString(),
            "--ready",
            ready.toString()));
  }

  /**
   * A REGISTER of {@code leaf}'s own AOR and instance at {@code domain}, with From {@code fromUser}
   * (the certificate's CN, or another to be refused).
   */
  static String register(String domain, Leaf leaf, String fromUser) {
    String user = CertificateIdentity.of(leaf.certificate()).commonName();
    UUID instance = CertificateIdentity.of(leaf.certificate()).instance().orElseThrow();
    return SipTlsClient.request(
        "REGISTER",
        "sip:" + domain,
        "<sip:" + fromUser + ">",
        "<sip:" + user + ">",
        "Contact: <sip:device@127.0.0.1:5999;transport=tls>;+sip.instance=\"<urn:uuid:"
            + instance
            + ">\"",
        "Supported: gruu",
        "Expires: 600");
  }

  Process process() {
    return process;
  }

  /** What it wrote so far. */
  String logText() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /** Waits (generously) for {@code file} to exist, failing with the log if the process exits. */
  String awaitFile(Path file) throws Exception {
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < guard) {
      if (Files.exists(file)) {
        return Files.readString(file);
      }
      if (!process.isAlive()) {
        throw new AssertionError("portal-sip exited " + process.exitValue() + ":\n" + logText());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no " + file + "; log:\n" + logText());
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
