package io.doorpair.bench.sip;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One mutual-TLS connection to the server (a blocking JSSE socket): SIP text out through {@link
 * #send} (one TLS record per call, so callers coalesce messages), SIP messages in through {@link
 * #readMessage} or a reader thread started by {@link #startReader}.
 */
final class SipConnection implements AutoCloseable {
  private static final int MAX_MESSAGE = 65536;
  final String user;
  final int localPort;
  private final SSLSocket socket;
  private final InputStream in;
  private final OutputStream out;
  private byte[] buffer = new byte[16384];
  private int filled;
  private volatile boolean closed;

  private SipConnection(String user, SSLSocket socket) throws IOException {
    this.user = user;
    this.socket = socket;
    this.localPort = socket.getLocalPort();
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /**
   * Connects and completes the TLS handshake: resumed when the context holds a session for the
   * server.
   */
  static SipConnection open(SSLContext tls, String user, InetSocketAddress server, int timeoutMs)
      throws IOException {
    SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(server, timeoutMs);
      socket.setSoTimeout(timeoutMs);
      socket.startHandshake();
      return new SipConnection(user, socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Connects with a full handshake, as a device that has no session to resume: the TLS layer goes
   * over the TCP socket under the peer name {@code device} (JSSE keys its client session cache by
   * peer name and port, so a name used once never finds a session; a name without a dot sends no
   * SNI). Cheaper for the load generator than a new context per connection.
   */
  static SipConnection openFull(
      SSLContext tls, String device, String user, InetSocketAddress server, int timeoutMs)
      throws IOException {
    java.net.Socket tcp = new java.net.Socket();
    try {
      tcp.setTcpNoDelay(true);
      tcp.connect(server, timeoutMs);
      tcp.setSoTimeout(timeoutMs);
      SSLSocket socket =
          (SSLSocket) tls.getSocketFactory().createSocket(tcp, device, server.getPort(), true);
      try {
        socket.setSoTimeout(timeoutMs);
        socket.startHandshake();
        return new SipConnection(user, socket);
      } catch (IOException | RuntimeException e) {
        socket.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      tcp.close();
      throw e;
    }
  }

  /** Writes the text as one TLS record. */
  void send(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    synchronized (out) {
      out.write(bytes);
      out.flush();
    }
  }

  /** Sets the blocking read timeout (0: none). */
  void readTimeout(int ms) throws IOException {
    socket.setSoTimeout(ms);
  }

  /**
   * Reads the next SIP message (keep-alive CRLFs skipped).
   *
   * @throws IOException on end of stream, a timeout or a message over 64 KiB
   */
  SipMessage readMessage() throws IOException {
    while (true) {
      int start = 0;
      while (start + 1 < filled && buffer[start] == '\r' && buffer[start + 1] == '\n') {
        start += 2;
      }
      if (start > 0) {
        consume(start);
      }
      int end = headEnd();
      if (end >= 0) {
        String head = new String(buffer, 0, end, StandardCharsets.ISO_8859_1);
        SipMessage message = SipMessage.parse(head);
        String length = message.header("content-length");
        int body = length.isEmpty() ? 0 : Integer.parseInt(length);
        int total = end + 4 + body;
        if (total > MAX_MESSAGE) {
          throw new IOException("message over 64 KiB");
        }
        if (filled >= total) {
          consume(total);
          return message;
        }
      }
      if (filled == buffer.length) {
        if (buffer.length >= MAX_MESSAGE) {
          throw new IOException("message over 64 KiB");
        }
        buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
      }
      int n = in.read(buffer, filled, buffer.length - filled);
      if (n < 0) {
        throw new IOException("connection closed by the server");
      }
      filled += n;
    }
  }

  private int headEnd() {
    for (int i = 0; i + 3 < filled; i++) {
      if (buffer[i] == '\r'
          && buffer[i + 1] == '\n'
          && buffer[i + 2] == '\r'
          && buffer[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void consume(int n) {
    System.arraycopy(buffer, n, buffer, 0, filled - n);
    filled -= n;
  }

  /** Starts a daemon thread handing every message read to {@code handler} until closed. */
  void startReader(Consumer<SipMessage> handler, Consumer<IOException> onError) throws IOException {
    socket.setSoTimeout(0);
    Thread reader =
        new Thread(
            () -> {
              try {
                while (!closed) {
                  handler.accept(readMessage());
                }
              } catch (IOException e) {
                if (!closed) {
                  onError.accept(e);
                }
              }
            },
            "sip-reader-" + user + "-" + localPort);
    reader.setDaemon(true);
    reader.start();
  }

  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
