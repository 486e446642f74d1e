package io.doorpair.e2e.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run inside a host's namespace ({@code ip netns exec NAME java ... UnixSocketBridge SOCKET HOST
 * PORT}): accepts connections on the Unix socket {@code SOCKET} (a file, so reachable from the
 * test's own namespace) and relays each to {@code HOST:PORT} as seen from inside that host. Prints
 * {@code listening} once the socket exists.
 */
public final class UnixSocketBridge {
  private UnixSocketBridge() {}

  /**
   * The bridge.
   *
   * @param args the socket file, the host and the port
   */
  public static void main(String[] args) throws IOException {
    Path socket = Path.of(args[0]);
    InetSocketAddress target = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
    Files.deleteIfExists(socket);
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      System.out.println("listening");
      System.out.flush();
      while (true) {
        SocketChannel client = server.accept();
        Socket upstream = new Socket();
        try {
          upstream.connect(target, 30_000);
        } catch (IOException e) {
          client.close();
          upstream.close();
          continue;
        }
        Pipe.start(
            "to-" + target,
            client,
            Channels.newChannel(upstream.getOutputStream()),
            () -> shutdownOutput(upstream));
        Pipe.start(
            "from-" + target,
            Channels.newChannel(upstream.getInputStream()),
            client,
            () -> shutdownOutput(client));
      }
    }
  }

  private static void shutdownOutput(Socket socket) {
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      // already closed
    }
  }

  private static void shutdownOutput(SocketChannel channel) {
    try {
      channel.shutdownOutput();
    } catch (IOException e) {
      // already closed
    }
  }
}
