package io.doorpair.e2e.harness;

import io.doorpair.b2b.testing.LanPhone;
import io.doorpair.crypto.SipPassword;
import io.doorpair.sipedge.testing.LinphoneDaemon;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A door station played by a real {@code linphone-daemon}: the account {@code bin/ipgw door add}
 * made ({@code NAME@DOMAIN}, digest, realm DOMAIN) registered over UDP at the b2b's embedded
 * internal SIP server, with that server as its outbound proxy (ipgw-b2b's {@link LanPhone}
 * linphonerc). Linphone's defaults stay as a door's firmware would have them: it takes DTMF by SIP
 * INFO or RFC 4733 and reports each as a {@code receiving-tone} event ({@link
 * LinphoneDaemon#tones()}).
 */
public final class LinphoneDoor {
  private LinphoneDoor() {}

  /**
   * Starts the door station and waits until it is registered. The b2b rereads its password file on
   * the SIGHUP that {@code ipgw door add} sends, so a first registration refused while it reloads
   * is tried again with a fresh daemon, until {@code deadline}.
   *
   * @param folder where its linphonerc goes (one subfolder per attempt)
   * @param name the door's SIP username
   * @param domain the gateway DOMAIN
   * @param password the password {@code ipgw door add} printed
   * @param internal the internal SIP server's UDP address
   * @param deadline how long registering may take in all
   * @return the registered door station
   */
  public static LinphoneDaemon register(
      Path folder,
      String name,
      String domain,
      SipPassword password,
      InetSocketAddress internal,
      Duration deadline)
      throws IOException, InterruptedException {
    return register(
        folder, name, domain, password, internal, deadline, List.of(), Optional.empty());
  }

  /**
   * As {@link #register(Path, String, String, SipPassword, InetSocketAddress, Duration)}, the
   * daemon running in {@code host} ({@code ip netns exec NAME linphone-daemon ...}), its SIP socket
   * on the host's address; its command socket and files are under {@code /tmp} and {@code folder},
   * which the host shares with the test.
   *
   * @param host the door's host, e.g. on the gateway's LAN
   * @return the registered door station
   */
  public static LinphoneDaemon register(
      Path folder,
      String name,
      String domain,
      SipPassword password,
      InetSocketAddress internal,
      Duration deadline,
      NetnsHost host)
      throws IOException, InterruptedException {
    return register(
        folder,
        name,
        domain,
        password,
        internal,
        deadline,
        host.exec(),
        Optional.of(host.address()));
  }

  private static LinphoneDaemon register(
      Path folder,
      String name,
      String domain,
      SipPassword password,
      InetSocketAddress internal,
      Duration deadline,
      List<String> launcher,
      Optional<String> local)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      Path attempt = Files.createTempDirectory(Files.createDirectories(folder), name + "-");
      LinphoneDaemon door =
          LanPhone.start(attempt, name, domain, password, internal, launcher, local);
      String outcome;
      try {
        outcome = door.awaitRegistrationOutcome();
      } catch (AssertionError | RuntimeException e) {
        door.close();
        throw e;
      }
      if (LinphoneDaemon.REGISTRATION_OK.equals(outcome)) {
        return door;
      }
      String log = door.logTail();
      door.close();
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "the door station "
                + name
                + "@"
                + domain
                + " could not register: "
                + outcome
                + "\n"
                + log);
      }
      Thread.sleep(1000);
    }
  }
}
