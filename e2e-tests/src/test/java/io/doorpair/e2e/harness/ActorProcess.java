package io.doorpair.e2e.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One actor (portal, gateway, ...) run as its own process through its {@code bin/} launcher, with
 * its own folder, HOME and log file. {@link #close()} sends SIGTERM, waits, then kills.
 */
public final class ActorProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final Path dir;

  private ActorProcess(String name, Process process, Path log, Path dir) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.dir = dir;
  }

  /** Starts {@code bin/<program> args...} in {@code dir}, logging to {@code dir/<name>.log}. */
  public static ActorProcess start(
      String name, Path dir, Map<String, String> env, String program, String... args)
      throws IOException {
    return startIn(List.of(), name, dir, env, program, args);
  }

  /**
   * As {@link #start(String, Path, Map, String, String...)}, the launcher run behind {@code
   * prefix}: e.g. {@code ip netns exec NAME} for a host of its own ({@link NetnsHost#exec()}).
   */
  public static ActorProcess startIn(
      List<String> prefix,
      String name,
      Path dir,
      Map<String, String> env,
      String program,
      String... args)
      throws IOException {
    Files.createDirectories(dir);
    Path home = Files.createDirectories(dir.resolve("home"));
    List<String> command = new ArrayList<>(prefix);
    command.add(Repo.bin(program).toString());
    command.addAll(List.of(args));
    Path log = dir.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("HOME", home.toString());
    builder.environment().putAll(env);
    return new ActorProcess(name, builder.start(), log, dir);
  }

  /**
   * Starts {@code bin/portal serve} in {@code dir} on free ports ({@code --api} and {@code --sip}
   * port 0) with the given data folder and any further flags.
   */
  public static ActorProcess portal(Path dir, Path data, String... flags) throws IOException {
    List<String> args = new ArrayList<>(List.of("serve", "--data=" + data));
    args.addAll(List.of(flags));
    args.addAll(List.of("--api=127.0.0.1:0", "--sip=127.0.0.1:0"));
    return start("portal", dir, Map.of(), "portal", args.toArray(new String[0]));
  }

  /**
   * {@code portal user add USER --password-stdin --data=DATA}, run in {@code dir}; fails with the
   * command's output unless it exits 0.
   */
  public static void addPortalUser(Path dir, Path data, String user, String password)
      throws IOException, InterruptedException {
    Result added =
        run(
            dir,
            password + "\n",
            Duration.ofSeconds(60),
            "portal",
            "user",
            "add",
            user,
            "--password-stdin",
            "--data=" + data);
    if (added.exit() != 0) {
      throw new AssertionError(
          "portal user add " + user + " exited " + added.exit() + "\n" + added.output());
    }
  }

  /** Runs a short command to completion and returns its exit code and output. */
  public static Result run(Path dir, String stdin, Duration timeout, String program, String... args)
      throws IOException, InterruptedException {
    return runIn(List.of(), dir, stdin, timeout, program, args);
  }

  /** As {@link #run}, the launcher run behind {@code prefix} (e.g. {@code ip netns exec NAME}). */
  public static Result runIn(
      List<String> prefix, Path dir, String stdin, Duration timeout, String program, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(prefix);
    command.add(Repo.bin(program).toString());
    command.addAll(List.of(args));
    return runCommand(dir, stdin, timeout, Map.of(), command);
  }

  /** Runs any command to completion (for curl, openssl, bash) and returns its outcome. */
  public static Result runCommand(
      Path dir, String stdin, Duration timeout, Map<String, String> env, List<String> command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "run-", ".out");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "timed out after " + timeout + ": " + command + "\n" + Files.readString(out));
    }
    return new Result(process.exitValue(), Files.readString(out));
  }

  /** A finished command. */
  public record Result(int exit, String output) {}

  /** Waits until {@code file} exists and names this process's pid; fails with the log if not. */
  public ReadyFile awaitReady(Path file, Duration timeout)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + "\n" + tail());
      }
      if (Files.exists(file)) {
        ReadyFile ready = ReadyFile.read(file);
        if (ready.pid() == process.pid()) {
          return ready;
        }
      }
      process.waitFor(50, TimeUnit.MILLISECONDS);
    }
    throw new IllegalStateException(name + " not ready after " + timeout + "\n" + tail());
  }

  /** The process id. */
  public long pid() {
    return process.pid();
  }

  /** The actor's folder. */
  public Path dir() {
    return dir;
  }

  /** Completes when the process exits. */
  public CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /** The last 50 lines of the actor's log, for failure messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return "--- last lines of "
          + name
          + " ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 50), lines.size()));
    } catch (IOException e) {
      return "(no log for " + name + ")";
    }
  }

  /** Kills the process at once, as a power cut would. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
