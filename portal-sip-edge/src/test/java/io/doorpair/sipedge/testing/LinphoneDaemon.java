package io.doorpair.sipedge.testing;

import io.doorpair.crypto.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Linphone device for tests: one {@code linphone-daemon} process (Debian {@code
 * linphone-cli}, liblinphone 5.1) with its own HOME, a generated linphonerc ({@link
 * LinphoneConfig}) and the one connection to its command socket, polled for events.
 *
 * <p>What Linphone needs, learnt the hard way: {@code $HOME/.local/share/linphone/} must exist or
 * it never registers; the key file must be unencrypted; the command socket ({@code --pipe NAME},
 * created as {@code /tmp/NAME}) serves one client at a time and queues events only while that
 * client is connected, so the harness connects at once and keeps the connection; it speaks TLS 1.2
 * only.
 *
 * <p>Every wait has a generous deadline ({@link #DEADLINE}) that only a failure reaches; its error
 * quotes the end of the daemon's log (which holds the SIP messages). {@link #close()} quits the
 * daemon (killing it if it lingers) and deletes its HOME.
 */
public final class LinphoneDaemon implements AutoCloseable {
  /** How long any wait lasts before it is a failure. */
  public static final Duration DEADLINE = Duration.ofSeconds(30);

  /** Registration state once the registrar has answered 200. */
  public static final String REGISTRATION_OK = "LinphoneRegistrationOk";

  /** Registration state after a refusal or a transport failure. */
  public static final String REGISTRATION_FAILED = "LinphoneRegistrationFailed";

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 100;
  private static final int LOG_TAIL_LINES = 80;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final LinphoneConfig config;
  private final Path home;
  private final Path socketPath;
  private final Process process;
  private final DaemonSocket socket;
  private final List<CallEvent> events = new ArrayList<>();
  private final List<ToneEvent> tones = new ArrayList<>();

  private LinphoneDaemon(
      LinphoneConfig config, Path home, Path socketPath, Process process, DaemonSocket socket) {
    this.config = config;
    this.home = home;
    this.socketPath = socketPath;
    this.process = process;
    this.socket = socket;
  }

  /**
   * Starts a daemon for {@code config} and connects to its command socket. Skips the test (fails it
   * in CI) when {@code linphone-daemon} is not installed.
   */
  public static LinphoneDaemon start(LinphoneConfig config) throws IOException {
    return launch(config, Optional.empty(), "", List.of());
  }

  /**
   * Starts a daemon for {@code config} with {@code extraRc} appended to its linphonerc (more
   * sections, e.g. digest credentials for a gateway's realm, or keys of {@code [sip]} again, which
   * Linphone merges into the section). Skips the test (fails it in CI) when {@code linphone-daemon}
   * is not installed.
   */
  public static LinphoneDaemon start(LinphoneConfig config, String extraRc) throws IOException {
    return launch(config, Optional.empty(), extraRc, List.of());
  }

  /**
   * Starts a daemon on a linphonerc written by someone else (e.g. {@code welcome linphonerc}),
   * whose files it names stay where they are. {@code config} describes the same device, for {@link
   * #config()} and error messages only. Skips the test (fails it in CI) when {@code
   * linphone-daemon} is not installed.
   */
  public static LinphoneDaemon startWith(LinphoneConfig config, Path linphonerc)
      throws IOException {
    return launch(config, Optional.of(linphonerc), "", List.of());
  }

  /**
   * As {@link #startWith(LinphoneConfig, Path)}, the daemon run behind {@code launcher}, e.g.
   * {@code ip netns exec NAME} for a host of its own (the launcher must exec the daemon, keeping
   * its pid; the command socket is a file under {@code /tmp}, which such a host shares).
   */
  public static LinphoneDaemon startWith(
      LinphoneConfig config, Path linphonerc, List<String> launcher) throws IOException {
    return launch(config, Optional.of(linphonerc), "", List.copyOf(launcher));
  }

  private static LinphoneDaemon launch(
      LinphoneConfig config, Optional<Path> givenRc, String extraRc, List<String> launcher)
      throws IOException {
    Path program = Peers.require("linphone-daemon", "linphone-cli");
    Path home = Files.createTempDirectory("doorpair-linphone-");
    Process process = null;
    try {
      Files.createDirectories(home.resolve(".local/share/linphone"));
      Path rc;
      if (givenRc.isPresent()) {
        rc = givenRc.get();
      } else {
        Path chain = write(home, "client-chain.pem", pems(config.chain()), false);
        Path key = write(home, "client-key.pem", Pem.privateKey(config.key()), true);
        Path ca = write(home, "root-ca.pem", Pem.certificate(config.rootCa()), false);
        rc = write(home, "linphonerc", config.linphonerc(chain, key, ca) + "\n" + extraRc, true);
      }
      String pipe = "doorpair-linphone-" + HexFormat.of().formatHex(randomBytes());
      Path socketPath = Path.of("/tmp", pipe);
      List<String> command = new ArrayList<>(launcher);
      command.addAll(
          List.of(
              program.toString(),
              "--config",
              rc.toString(),
              "--pipe",
              pipe,
              "--log",
              home.resolve("daemon.log").toString(),
              "--disable-stats-events"));
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(home.toFile())
              .redirectErrorStream(true)
              .redirectOutput(home.resolve("stdout.log").toFile())
              .redirectInput(ProcessBuilder.Redirect.PIPE);
      builder.environment().put("HOME", home.toString());
      process = builder.start();
      Process started = process;
      DaemonSocket socket = DaemonSocket.connect(socketPath, DEADLINE, started::isAlive);
      return new LinphoneDaemon(config, home, socketPath, process, socket);
    } catch (IOException | RuntimeException e) {
      String log = tail(home);
      if (process != null) {
        stop(process);
      }
      deleteTree(home);
      throw new IOException("linphone-daemon for " + config.aor() + " did not start\n" + log, e);
    }
  }

  /** The device's configuration. */
  public LinphoneConfig config() {
    return config;
  }

  /** The registration state of the device's proxy ({@code LinphoneRegistration...}). */
  public String registrationState() {
    Map<String, String> reply = fields(command("register-status ALL"));
    return Optional.ofNullable(reply.get("State")).orElse("none");
  }

  /** Waits until the registration state is {@code state}. */
  public void awaitRegistrationState(String state) {
    await("registration state " + state, () -> state.equals(registrationState()));
  }

  /**
   * Waits until the registration is settled, ok or failed, and returns that state (a device whose
   * handshake is refused may go through progress and failed several times; any failure counts).
   */
  public String awaitRegistrationOutcome() {
    String[] seen = new String[1];
    await(
        "registration ok or failed",
        () -> {
          seen[0] = registrationState();
          return REGISTRATION_OK.equals(seen[0]) || REGISTRATION_FAILED.equals(seen[0]);
        });
    return seen[0];
  }

  /** Places a call to {@code uri} ({@code sip:user@domain}) and returns the daemon's call id. */
  public int call(String uri) {
    if (!uri.matches("sips?:[A-Za-z0-9._@;=:-]+")) {
      throw new IllegalArgumentException("a plain SIP URI: " + uri);
    }
    return callId(ok(command("call " + uri), "call " + uri));
  }

  /** Answers the incoming call {@code callId}. */
  public void answer(int callId) {
    ok(command("answer " + callId), "answer " + callId);
  }

  /** Hangs up (or cancels, or declines) the call {@code callId}. */
  public void terminate(int callId) {
    ok(command("terminate " + callId), "terminate " + callId);
  }

  /** Sends the DTMF {@code digit} (0-9, *, #) in the current call, as the linphonerc says. */
  public void dtmf(char digit) {
    if ("0123456789*#".indexOf(digit) < 0) {
      throw new IllegalArgumentException("a DTMF digit: " + digit);
    }
    ok(command("dtmf " + digit), "dtmf " + digit);
  }

  /** The call's state as the daemon reports it now ({@code LinphoneCall...}), if it has it. */
  public Optional<String> callState(int callId) {
    String reply = command("call-status " + callId);
    if (!reply.startsWith("Status: Ok")) {
      return Optional.empty();
    }
    return Optional.ofNullable(fields(reply).get("State"));
  }

  /** Waits for a call-state event {@code state} (of any call) and returns the first such event. */
  public CallEvent awaitCallState(String state) {
    return awaitEvent("call state " + state, e -> e.state().equals(state));
  }

  /** Waits for a call-state event {@code state} of call {@code callId}. */
  public CallEvent awaitCallState(int callId, String state) {
    return awaitEvent(
        "call " + callId + " state " + state, e -> e.callId() == callId && e.state().equals(state));
  }

  /** Waits until an event seen so far or arriving before the deadline matches {@code wanted}. */
  public CallEvent awaitEvent(String what, Predicate<CallEvent> wanted) {
    CallEvent[] found = new CallEvent[1];
    await(
        what,
        () -> {
          drainEvents();
          found[0] = events.stream().filter(wanted).findFirst().orElse(null);
          return found[0] != null;
        });
    return found[0];
  }

  /** Every call-state event popped so far, oldest first. */
  public List<CallEvent> events() {
    drainEvents();
    return List.copyOf(events);
  }

  /**
   * Every DTMF the daemon received so far ({@code receiving-tone} events: by SIP INFO or RFC 4733),
   * oldest first.
   */
  public List<ToneEvent> tones() {
    drainEvents();
    return List.copyOf(tones);
  }

  /** Waits until the daemon has received the DTMF {@code tone} in call {@code callId}. */
  public ToneEvent awaitTone(int callId, char tone) {
    ToneEvent[] found = new ToneEvent[1];
    await(
        "DTMF " + tone + " received in call " + callId,
        () -> {
          drainEvents();
          found[0] =
              tones.stream()
                  .filter(t -> t.callId() == callId && t.tone() == tone)
                  .findFirst()
                  .orElse(null);
          return found[0] != null;
        });
    return found[0];
  }

  /** The daemon's log (with every SIP message it sent and received). */
  public String log() {
    try {
      Path log = home.resolve("daemon.log");
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last lines of the daemon's log and output, for failure messages. */
  public String logTail() {
    return tail(home);
  }

  private void drainEvents() {
    while (true) {
      Map<String, String> reply = fields(command("pop-event"));
      if ("call-state-changed".equals(reply.get("Event-type"))) {
        events.add(
            new CallEvent(
                Integer.parseInt(reply.getOrDefault("Id", "-1")),
                reply.getOrDefault("Event", ""),
                reply.getOrDefault("From", "")));
      } else if ("receiving-tone".equals(reply.get("Event-type"))) {
        String tone = reply.getOrDefault("Tone", "");
        tones.add(
            new ToneEvent(
                Integer.parseInt(reply.getOrDefault("Id", "-1")),
                tone.isEmpty() ? '?' : tone.charAt(0)));
      }
      if (!reply.containsKey("Event-type") || "0".equals(reply.get("Size"))) {
        return;
      }
    }
  }

  private void await(String what, java.util.function.BooleanSupplier condition) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            config.aor() + ": linphone-daemon exited while waiting for " + what + "\n" + logTail());
      }
      if (System.nanoTime() > end) {
        throw new AssertionError(
            config.aor()
                + ": no "
                + what
                + " within "
                + DEADLINE.toSeconds()
                + " s; events "
                + events
                + ", tones "
                + tones
                + "\n"
                + logTail());
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }

  private String command(String line) {
    try {
      return socket.command(line, COMMAND_TIMEOUT);
    } catch (IOException e) {
      throw new AssertionError(config.aor() + ": " + e.getMessage() + "\n" + logTail(), e);
    }
  }

  private String ok(String reply, String what) {
    if (!reply.startsWith("Status: Ok")) {
      throw new AssertionError(config.aor() + ": '" + what + "' failed: " + reply.strip());
    }
    return reply;
  }

  private static int callId(String reply) {
    String id = fields(reply).get("Id");
    if (id == null) {
      throw new AssertionError("no call id in: " + reply.strip());
    }
    return Integer.parseInt(id);
  }

  /** {@code Key: value} rows of a reply; the first occurrence of a key wins. */
  static Map<String, String> fields(String reply) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String row : reply.split("\n")) {
      int colon = row.indexOf(": ");
      if (colon > 0) {
        fields.putIfAbsent(row.substring(0, colon), row.substring(colon + 2));
      } else if (row.endsWith(":")) {
        fields.putIfAbsent(row.substring(0, row.length() - 1), "");
      }
    }
    return fields;
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        socket.command("quit", Duration.ofSeconds(3));
      }
    } catch (IOException | RuntimeException e) {
      // the process is stopped below anyway
    }
    socket.close();
    stop(process);
    try {
      Files.deleteIfExists(socketPath);
    } catch (IOException e) {
      // a stale socket file in /tmp is harmless
    }
    deleteTree(home);
  }

  private static void stop(Process process) {
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static Path write(Path home, String name, String text, boolean secret)
      throws IOException {
    Path file = home.resolve(name);
    if (secret) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static String pems(List<X509Certificate> chain) {
    return chain.stream().map(Pem::certificate).collect(Collectors.joining());
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static String tail(Path home) {
    StringBuilder out = new StringBuilder();
    for (String name : List.of("stdout.log", "daemon.log")) {
      Path file = home.resolve(name);
      try {
        if (Files.exists(file)) {
          List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
          out.append("--- last lines of linphone-daemon ").append(name).append(" ---\n");
          lines
              .subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())
              .forEach(l -> out.append(l).append('\n'));
        }
      } catch (IOException | UncheckedIOException e) {
        out.append("(").append(name).append(" unreadable: ").append(e.getMessage()).append(")\n");
      }
    }
    return out.toString();
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // best effort: a temp folder left behind
                }
              });
    } catch (IOException e) {
      // best effort
    }
  }

  /**
   * One call-state event of the daemon.
   *
   * @param callId the daemon's call id
   * @param state the state ({@code LinphoneCallIncomingReceived}, {@code LinphoneCallEnd}, ...)
   * @param from the remote party as the daemon shows it
   */
  public record CallEvent(int callId, String state, String from) {}

  /**
   * One DTMF the daemon received ({@code receiving-tone}).
   *
   * @param callId the daemon's id of the call it arrived in
   * @param tone the digit ({@code 0-9}, {@code *}, {@code #}, {@code A-D})
   */
  public record ToneEvent(int callId, char tone) {}
}
