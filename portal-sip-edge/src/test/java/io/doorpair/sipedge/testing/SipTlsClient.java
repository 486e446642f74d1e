package io.doorpair.sipedge.testing;

import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.crypto.tls.TlsMaterial;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The project's own TLS SIP test peer: a JSSE socket that writes SIP text and reads one response
 * (Debian's sipp has no TLS). Generous read timeout as a failure guard only.
 */
public final class SipTlsClient implements AutoCloseable {
  private static final int READ_TIMEOUT_MS = 30_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SSLSocket socket;
  private final InputStream in;
  private final OutputStream out;

  private SipTlsClient(SSLSocket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects to {@code server} presenting {@code identity}, trusting only {@code ca}. */
  public static SipTlsClient connect(
      InetSocketAddress server, Optional<Leaf> identity, X509Certificate ca) throws IOException {
    return connect(server, identity, ca, TlsMaterial.protocols());
  }

  /**
   * As {@link #connect(InetSocketAddress, Optional, X509Certificate)}, offering only {@code
   * protocols}.
   */
  public static SipTlsClient connect(
      InetSocketAddress server, Optional<Leaf> identity, X509Certificate ca, String... protocols)
      throws IOException {
    return connect(server, context(identity, ca), protocols);
  }

  /** A client TLS context presenting {@code identity} and trusting only {@code ca}. */
  public static SSLContext context(Optional<Leaf> identity, X509Certificate ca) {
    return TlsMaterial.context(
        identity.map(
            leaf -> TlsMaterial.keyManager(leaf.keys().getPrivate(), List.of(leaf.certificate()))),
        TlsMaterial.trustManager(List.of(ca)));
  }

  /**
   * Connects with an existing context (several connections from one context resume the TLS
   * session).
   */
  public static SipTlsClient connect(
      InetSocketAddress server, SSLContext context, String... protocols) throws IOException {
    SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket(server.getAddress(), server.getPort());
    socket.setEnabledProtocols(protocols);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    socket.startHandshake();
    return new SipTlsClient(socket);
  }

  /** The flow the server sees for this connection, {@code tls:<ip>:<port>}. */
  public String flow() {
    return "tls:" + socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
  }

  /** The negotiated protocol, e.g. {@code TLSv1.3}. */
  public String protocol() {
    return socket.getSession().getProtocol();
  }

  /** Sends {@code request} and reads the first final response (skipping 1xx). */
  public Response send(String request) throws IOException {
    out.write(request.getBytes(StandardCharsets.UTF_8));
    out.flush();
    while (true) {
      Response response = read();
      if (response.status() >= 200) {
        return response;
      }
    }
  }

  /**
   * Sends an RFC 5626 keep-alive ping (CRLFCRLF) and returns what came back before the next byte
   * that is not CR or LF (the pong is CRLF).
   */
  public String ping() throws IOException {
    out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    StringBuilder pong = new StringBuilder();
    while (pong.length() < 2) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the server closed the connection");
      }
      pong.append((char) b);
    }
    return pong.toString();
  }

  /**
   * Waits until the server closes the connection (end of stream or reset), reading and discarding
   * anything it sends; false when the read timeout passed first (a failure guard only).
   */
  public boolean awaitClosedByServer() throws IOException {
    try {
      while (in.read() >= 0) {
        // discard
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (java.net.SocketException | javax.net.ssl.SSLException e) {
      return true;
    }
  }

  private Response read() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the server closed the connection");
      }
      if (head.size() == 0 && (b == '\r' || b == '\n')) {
        continue; // keep-alive CRLFs
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > 65536) {
        throw new IOException("response head too long");
      }
    }
    String text = head.toString(StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(List.of(text.split("\r\n")));
    String status = lines.remove(0);
    String[] parts = status.split(" ", 3);
    int length = 0;
    for (String line : lines) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:") || lower.startsWith("l:")) {
        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new EOFException("the server closed the connection in a body");
    }
    return new Response(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", lines);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** A fresh Via branch, tag or Call-ID. */
  public static String token() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /**
   * A request as SIP text.
   *
   * @param method the method
   * @param requestUri the Request-URI
   * @param from the whole From header value (without tag)
   * @param to the whole To header value
   * @param extra further header lines, each without CRLF
   */
  public static String request(
      String method, String requestUri, String from, String to, String... extra) {
    StringBuilder sb = new StringBuilder();
    sb.append(method).append(' ').append(requestUri).append(" SIP/2.0\r\n");
    sb.append("Via: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bK")
        .append(token())
        .append(";rport\r\n");
    sb.append("Max-Forwards: 70\r\n");
    sb.append("From: ").append(from).append(";tag=").append(token()).append("\r\n");
    sb.append("To: ").append(to).append("\r\n");
    sb.append("Call-ID: ").append(token()).append("\r\n");
    sb.append("CSeq: 1 ").append(method).append("\r\n");
    for (String line : extra) {
      sb.append(line).append("\r\n");
    }
    sb.append("Content-Length: 0\r\n\r\n");
    return sb.toString();
  }

  /** A response: status, reason, header lines as received. */
  public record Response(int status, String reason, List<String> headers) {
    /** The header lines whose name is {@code name} (case-insensitive). */
    public List<String> header(String name) {
      List<String> found = new ArrayList<>();
      String prefix = name.toLowerCase(Locale.ROOT) + ":";
      for (String line : headers) {
        if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
          found.add(line.substring(prefix.length()).trim());
        }
      }
      return found;
    }
  }
}
