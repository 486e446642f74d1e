package io.doorpair.ipgw.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** A port the OS calls free right now (for a child process that must be told its port). */
public final class FreePorts {
  private FreePorts() {}

  /** A free TCP port on loopback. */
  public static int tcp() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
