package io.doorpair.ipgw.supervisor;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The b2b as a child process of {@code ipgw}, supervised: started when the gateway is paired (its
 * {@code b2b.conf} exists) and the owner has not stopped it; restarted after a backoff (1 s
 * doubling up to 60 s, back to 1 s once it ran a minute) when it dies without being asked to;
 * stopped with SIGTERM (SIGKILL after 10 s) by the owner's kill switch or when {@code ipgw} stops.
 *
 * <ul>
 *   <li>The owner's choice survives restarts of {@code ipgw}: a stop writes {@code
 *       DATA/b2b-stopped}, a start removes it.
 *   <li>{@code DATA/b2b.pid} holds the child's pid. If {@code ipgw} was killed ({@code kill -9})
 *       its orphaned b2b would hold the ports; at start a b2b still running under that pid (its
 *       command line naming the b2b) is stopped first, so that exactly one runs.
 *   <li>The child's standard output and error are appended to {@code DATA/b2b.log}.
 *   <li>{@link #reload} sends SIGHUP to the child (the b2b rereads {@code acl.list} and the
 *       accounts); should a b2b without a SIGHUP handler exit on it, the supervisor restarts it.
 *   <li>{@link #restart} (the gateway was paired again) stops the child and starts it at once on
 *       the new {@code agent.pem}, {@code b2b.conf} and DOMAIN.
 * </ul>
 */
public final class ChildB2b implements B2bService {
  /** The owner's stop, in the data folder. */
  public static final String STOPPED_FILE = "b2b-stopped";

  /** The child's pid, in the data folder. */
  public static final String PID_FILE = "b2b.pid";

  /** The child's output, in the data folder. */
  public static final String LOG_FILE = "b2b.log";

  /** The child's ready file ({@code --ready}), in the data folder. */
  public static final String READY_FILE = "b2b-ready.json";

  /** The exit code of a JVM ended by SIGHUP (128 + 1). */
  private static final int EXIT_ON_SIGHUP = 129;

  private static final Logger LOG = LoggerFactory.getLogger(ChildB2b.class);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
  private static final Duration HEALTHY = Duration.ofSeconds(60);
  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final long TICK_MILLIS = 200;

  private final List<String> command;
  private final List<Path> required;
  private final Path dataDir;
  private final Clock clock;

  private boolean wanted;
  private boolean closed;
  private Process process;
  private Instant startedAt;
  private Instant nextStart = Instant.EPOCH;
  private int failures;
  private B2bState state;
  private Thread thread;

  private boolean ready;
  private boolean restarting;
  private boolean reloadPending;
  private Instant hupSentAt;

  private ChildB2b(List<String> command, List<Path> required, Path dataDir, Clock clock) {
    this.command = List.copyOf(command);
    this.required = List.copyOf(required);
    this.dataDir = dataDir;
    this.clock = clock;
  }

  /**
   * The command that runs the b2b from this JVM's own class path ({@code java -cp CLASSPATH
   * io.doorpair.b2b.Main serve --root ROOT}): {@code ipgw}'s jar carries the b2b and its libraries.
   *
   * @param root the gateway's root
   * @return the command
   */
  public static List<String> javaCommand(Path root) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(
        java,
        "-Xms32m",
        "-Xmx128m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-cp",
        System.getProperty("java.class.path"),
        "io.doorpair.b2b.Main",
        "serve",
        "--root",
        root.toString());
  }

  /**
   * Starts supervising: stops a b2b orphaned by a killed {@code ipgw}, then runs the child unless
   * the owner stopped it.
   *
   * @param command the b2b's command line (e.g. {@link #javaCommand} or {@code bin/b2b serve --root
   *     ROOT})
   * @param required the files that must all exist before the b2b can run (those of a paired
   *     gateway); {@code --ready DATA/b2b-ready.json} is appended to the command
   * @param dataDir where the stop mark, pid file and log live
   * @param clock for backoffs
   * @return the running supervisor
   */
  public static ChildB2b start(
      List<String> command, List<Path> required, Path dataDir, Clock clock) {
    ChildB2b b2b =
        new ChildB2b(
            Objects.requireNonNull(command, "command"),
            Objects.requireNonNull(required, "required"),
            Objects.requireNonNull(dataDir, "dataDir"),
            Objects.requireNonNull(clock, "clock"));
    if (command.isEmpty()) {
      throw new IllegalArgumentException("empty b2b command");
    }
    b2b.stopOrphan();
    synchronized (b2b) {
      b2b.wanted = !Files.exists(dataDir.resolve(STOPPED_FILE));
      b2b.state = b2b.idleState();
    }
    b2b.thread = new Thread(b2b::loop, "ipgw-b2b-supervisor");
    b2b.thread.setDaemon(true);
    b2b.thread.start();
    return b2b;
  }

  @Override
  public synchronized B2bState state() {
    return state;
  }

  @Override
  public synchronized void start() {
    try {
      Files.deleteIfExists(dataDir.resolve(STOPPED_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear the b2b stop mark", e);
    }
    wanted = true;
    failures = 0;
    nextStart = Instant.EPOCH;
    LOG.info("b2b: started by the owner");
    tick();
    notifyAll();
  }

  @Override
  public void stop() {
    Process running;
    synchronized (this) {
      try {
        Files.writeString(
            dataDir.resolve(STOPPED_FILE), "stopped by the owner\n", StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the b2b stop mark", e);
      }
      wanted = false;
      running = process;
      LOG.info("b2b: stopped by the owner");
    }
    if (running != null) {
      terminate(running);
    }
    synchronized (this) {
      tick();
    }
  }

  @Override
  public void reload() {
    synchronized (this) {
      if (process == null || !process.isAlive()) {
        return;
      }
      if (!ready) {
        reloadPending = true; // sent once it is ready
        return;
      }
      hangUp();
    }
  }

  /**
   * The gateway was paired again: the child (holding the previous {@code agent.pem} and DOMAIN) is
   * stopped like the owner's stop (SIGTERM, SIGKILL after 10 s) and started again at once, without
   * counting as a crash; one waiting in a backoff starts at once. A b2b the owner stopped stays
   * stopped (it reads the new files when started).
   */
  @Override
  public void restart() {
    Process running;
    synchronized (this) {
      if (!wanted || closed) {
        return;
      }
      running = process;
      restarting = running != null;
      failures = 0;
      nextStart = Instant.EPOCH;
      if (running != null) {
        state =
            new B2bState(
                B2bState.Status.STARTING,
                Optional.of(running.pid()),
                "restarting: the gateway was paired again");
      }
      LOG.info("b2b: restarting for the new pairing");
    }
    if (running != null) {
      terminate(running);
    }
    synchronized (this) {
      tick();
      notifyAll();
    }
  }

  /** SIGHUP to the ready child. Holds the lock. */
  private void hangUp() {
    long pid = process.pid();
    reloadPending = false;
    try {
      Process kill =
          new ProcessBuilder("kill", "-HUP", Long.toString(pid))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!kill.waitFor(5, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
      }
      hupSentAt = clock.instant();
      LOG.info("b2b: SIGHUP sent to pid {}", pid);
    } catch (IOException e) {
      LOG.warn("b2b: cannot send SIGHUP to pid {}", pid, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    Process running;
    synchronized (this) {
      closed = true;
      running = process;
      notifyAll();
    }
    if (running != null) {
      terminate(running);
    }
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop() {
    synchronized (this) {
      while (!closed) {
        tick();
        try {
          wait(TICK_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
      reap();
      state = new B2bState(B2bState.Status.STOPPED, Optional.empty(), "ipgw stopped");
    }
  }

  /** One look: reaps a dead child, starts one when wanted and due. Holds the lock. */
  private void tick() {
    Instant now = clock.instant();
    if (process != null && !process.isAlive()) {
      int exit = process.exitValue();
      long pid = process.pid();
      reap();
      boolean hungUp =
          exit == EXIT_ON_SIGHUP && hupSentAt != null && hupSentAt.plusSeconds(30).isAfter(now);
      hupSentAt = null;
      boolean asked = restarting;
      restarting = false;
      if (wanted && !closed && asked) {
        nextStart = now;
        state =
            new B2bState(
                B2bState.Status.STARTING,
                Optional.empty(),
                "restarting: pid " + pid + " stopped for the new pairing");
        LOG.info("b2b: pid {} stopped for the new pairing: starting it again", pid);
      } else if (wanted && !closed && hungUp) {
        nextStart = now;
        state =
            new B2bState(
                B2bState.Status.STARTING,
                Optional.empty(),
                "restarting: pid " + pid + " ended on SIGHUP (this b2b does not reload on SIGHUP)");
        LOG.info("b2b: pid {} ended on SIGHUP: restarting it to reload", pid);
      } else if (wanted && !closed) {
        failures++;
        Duration wait = backoff(failures);
        nextStart = now.plus(wait);
        state =
            new B2bState(
                B2bState.Status.CRASHED,
                Optional.empty(),
                "pid "
                    + pid
                    + " exited with code "
                    + exit
                    + "; restarting in "
                    + wait.toSeconds()
                    + " s ("
                    + failures
                    + " in a row)");
        LOG.warn("b2b: pid {} exited with code {}: restarting in {}", pid, exit, wait);
      } else {
        state = idleState();
      }
    }
    if (process != null && !ready && isReady(process.pid())) {
      ready = true;
      state =
          new B2bState(
              B2bState.Status.RUNNING, Optional.of(process.pid()), "supervised child process");
      LOG.info("b2b: pid {} ready", process.pid());
      if (reloadPending) {
        hangUp();
      }
    }
    if (process != null && failures > 0 && startedAt.plus(HEALTHY).isBefore(now)) {
      failures = 0;
    }
    if (wanted && !closed && process == null && !now.isBefore(nextStart)) {
      if (!paired()) {
        state = idleState();
        return;
      }
      launch(now);
    }
  }

  private void launch(Instant now) {
    try {
      Path log = dataDir.resolve(LOG_FILE);
      Path readyFile = dataDir.resolve(READY_FILE);
      Files.deleteIfExists(readyFile);
      List<String> line = new ArrayList<>(command);
      line.add("--ready");
      line.add(readyFile.toString());
      ready = false;
      reloadPending = false;
      ProcessBuilder pb =
          new ProcessBuilder(line)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      process = pb.start();
      startedAt = now;
      writePid(process.pid());
      state =
          new B2bState(
              B2bState.Status.STARTING, Optional.of(process.pid()), "started, not ready yet");
      LOG.info("b2b: started, pid {}", process.pid());
    } catch (IOException e) {
      failures++;
      Duration wait = backoff(failures);
      nextStart = now.plus(wait);
      state =
          new B2bState(
              B2bState.Status.CRASHED,
              Optional.empty(),
              "cannot start (" + e.getMessage() + "); retrying in " + wait.toSeconds() + " s");
      LOG.warn("b2b: cannot start {}: retrying in {}", command.get(0), wait, e);
    }
  }

  private void reap() {
    process = null;
    ready = false;
    try {
      Files.deleteIfExists(dataDir.resolve(PID_FILE));
    } catch (IOException e) {
      LOG.warn("b2b: cannot remove {}", PID_FILE, e);
    }
  }

  private B2bState idleState() {
    if (!wanted) {
      return new B2bState(B2bState.Status.STOPPED, Optional.empty(), "stopped by the owner");
    }
    if (!paired()) {
      return new B2bState(
          B2bState.Status.STOPPED, Optional.empty(), "waiting for the gateway to be paired");
    }
    return new B2bState(B2bState.Status.STOPPED, Optional.empty(), "starting");
  }

  private boolean paired() {
    return required.stream().allMatch(Files::exists);
  }

  /** The child wrote its ready file, naming its own pid. */
  private boolean isReady(long pid) {
    try {
      Path f = dataDir.resolve(READY_FILE);
      return Files.isRegularFile(f)
          && Files.readString(f, StandardCharsets.UTF_8).contains("\"pid\":" + pid);
    } catch (IOException e) {
      return false;
    }
  }

  private static Duration backoff(int failures) {
    long seconds = FIRST_BACKOFF.toSeconds() << Math.min(failures - 1, 6);
    return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
  }

  private static void terminate(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("b2b: pid {} ignored SIGTERM for {}: killing it", p.pid(), GRACE);
        p.destroyForcibly();
        p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void writePid(long pid) throws IOException {
    Path file = dataDir.resolve(PID_FILE);
    Path temp = dataDir.resolve(PID_FILE + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(
        temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, pid + "\n", StandardCharsets.US_ASCII);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Stops a b2b left running by a killed ipgw (its pid file, and a command line of a b2b). */
  private void stopOrphan() {
    Path file = dataDir.resolve(PID_FILE);
    try {
      if (!Files.isRegularFile(file)) {
        return;
      }
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      Files.deleteIfExists(file);
      if (!text.matches("[1-9][0-9]{0,9}")) {
        return;
      }
      Optional<ProcessHandle> handle = ProcessHandle.of(Long.parseLong(text));
      if (handle.isEmpty() || !handle.get().isAlive() || !looksLikeB2b(handle.get())) {
        return;
      }
      LOG.warn("b2b: pid {} left running by a previous ipgw: stopping it", text);
      handle.get().destroy();
      try {
        handle.get().onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        handle.get().destroyForcibly();
      } catch (java.util.concurrent.ExecutionException e) {
        LOG.warn("b2b: waiting for the orphan failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } catch (IOException e) {
      LOG.warn("b2b: cannot read {}", file, e);
    }
  }

  /**
   * Sends SIGHUP to the b2b a supervisor of {@code dataDir} runs (from {@code DATA/b2b.pid}, only
   * when that process is alive and its command line is a b2b's), so that it rereads its files after
   * another process (an {@code ipgw door} command) changed them.
   *
   * @param dataDir ipgw's data folder
   * @return true when a signal was sent
   */
  public static boolean reloadRunning(Path dataDir) {
    Path file = dataDir.resolve(PID_FILE);
    try {
      if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
          || Files.size(file) > 32) {
        return false;
      }
      long pid = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      if (handle.isEmpty() || !handle.get().isAlive() || !looksLikeB2b(handle.get())) {
        return false;
      }
      Process kill =
          new ProcessBuilder("kill", "-HUP", Long.toString(pid))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
    } catch (IOException | NumberFormatException e) {
      LOG.warn("b2b: cannot signal the b2b of {}: {}", file, e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean looksLikeB2b(ProcessHandle handle) {
    List<String> words = commandLine(handle.pid());
    return words.contains("io.doorpair.b2b.Main")
        || words.stream().anyMatch(w -> w.endsWith("b2b.jar"));
  }

  /**
   * A process's command line, from {@code /proc/PID/cmdline} (the JDK's {@code ProcessHandle.Info}
   * gives up on long ones, such as a JVM's class path), else from the JDK.
   *
   * @param pid the process
   * @return its words, empty when unknown
   */
  static List<String> commandLine(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid), "cmdline");
    try {
      if (Files.isReadable(proc)) {
        String text = new String(Files.readAllBytes(proc), StandardCharsets.UTF_8);
        List<String> words = new ArrayList<>();
        for (String w : text.split("\u0000")) {
          if (!w.isEmpty()) {
            words.add(w);
          }
        }
        return words;
      }
    } catch (IOException e) {
      // gone meanwhile, or not Linux: ask the JDK
    }
    List<String> words = new ArrayList<>();
    ProcessHandle.of(pid)
        .ifPresent(
            h -> {
              h.info().command().ifPresent(words::add);
              h.info().arguments().ifPresent(a -> words.addAll(List.of(a)));
            });
    return words;
  }
}
