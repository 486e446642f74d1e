package io.doorpair.sipedge.testing;

import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.crypto.tls.TlsMaterial;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The project's own TLS SIP test peer (Debian's sipp has no TLS): a JSSE socket that writes SIP
 * text, and a reader thread that parses whatever arrives, responses and requests alike, so that a
 * client can be a caller, a callee and a gateway. {@link #send} writes a request and waits for its
 * first final response; {@link #awaitRequest} and {@link #awaitResponse} wait for a message,
 * keeping the others for later calls. Waiting is bounded by a generous deadline (a failure guard
 * only).
 */
public final class SipTlsClient implements AutoCloseable {
  private static final long DEADLINE_MS = 30_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SSLSocket socket;
  private final OutputStream out;
  private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private final List<Message> kept = new ArrayList<>();
  private IOException ended;
  private final StringBuilder keepAlive = new StringBuilder(); // CR/LF bytes between messages

  private SipTlsClient(SSLSocket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    InputStream in = socket.getInputStream();
    Thread reader = new Thread(() -> readLoop(in), "sip-tls-client-reader");
    reader.setDaemon(true);
    reader.start();
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
    socket.setSoTimeout(0); // the reader waits for the server; callers wait with deadlines
    socket.startHandshake();
    return new SipTlsClient(socket);
  }

  /**
   * Connects from the local port {@code localPort} of 127.0.0.1 (a port below the ephemeral range
   * is never taken by another connection meanwhile, so a test can listen on it after this client is
   * gone).
   */
  public static SipTlsClient connectFrom(
      int localPort, InetSocketAddress server, Optional<Leaf> identity, X509Certificate ca)
      throws IOException {
    SSLSocket socket = (SSLSocket) context(identity, ca).getSocketFactory().createSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), localPort));
    socket.connect(server);
    socket.setEnabledProtocols(TlsMaterial.protocols());
    socket.setSoTimeout(0);
    socket.startHandshake();
    return new SipTlsClient(socket);
  }

  /** The flow the server sees for this connection, {@code tls:<ip>:<port>}. */
  public String flow() {
    return "tls:" + socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
  }

  /** The local port of this connection. */
  public int localPort() {
    return socket.getLocalPort();
  }

  /** The negotiated protocol, e.g. {@code TLSv1.3}. */
  public String protocol() {
    return socket.getSession().getProtocol();
  }

  /** Sends {@code request} and waits for the first final response (skipping 1xx). */
  public Response send(String request) throws IOException {
    write(request);
    return awaitResponse(r -> r.status() >= 200);
  }

  /** Writes SIP text as it is. */
  public void write(String text) throws IOException {
    synchronized (out) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  /** Waits for a request with {@code method}; other messages are kept for later. */
  public Request awaitRequest(String method) throws IOException {
    return (Request)
        await(m -> m instanceof Request && ((Request) m).method().equalsIgnoreCase(method));
  }

  /** Waits for a response with {@code status}; other messages are kept for later. */
  public Response awaitResponse(int status) throws IOException {
    return awaitResponse(r -> r.status() == status);
  }

  /** Waits for a response satisfying {@code condition}; other messages are kept for later. */
  public Response awaitResponse(Predicate<Response> condition) throws IOException {
    return (Response) await(m -> m instanceof Response && condition.test((Response) m));
  }

  /**
   * Waits up to {@code millis} for a message satisfying {@code condition}.
   *
   * @return the message, or empty when none came in time
   */
  public Optional<Message> poll(Predicate<Message> condition, long millis) throws IOException {
    return find(condition, millis);
  }

  private Message await(Predicate<Message> condition) throws IOException {
    return find(condition, DEADLINE_MS)
        .orElseThrow(
            () -> new IOException("no matching SIP message within " + DEADLINE_MS + " ms"));
  }

  private synchronized Optional<Message> find(Predicate<Message> condition, long millis)
      throws IOException {
    for (Iterator<Message> it = kept.iterator(); it.hasNext(); ) {
      Message m = it.next();
      if (condition.test(m)) {
        it.remove();
        return Optional.of(m);
      }
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (true) {
      if (ended != null) {
        throw new IOException(ended.getMessage(), ended);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      Object next;
      try {
        next = inbox.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      if (next == null) {
        return Optional.empty();
      }
      if (next instanceof IOException) {
        ended = (IOException) next;
        continue;
      }
      Message m = (Message) next;
      if (condition.test(m)) {
        return Optional.of(m);
      }
      kept.add(m);
    }
  }

  /**
   * Sends an RFC 5626 keep-alive ping (CRLFCRLF) and returns the first two CR/LF bytes that came
   * back between messages (the pong is CRLF).
   */
  public String ping() throws IOException {
    synchronized (keepAlive) {
      keepAlive.setLength(0);
    }
    write("\r\n\r\n");
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
    while (System.nanoTime() < deadline) {
      synchronized (keepAlive) {
        if (keepAlive.length() >= 2) {
          return keepAlive.substring(0, 2);
        }
      }
      poll(m -> false, 20); // throws when the connection ended
    }
    throw new IOException("no keep-alive pong within " + DEADLINE_MS + " ms");
  }

  /**
   * Waits until the server closes the connection (end of stream or reset); false when the deadline
   * passed first (a failure guard only). Messages that arrive meanwhile are kept.
   */
  public boolean awaitClosedByServer() {
    try {
      poll(m -> false, DEADLINE_MS);
      return false;
    } catch (IOException closed) {
      return true;
    }
  }

  private void readLoop(InputStream in) {
    try {
      while (true) {
        inbox.add(read(in, keepAlive));
      }
    } catch (IOException e) {
      inbox.add(e);
    } catch (RuntimeException e) {
      inbox.add(new IOException("unreadable SIP message: " + e, e));
    }
  }

  private static Message read(InputStream in, StringBuilder keepAlive) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the server closed the connection");
      }
      if (head.size() == 0 && (b == '\r' || b == '\n')) {
        synchronized (keepAlive) {
          keepAlive.append((char) b); // keep-alive CRLFs
        }
        continue;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > 65536) {
        throw new IOException("message head too long");
      }
    }
    String text = head.toString(StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(List.of(text.split("\r\n")));
    String start = lines.remove(0);
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
    String[] parts = start.split(" ", 3);
    if (start.startsWith("SIP/2.0 ")) {
      return new Response(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", lines);
    }
    return new Request(
        parts[0],
        parts.length > 1 ? parts[1] : "",
        lines,
        new String(body, StandardCharsets.UTF_8));
  }

  /**
   * Answers {@code request} as a UAS: Via, From, To (with {@code toTag} added when it has none),
   * Call-ID, CSeq and, for 1xx/2xx, Record-Route copied; then {@code extra} header lines.
   */
  public void reply(Request request, int status, String reason, String toTag, String... extra)
      throws IOException {
    write(response(request, status, reason, toTag, extra));
  }

  /** The text {@link #reply} writes, to write several responses at once. */
  public static String response(
      Request request, int status, String reason, String toTag, String... extra) {
    StringBuilder sb = new StringBuilder();
    sb.append("SIP/2.0 ").append(status).append(' ').append(reason).append("\r\n");
    for (String line : request.headers()) {
      String name = name(line);
      if (name.equals("via")
          || name.equals("from")
          || name.equals("call-id")
          || name.equals("cseq")
          || (name.equals("record-route") && status < 300)) {
        sb.append(line).append("\r\n");
      } else if (name.equals("to")) {
        sb.append(line);
        if (!line.toLowerCase(Locale.ROOT).contains(";tag=") && status > 100) {
          sb.append(";tag=").append(toTag);
        }
        sb.append("\r\n");
      }
    }
    for (String line : extra) {
      sb.append(line).append("\r\n");
    }
    sb.append("Content-Length: 0\r\n\r\n");
    return sb.toString();
  }

  private static String name(String line) {
    int colon = line.indexOf(':');
    return colon < 0 ? "" : line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /**
   * Drops the connection with a TCP reset (no TLS close, no TIME_WAIT: the local port is free at
   * once), as a device that vanishes behind its NAT.
   */
  public void abort() throws IOException {
    socket.setSoLinger(true, 0);
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

  /**
   * An in-dialog request as SIP text (a fresh Via branch, Max-Forwards 70).
   *
   * @param method the method
   * @param requestUri the remote target (the peer's Contact URI)
   * @param routes the route set, one URI per entry, in order
   * @param from the whole From header value, tag included
   * @param to the whole To header value, tag included
   * @param callId the dialog's Call-ID
   * @param cseq the CSeq number
   */
  public static String inDialog(
      String method,
      String requestUri,
      List<String> routes,
      String from,
      String to,
      String callId,
      int cseq) {
    StringBuilder sb = new StringBuilder();
    sb.append(method).append(' ').append(requestUri).append(" SIP/2.0\r\n");
    sb.append("Via: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bK")
        .append(token())
        .append(";rport\r\n");
    sb.append("Max-Forwards: 70\r\n");
    for (String route : routes) {
      sb.append("Route: <").append(route).append(">\r\n");
    }
    sb.append("From: ").append(from).append("\r\n");
    sb.append("To: ").append(to).append("\r\n");
    sb.append("Call-ID: ").append(callId).append("\r\n");
    sb.append("CSeq: ").append(cseq).append(' ').append(method).append("\r\n");
    sb.append("Content-Length: 0\r\n\r\n");
    return sb.toString();
  }

  /**
   * The CANCEL of an INVITE sent as {@code invite} (same Request-URI, top Via, From, To, Call-ID
   * and CSeq number).
   */
  public static String cancelOf(String invite) {
    String[] lines = invite.split("\r\n");
    String uri = lines[0].split(" ")[1];
    StringBuilder sb = new StringBuilder();
    sb.append("CANCEL ").append(uri).append(" SIP/2.0\r\n");
    boolean via = false;
    for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
      String name = name(lines[i]);
      if (name.equals("via") && !via) {
        via = true;
        sb.append(lines[i]).append("\r\n");
      } else if (name.equals("from") || name.equals("to") || name.equals("call-id")) {
        sb.append(lines[i]).append("\r\n");
      } else if (name.equals("cseq")) {
        String number = lines[i].substring(lines[i].indexOf(':') + 1).trim().split(" ")[0];
        sb.append("CSeq: ").append(number).append(" CANCEL\r\n");
      }
    }
    sb.append("Max-Forwards: 70\r\n");
    sb.append("Content-Length: 0\r\n\r\n");
    return sb.toString();
  }

  /**
   * The ACK of a non-2xx final response to an INVITE sent as {@code invite} (hop-by-hop: same
   * Request-URI and top Via, To from {@code response}).
   */
  public static String ackOf(String invite, Response response) {
    String[] lines = invite.split("\r\n");
    String uri = lines[0].split(" ")[1];
    StringBuilder sb = new StringBuilder();
    sb.append("ACK ").append(uri).append(" SIP/2.0\r\n");
    boolean via = false;
    for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
      String name = name(lines[i]);
      if (name.equals("via") && !via) {
        via = true;
        sb.append(lines[i]).append("\r\n");
      } else if (name.equals("from") || name.equals("call-id")) {
        sb.append(lines[i]).append("\r\n");
      } else if (name.equals("cseq")) {
        String number = lines[i].substring(lines[i].indexOf(':') + 1).trim().split(" ")[0];
        sb.append("CSeq: ").append(number).append(" ACK\r\n");
      }
    }
    sb.append("To: ").append(response.first("To")).append("\r\n");
    sb.append("Max-Forwards: 70\r\n");
    sb.append("Content-Length: 0\r\n\r\n");
    return sb.toString();
  }

  /** The URI inside a name-addr header value: what is between {@code <} and {@code >}. */
  public static String uriOf(String nameAddr) {
    int open = nameAddr.indexOf('<');
    int close = nameAddr.indexOf('>', open + 1);
    return open < 0 || close < 0 ? nameAddr.trim() : nameAddr.substring(open + 1, close);
  }

  /** A message read from the server. */
  public sealed interface Message permits Request, Response {
    /** The header lines as received. */
    List<String> headers();

    /** The values of the header lines named {@code name} (case-insensitive), in order. */
    default List<String> header(String name) {
      List<String> found = new ArrayList<>();
      String wanted = name.toLowerCase(Locale.ROOT);
      for (String line : headers()) {
        if (name(line).equals(wanted)) {
          found.add(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      return found;
    }

    /** The value of the first header named {@code name}, or an empty string. */
    default String first(String name) {
      List<String> all = header(name);
      return all.isEmpty() ? "" : all.get(0);
    }
  }

  /** A request: method, Request-URI, header lines as received, body. */
  public record Request(String method, String uri, List<String> headers, String body)
      implements Message {}

  /** A response: status, reason, header lines as received. */
  public record Response(int status, String reason, List<String> headers) implements Message {}
}
