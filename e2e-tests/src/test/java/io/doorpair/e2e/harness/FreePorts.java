package io.doorpair.e2e.harness;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;

/** Ports for a server that a test names before the server starts. */
public final class FreePorts {
  /** Below Linux's ephemeral range (32768-60999), where no outgoing connection takes a port. */
  private static final int LOW = 20_000;

  private static final int HIGH = 32_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private FreePorts() {}

  /**
   * A loopback port free for both UDP and TCP now, drawn below the ephemeral range: a port the
   * system handed out as port 0 may be taken by any outgoing connection (the test's own clients,
   * the portal's) before a server started seconds later binds it.
   *
   * @return the port
   */
  public static int udpAndTcp() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int i = 0; i < 200; i++) {
      int port = LOW + RANDOM.nextInt(HIGH - LOW);
      try (ServerSocket tcp = new ServerSocket();
          DatagramSocket udp = new DatagramSocket(null)) {
        tcp.bind(new InetSocketAddress(loopback, port), 1);
        udp.bind(new InetSocketAddress(loopback, port));
        return port;
      } catch (IOException e) {
        // taken: draw another
      }
    }
    throw new IOException("no port free for both UDP and TCP");
  }
}
