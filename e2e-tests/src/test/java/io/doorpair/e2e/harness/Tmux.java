package io.doorpair.e2e.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A terminal a test types into and reads from, as a user would: a tmux server of the test's own
 * (its own socket, so no other tmux is touched) running one shell in a pane of 160 x 50.
 */
public final class Tmux implements AutoCloseable {
  private final Path dir;
  private final Path socket;

  private Tmux(Path dir, Path socket) {
    this.dir = dir;
    this.socket = socket;
  }

  /**
   * Starts a shell in a new tmux server.
   *
   * @param dir the working folder (the socket lives here)
   * @param env extra environment for the shell
   * @return the terminal
   */
  public static Tmux start(Path dir, Map<String, String> env)
      throws IOException, InterruptedException {
    // A socket path must stay under 108 bytes: a short temporary folder of its own.
    Path socketDir =
        Files.createTempDirectory(
            "tmux-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Tmux tmux = new Tmux(dir, socketDir.resolve("s"));
    List<String> command = new ArrayList<>(List.of("new-session", "-d", "-x", "160", "-y", "50"));
    for (Map.Entry<String, String> e : env.entrySet()) {
      command.addAll(List.of("-e", e.getKey() + "=" + e.getValue()));
    }
    command.addAll(List.of("bash", "--norc", "--noprofile"));
    tmux.tmux(command.toArray(new String[0]));
    return tmux;
  }

  /**
   * Types a line and Enter.
   *
   * @param line what to type
   */
  public void type(String line) throws IOException, InterruptedException {
    tmux("send-keys", "-t", "0", "-l", line);
    tmux("send-keys", "-t", "0", "Enter");
  }

  /**
   * Presses a key as tmux names it, e.g. {@code C-c}.
   *
   * @param key the key
   */
  public void press(String key) throws IOException, InterruptedException {
    tmux("send-keys", "-t", "0", key);
  }

  /**
   * The visible screen and its scrollback.
   *
   * @return the text
   */
  public String screen() throws IOException, InterruptedException {
    return tmux("capture-pane", "-p", "-J", "-S", "-500", "-t", "0");
  }

  /**
   * Waits until the screen shows a match of {@code pattern}.
   *
   * @param pattern what to wait for
   * @param timeout a generous deadline
   * @return the match
   */
  public Matcher await(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    String screen = "";
    while (Instant.now().isBefore(deadline)) {
      screen = screen();
      Matcher m = pattern.matcher(screen);
      if (m.find()) {
        return m;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "the terminal never showed /" + pattern + "/ after " + timeout + ":\n" + screen);
  }

  /**
   * Clears the screen and its scrollback (as {@code clear} and tmux's {@code clear-history}), so
   * that what a later {@link #await} finds was printed after this.
   */
  public void clear() throws IOException, InterruptedException {
    type("clear");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (screen().lines().filter(l -> !l.isBlank()).count() > 1
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    tmux("clear-history", "-t", "0");
  }

  private String tmux(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
    command.addAll(List.of(args));
    ActorProcess.Result result =
        ActorProcess.runCommand(dir, "", Duration.ofSeconds(30), Map.of(), command);
    if (result.exit() != 0) {
      throw new IllegalStateException("tmux " + List.of(args) + ": " + result.output());
    }
    return result.output();
  }

  /** Ends this tmux server (and the shell in it). */
  @Override
  public void close() {
    try {
      tmux("kill-server");
    } catch (IOException | InterruptedException | RuntimeException e) {
      // Already gone.
    }
    try {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(socket.getParent());
    } catch (IOException e) {
      // Left in the temporary folder.
    }
  }
}
