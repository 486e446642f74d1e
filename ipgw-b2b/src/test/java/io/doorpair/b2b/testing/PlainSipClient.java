package io.doorpair.b2b.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A door station's SIP, written by hand: raw SIP text over UDP or TCP on loopback (the internal leg
 * has no TLS), one request and its final response at a time.
 */
public final class PlainSipClient implements AutoCloseable {
  private static final Pattern CONTENT_LENGTH =
      Pattern.compile("(?im)^(?:content-length|l)\\s*:\\s*(\\d+)\\s*$");
  private final DatagramSocket udp;
  private final Socket tcp;
  private final InetSocketAddress server;

  private PlainSipClient(DatagramSocket udp, Socket tcp, InetSocketAddress server) {
    this.udp = udp;
    this.tcp = tcp;
    this.server = server;
  }

  /** A UDP client. */
  public static PlainSipClient udp(InetSocketAddress server) throws IOException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    socket.setSoTimeout(10_000);
    return new PlainSipClient(socket, null, server);
  }

  /** A TCP client. */
  public static PlainSipClient tcp(InetSocketAddress server) throws IOException {
    Socket socket = new Socket();
    socket.connect(server, 5000);
    socket.setSoTimeout(10_000);
    return new PlainSipClient(null, socket, server);
  }

  /** {@code udp} or {@code tcp}. */
  public String transport() {
    return udp != null ? "udp" : "tcp";
  }

  /** The local port. */
  public int localPort() {
    return udp != null ? udp.getLocalPort() : tcp.getLocalPort();
  }

  /** Sends {@code text} and returns the first final response (1xx skipped). */
  public String send(String text) throws IOException {
    write(text);
    while (true) {
      String response = receive();
      if (!response.startsWith("SIP/2.0 1")) {
        return response;
      }
    }
  }

  /** Waits for the next message (a request sent to this client, or a response). */
  public String receive() throws IOException {
    return read();
  }

  /** Writes {@code text} to the server as it is. */
  public void write(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (udp != null) {
      udp.send(new DatagramPacket(bytes, bytes.length, server));
    } else {
      OutputStream out = tcp.getOutputStream();
      out.write(bytes);
      out.flush();
    }
  }

  private String read() throws IOException {
    if (udp != null) {
      byte[] buffer = new byte[65536];
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      udp.receive(packet);
      return new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
    }
    InputStream in = tcp.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed by the server");
      }
      head.append((char) c);
      if (head.toString().equals("\r\n")) {
        head.setLength(0);
      }
    }
    Matcher m = CONTENT_LENGTH.matcher(head);
    int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
    byte[] body = in.readNBytes(length);
    return head + new String(body, StandardCharsets.UTF_8);
  }

  /** The value of the first header {@code name} in {@code message}, or empty. */
  public static String header(String message, String name) {
    for (String line : message.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).strip();
      }
    }
    return "";
  }

  /** The status code of a response. */
  public static int status(String response) {
    return Integer.parseInt(response.substring(8, 11));
  }

  @Override
  public void close() throws IOException {
    if (udp != null) {
      udp.close();
    } else {
      tcp.close();
    }
  }
}
