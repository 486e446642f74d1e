package io.doorpair.sipedge.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The one connection to a linphone-daemon's {@code --pipe} Unix socket (it serves one client at a
 * time, and queues events only while a client is connected). One command at a time: the daemon
 * takes each read as one command, so a second command sent before the first is answered could be
 * merged into it.
 *
 * <p>Replies have no terminator: {@code Status: Ok|Error}, maybe {@code Reason: ...}, then maybe a
 * blank line and a body that ends with a blank line. A reply is complete when it ends with a blank
 * line, or when it is only status and reason lines and nothing more arrives for a short while. The
 * daemon writes each reply with one {@code send}, so replies are not split in practice.
 */
final class DaemonSocket implements AutoCloseable {
  private static final long QUIET_MILLIS = 150;
  private static final int MAX_REPLY = 1 << 20;

  private final SocketChannel channel;
  private final Selector selector;
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

  private DaemonSocket(SocketChannel channel, Selector selector) {
    this.channel = channel;
    this.selector = selector;
  }

  /**
   * Connects to the socket at {@code path}, retrying until it accepts.
   *
   * @param alive false once the daemon has exited (then waiting is pointless)
   */
  static DaemonSocket connect(Path path, Duration deadline, BooleanSupplier alive)
      throws IOException {
    long end = System.nanoTime() + deadline.toNanos();
    IOException last = null;
    while (System.nanoTime() < end && alive.getAsBoolean()) {
      if (Files.exists(path)) {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
          channel.connect(UnixDomainSocketAddress.of(path));
          channel.configureBlocking(false);
          Selector selector = Selector.open();
          channel.register(selector, SelectionKey.OP_READ);
          return new DaemonSocket(channel, selector);
        } catch (IOException e) {
          last = e;
          channel.close();
        }
      }
      pause(50);
    }
    throw new IOException(
        "linphone-daemon socket " + path + " did not accept a connection in time", last);
  }

  /**
   * Sends one command line and returns the daemon's reply.
   *
   * @throws IOException when the daemon closes the socket or does not answer within {@code timeout}
   */
  synchronized String command(String line, Duration timeout) throws IOException {
    if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("one command line only");
    }
    ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    try {
      while (out.hasRemaining()) {
        channel.write(out);
      }
    } catch (IOException e) {
      throw new IOException("linphone-daemon's socket is closed: cannot send '" + line + "'", e);
    }
    ByteArrayOutputStream reply = new ByteArrayOutputStream();
    long end = System.nanoTime() + timeout.toNanos();
    boolean maybeComplete = false;
    while (true) {
      long waitMillis = maybeComplete ? QUIET_MILLIS : (end - System.nanoTime()) / 1_000_000;
      if (waitMillis <= 0) {
        throw new IOException("no reply to '" + line + "' in time; got: " + text(reply));
      }
      selector.selectedKeys().clear();
      if (selector.select(waitMillis) == 0) {
        if (maybeComplete) {
          return text(reply);
        }
        continue;
      }
      buffer.clear();
      int read = channel.read(buffer);
      if (read < 0) {
        if (reply.size() > 0) {
          return text(reply); // e.g. "quit": the reply, then the daemon closes
        }
        throw new IOException("linphone-daemon closed its socket during '" + line + "'");
      }
      reply.write(buffer.array(), 0, read);
      if (reply.size() > MAX_REPLY) {
        throw new IOException("reply to '" + line + "' exceeds " + MAX_REPLY + " bytes");
      }
      String text = text(reply);
      if (text.endsWith("\n\n")) {
        return text;
      }
      maybeComplete = text.endsWith("\n") && statusOnly(text);
    }
  }

  private static boolean statusOnly(String text) {
    for (String row : text.split("\n")) {
      if (!row.startsWith("Status: ") && !row.startsWith("Reason: ")) {
        return false;
      }
    }
    return true;
  }

  private static String text(ByteArrayOutputStream bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static void pause(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      selector.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
