package io.doorpair.e2e.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The test's side of a {@link DoorStationMain} process in a host: one command, one answer. */
public final class RemoteDoorStation implements AutoCloseable {
  private static final String EOF = "\u0000eof";
  private final Process process;
  private final Path log;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private RemoteDoorStation(Process process, Path log) {
    this.process = process;
    this.log = log;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the process ended
              }
              lines.add(EOF);
            },
            "door-station-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts a door station in {@code host}, on its address, that registers {@code user@domain} at
   * the internal SIP server {@code sipHost:sipPort} (UDP), and waits until it is registered.
   *
   * @param password its password, given on standard input (never on a command line)
   * @param log its error output
   * @return the registered door station
   */
  public static RemoteDoorStation start(
      NetnsHost host,
      Path log,
      String sipHost,
      int sipPort,
      String domain,
      String user,
      String password)
      throws IOException, InterruptedException {
    Process process =
        JavaInHost.start(
            host,
            log,
            DoorStationMain.class,
            sipHost,
            Integer.toString(sipPort),
            domain,
            user,
            host.address());
    RemoteDoorStation door = new RemoteDoorStation(process, log);
    try {
      OutputStream in = process.getOutputStream();
      in.write((password + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
      String first = door.next(Duration.ofSeconds(150));
      if (!first.equals("registered")) {
        throw new IllegalStateException("the door station did not register: " + first);
      }
      return door;
    } catch (IOException | InterruptedException | RuntimeException e) {
      door.close();
      throw e;
    }
  }

  /**
   * Sends one command and returns its answer.
   *
   * @param command e.g. {@code call-answered}
   * @param timeout a generous deadline
   * @return the answer line
   */
  public String command(String command, Duration timeout) throws IOException, InterruptedException {
    OutputStream in = process.getOutputStream();
    in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
    return next(timeout);
  }

  private String next(Duration timeout) throws InterruptedException {
    String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null || line.equals(EOF)) {
      throw new IllegalStateException(
          "the door station " + (line == null ? "did not answer" : "ended") + "\n" + errors());
    }
    return line;
  }

  private String errors() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
