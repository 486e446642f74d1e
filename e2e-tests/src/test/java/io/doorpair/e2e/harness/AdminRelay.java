package io.doorpair.e2e.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * How the test, in the machine's own namespace, reaches a TCP service that listens only inside a
 * host (the gateway's admin site on the gateway host's loopback, as the owner's browser on that LAN
 * would): a listener on this machine's loopback whose connections go through a Unix socket to a
 * {@link UnixSocketBridge} process in the host, which connects to the service there. No interface
 * of the machine is touched.
 */
public final class AdminRelay implements AutoCloseable {
  private final ServerSocket listener;
  private final Process bridge;
  private final Path socketDir;
  private final Thread acceptor;

  private AdminRelay(ServerSocket listener, Process bridge, Path socketDir) {
    this.listener = listener;
    this.bridge = bridge;
    this.socketDir = socketDir;
    this.acceptor = new Thread(this::acceptLoop, "admin-relay");
    this.acceptor.setDaemon(true);
    this.acceptor.start();
  }

  /**
   * Relays this machine's {@code 127.0.0.1:}{@link #port()} to {@code host}'s {@code address:port}.
   *
   * @param host the host
   * @param address the service's address inside the host
   * @param port its port
   * @param log the bridge process's error log
   * @return the relay, once the bridge listens
   */
  public static AdminRelay start(NetnsHost host, String address, int port, Path log)
      throws IOException, InterruptedException {
    // a socket path must stay under 108 bytes: a short temporary folder of its own
    Path socketDir =
        Files.createTempDirectory(
            "dp-relay-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path socket = socketDir.resolve("s");
    Process bridge =
        JavaInHost.start(
            host, log, UnixSocketBridge.class, socket.toString(), address, Integer.toString(port));
    BufferedReader out =
        new BufferedReader(new InputStreamReader(bridge.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    if (!"listening".equals(first)) {
      bridge.destroyForcibly();
      throw new IllegalStateException(
          "the bridge in " + host.namespace() + " did not start: " + first + "\n" + tail(log));
    }
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    return new AdminRelay(listener, bridge, socketDir);
  }

  private static String tail(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** The port on this machine's loopback. */
  public int port() {
    return listener.getLocalPort();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        SocketChannel upstream =
            SocketChannel.open(UnixDomainSocketAddress.of(socketDir.resolve("s")));
        Pipe.start(
            "admin-relay-up",
            Channels.newChannel(client.getInputStream()),
            upstream,
            () -> shutdownOutput(upstream));
        Pipe.start(
            "admin-relay-down",
            upstream,
            Channels.newChannel(client.getOutputStream()),
            () -> close(client));
      } catch (IOException e) {
        // closed, or one connection failed: the client sees it closed
      }
    }
  }

  private static void shutdownOutput(SocketChannel channel) {
    try {
      channel.shutdownOutput();
    } catch (IOException e) {
      // already closed
    }
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    bridge.destroy();
    try {
      if (!bridge.waitFor(10, TimeUnit.SECONDS)) {
        bridge.destroyForcibly();
      }
    } catch (InterruptedException e) {
      bridge.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(socketDir.resolve("s"));
    Files.deleteIfExists(socketDir);
  }
}
