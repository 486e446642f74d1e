package io.doorpair.b2b.doorsim;

import io.doorpair.crypto.SipPassword;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code door-sim}: a simulated door station on the gateway's internal SIP server. The first line
 * of standard input (or of {@code --password-file}) is its SIP password (as {@code ipgw door add}
 * printed it); then each line is a command: empty or {@code ring} calls {@code ipgw@DOMAIN}, {@code
 * hangup} ends that call, {@code quit} stops. Calls from phones are answered at once; the door-open
 * DTMF prints "door opened".
 */
@Command(
    name = "door-sim",
    mixinStandardHelpOptions = true,
    description =
        "A simulated door station. First line of stdin: its SIP password. Then Enter (or ring)"
            + " rings the gateway, hangup ends the call, quit stops.")
public final class Main implements Callable<Integer> {
  private static final Duration RETRY = Duration.ofSeconds(2);
  private static final Duration REFRESH = Duration.ofSeconds(300);

  @Option(names = "--domain", required = true, description = "the gateway DOMAIN")
  String domain;

  @Option(
      names = "--user",
      defaultValue = "door1",
      description = "the door's SIP username (default ${DEFAULT-VALUE})")
  String user;

  @Option(
      names = "--server",
      defaultValue = "127.0.0.1:5070",
      paramLabel = "HOST:PORT",
      description = "the internal SIP server, UDP (default ${DEFAULT-VALUE})")
  String server;

  @Option(
      names = "--open-digit",
      defaultValue = "#",
      description = "the DTMF digit that opens the door (default ${DEFAULT-VALUE})")
  char openDigit;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description =
          "read the password from the first line of FILE (private to its owner) instead of stdin")
  Path passwordFile;

  private final PrintStream out = System.out;

  private Main() {}

  /**
   * Runs the simulator until {@code quit}, the end of input, or a signal.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!domain.matches("[a-z0-9]{12}") || !user.matches("[A-Za-z0-9._-]{1,64}")) {
      System.err.println("door-sim: --domain must be 12 of [a-z0-9], --user a plain SIP username");
      return 2;
    }
    InetSocketAddress address = address(server);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    if (passwordFile != null) {
      if (!Files.isRegularFile(passwordFile)
          || Files.getPosixFilePermissions(passwordFile).stream()
              .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
        System.err.println(
            "door-sim: --password-file " + passwordFile + " must be a file only its owner reads");
        return 2;
      }
      line =
          Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream()
              .findFirst()
              .orElse(null);
    } else {
      line = in.readLine();
    }
    if (line == null || line.isBlank()) {
      System.err.println("door-sim: no password (the first line of stdin or of --password-file)");
      return 2;
    }
    SipPassword password = SipPassword.of(line.strip());
    DoorStation door = registerUntilDone(address, password);
    say("registered " + user + "@" + domain + " at " + server);
    say("press Enter to ring ipgw@" + domain + "; type hangup to end a call, quit to stop");
    try (DoorSim sim = new DoorSim(door, "ipgw", openDigit, this::say)) {
      Thread refresher = new Thread(() -> refresh(door), "door-sim-refresh");
      refresher.setDaemon(true);
      refresher.start();
      while ((line = in.readLine()) != null) {
        String command = line.strip();
        try {
          if (command.isEmpty() || command.equals("ring")) {
            sim.ring();
          } else if (command.equals("hangup")) {
            sim.hangUp();
          } else if (command.equals("quit")) {
            break;
          } else {
            say("unknown command; Enter or ring, hangup, quit");
          }
        } catch (IOException | RuntimeException e) {
          say("error: " + e.getMessage());
        }
      }
      refresher.interrupt();
    }
    return 0;
  }

  private DoorStation registerUntilDone(InetSocketAddress address, SipPassword password)
      throws InterruptedException {
    String last = "";
    while (true) {
      try {
        return DoorStation.register(address, domain, user, password, Duration.ofSeconds(10));
      } catch (IOException | RuntimeException e) {
        String reason = e.getMessage();
        if (!reason.equals(last)) {
          say(
              "not registered yet ("
                  + reason
                  + "); trying again every "
                  + RETRY.toSeconds()
                  + " s");
          last = reason;
        }
        Thread.sleep(RETRY.toMillis());
      }
    }
  }

  private void refresh(DoorStation door) {
    while (true) {
      try {
        Thread.sleep(REFRESH.toMillis());
        door.reRegister();
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        say("registration refresh failed: " + e.getMessage());
      }
    }
  }

  private synchronized void say(String text) {
    out.println("door-sim: " + text);
    out.flush();
  }

  private static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--server must be HOST:PORT");
    }
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }
}
