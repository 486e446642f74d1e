package io.doorpair.sipedge.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;

/**
 * A TLS client that writes its first SIP request in the same socket write as its last handshake
 * flight, as a device whose TLS 1.3 Finished and first REGISTER leave together does (the server
 * reads both in one buffer). Driven by an {@link SSLEngine} over a plain socket, so that the bytes
 * of both go out in one write. With TLS 1.2 a client may send application data only after the
 * server's Finished, so there the request goes out alone, at once after it. One request, one
 * response: what the first request on such a connection gets is all it is for.
 */
public final class FirstFlightTlsClient implements AutoCloseable {
  private static final int TIMEOUT_MS = 30_000; // a failure guard only

  private final Socket socket;
  private final SSLEngine engine;
  private final InputStream in;
  private final OutputStream out;
  private ByteBuffer netIn;
  private ByteBuffer appIn;

  private FirstFlightTlsClient(Socket socket, SSLEngine engine) throws IOException {
    this.socket = socket;
    this.engine = engine;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    this.netIn.flip(); // empty, ready to be read from
    this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
  }

  /**
   * Connects to {@code server} with {@code context} offering only {@code protocol}, runs the
   * handshake and writes {@code request} together with the client's last handshake message.
   *
   * @return the client, for {@link #awaitStatusLine()}
   */
  public static FirstFlightTlsClient connect(
      InetSocketAddress server, SSLContext context, String protocol, String request)
      throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(server, TIMEOUT_MS);
    socket.setSoTimeout(TIMEOUT_MS);
    SSLEngine engine =
        context.createSSLEngine(server.getAddress().getHostAddress(), server.getPort());
    engine.setUseClientMode(true);
    engine.setEnabledProtocols(new String[] {protocol});
    FirstFlightTlsClient client = new FirstFlightTlsClient(socket, engine);
    try {
      client.handshakeThenSend(request.getBytes(StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
    return client;
  }

  private void handshakeThenSend(byte[] request) throws IOException {
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    ByteBuffer netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.beginHandshake();
    while (true) {
      switch (engine.getHandshakeStatus()) {
        case NOT_HANDSHAKING, FINISHED -> {
          // the client's side of the handshake is done: its last flight (TLS 1.3: Certificate,
          // CertificateVerify, Finished) and the request go out in one write
          ByteBuffer app = ByteBuffer.wrap(request);
          while (app.hasRemaining()) {
            netOut.clear();
            engine.wrap(app, netOut);
            netOut.flip();
            pending.write(netOut.array(), 0, netOut.limit());
          }
          out.write(pending.toByteArray());
          out.flush();
          return;
        }
        case NEED_WRAP -> {
          netOut.clear();
          engine.wrap(ByteBuffer.allocate(0), netOut);
          netOut.flip();
          pending.write(netOut.array(), 0, netOut.limit());
        }
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          if (pending.size() > 0) {
            out.write(pending.toByteArray());
            out.flush();
            pending.reset();
          }
          unwrapOnce();
        }
        case NEED_TASK -> runTasks();
      }
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
  }

  /** Unwraps one record, reading from the socket when none is complete. */
  private SSLEngineResult unwrapOnce() throws IOException {
    while (true) {
      SSLEngineResult result = engine.unwrap(netIn, appIn);
      switch (result.getStatus()) {
        case OK:
          return result;
        case BUFFER_UNDERFLOW:
          readMore();
          break;
        case BUFFER_OVERFLOW:
          ByteBuffer bigger =
              ByteBuffer.allocate(
                  appIn.capacity() + engine.getSession().getApplicationBufferSize());
          appIn.flip();
          bigger.put(appIn);
          appIn = bigger;
          break;
        default:
          throw new EOFException("the server closed the TLS connection");
      }
    }
  }

  private void readMore() throws IOException {
    netIn.compact();
    if (!netIn.hasRemaining()) {
      ByteBuffer bigger = ByteBuffer.allocate(netIn.capacity() * 2);
      netIn.flip();
      bigger.put(netIn);
      netIn = bigger;
    }
    int read = in.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
    if (read < 0) {
      throw new EOFException("the server closed the connection");
    }
    netIn.position(netIn.position() + read);
    netIn.flip();
  }

  /**
   * Reads until a whole message head arrived and returns its first line (e.g. {@code SIP/2.0 200
   * OK}).
   */
  public String awaitStatusLine() throws IOException {
    while (true) {
      String text = new String(appIn.array(), 0, appIn.position(), StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        return text.substring(0, text.indexOf("\r\n"));
      }
      SSLEngineResult result = unwrapOnce();
      if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
        runTasks();
      }
    }
  }

  /**
   * Waits until the server closes the connection (end of stream, close_notify or a reset): true, or
   * false when nothing happened within the failure guard (30 s).
   */
  public boolean awaitClosedByServer() {
    try {
      while (true) {
        unwrapOnce();
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
