package io.doorpair.b2b.testing;

import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.digest.DigestAuthorization;
import io.doorpair.crypto.digest.DigestChallenge;
import io.doorpair.crypto.digest.Ha1;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A door station on the gateway's LAN, played by raw SIP over one UDP socket: it registers with its
 * own digest credentials at the internal SIP server, calls through it (answering the proxy's {@code
 * 407}), answers calls, and sends ACK, BYE and CANCEL. Every message received is kept, so waits
 * look at the whole history (retransmissions included).
 */
public final class DoorStation implements AutoCloseable {
  /** How long a wait lasts before it is a failure. */
  public static final Duration DEADLINE = Duration.ofSeconds(30);

  /** An SDP offer with PCMU and telephone-event. */
  public static final String OFFER =
      "v=0\r\no=door 1 1 IN IP4 127.0.0.1\r\ns=door\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
          + "m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
          + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=sendrecv\r\n";

  private static final SecureRandom RANDOM = new SecureRandom();
  private final DatagramSocket socket;
  private final InetSocketAddress server;
  private final String domain;
  private final String user;
  private final SipPassword password;
  private final List<Received> received = new ArrayList<>();
  private final Thread reader;

  /**
   * One message received.
   *
   * @param text the SIP text
   * @param from where it came from
   */
  public record Received(String text, InetSocketAddress from) {
    /** The first line. */
    public String startLine() {
      return text.substring(0, text.indexOf("\r\n"));
    }

    /** Whether this is a request of {@code method}. */
    public boolean isRequest(String method) {
      return text.startsWith(method + " ");
    }

    /** The status of a response, 0 for a request. */
    public int status() {
      return text.startsWith("SIP/2.0 ") ? Integer.parseInt(text.substring(8, 11)) : 0;
    }

    /** The value of the first header {@code name}, or empty. */
    public String header(String name) {
      return PlainSipClient.header(text, name);
    }

    /** Whether this is a response to a request of {@code method}. */
    public boolean isResponseTo(String method) {
      return status() > 0 && header("CSeq").endsWith(" " + method);
    }

    /** The body. */
    public String body() {
      int end = text.indexOf("\r\n\r\n");
      return end < 0 ? "" : text.substring(end + 4);
    }
  }

  private DoorStation(
      DatagramSocket socket, InetSocketAddress server, String domain, String user, SipPassword pw) {
    this.socket = socket;
    this.server = server;
    this.domain = domain;
    this.user = user;
    this.password = pw;
    this.reader = new Thread(this::readLoop, "door-station-" + user);
    this.reader.setDaemon(true);
    this.reader.start();
  }

  /**
   * A door station that registers {@code user@domain} at {@code server} (UDP).
   *
   * @return the registered station
   */
  public static DoorStation register(
      InetSocketAddress server, String domain, String user, SipPassword password)
      throws IOException {
    return register(server, domain, user, password, InetAddress.getByName("127.0.0.1"));
  }

  /**
   * A door station on the address {@code local} (its Via and Contact name it) that registers {@code
   * user@domain} at {@code server} (UDP): a door on a LAN of its own.
   *
   * @return the registered station
   */
  public static DoorStation register(
      InetSocketAddress server, String domain, String user, SipPassword password, InetAddress local)
      throws IOException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0));
    DoorStation door = new DoorStation(socket, server, domain, user, password);
    String callId = token();
    int mark = door.mark();
    door.send(door.register(callId, 1, null), server);
    Received challenge = door.await("REGISTER challenge", mark, r -> r.status() == 401);
    mark = door.mark();
    door.send(
        door.register(
            callId,
            2,
            door.credentials(challenge.header("WWW-Authenticate"), "REGISTER", "sip:" + domain)),
        server);
    Received ok =
        door.await("REGISTER answer", mark, r -> r.status() >= 200 && r.isResponseTo("REGISTER"));
    if (ok.status() != 200) {
      throw new IOException("door registration refused: " + ok.startLine());
    }
    return door;
  }

  private String register(String callId, int cseq, String authorization) {
    return "REGISTER sip:"
        + domain
        + " SIP/2.0\r\n"
        + via()
        + "Max-Forwards: 70\r\nFrom: <sip:"
        + user
        + "@"
        + domain
        + ">;tag=r"
        + callId
        + "\r\nTo: <sip:"
        + user
        + "@"
        + domain
        + ">\r\nCall-ID: "
        + callId
        + "\r\nCSeq: "
        + cseq
        + " REGISTER\r\n"
        + contact()
        + "Expires: 600\r\n"
        + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
        + "Content-Length: 0\r\n\r\n";
  }

  private String via() {
    return "Via: SIP/2.0/UDP "
        + socket.getLocalAddress().getHostAddress()
        + ":"
        + socket.getLocalPort()
        + ";rport;branch=z9hG4bK"
        + token()
        + "\r\n";
  }

  private String contact() {
    return "Contact: <sip:"
        + user
        + "@"
        + socket.getLocalAddress().getHostAddress()
        + ":"
        + socket.getLocalPort()
        + ";transport=udp>\r\n";
  }

  private String credentials(String challengeHeader, String method, String uri) {
    DigestChallenge challenge = DigestChallenge.parseAll(challengeHeader).get(0);
    Ha1 ha1 =
        Ha1.compute(
            challenge.algorithm(), user, challenge.realm(), password.reveal().toCharArray());
    return DigestAuthorization.answer(challenge, user, ha1, method, uri, token(), 1)
        .toHeaderValue();
  }

  /**
   * A call the station placed.
   *
   * @param callId its Call-ID
   * @param fromTag its From tag
   * @param invite the INVITE as last sent
   */
  public record Outgoing(String callId, String fromTag, String invite) {}

  /**
   * Calls {@code target} (a user at the gateway DOMAIN) with {@link #OFFER}, answering the proxy's
   * {@code 407}.
   *
   * @return the call
   */
  public Outgoing call(String target) throws IOException {
    String callId = token();
    String tag = token();
    String uri = "sip:" + target + "@" + domain;
    int mark = mark();
    String first = invite(uri, callId, tag, 1, null);
    send(first, server);
    Received challenge =
        await(
            "407 to the INVITE",
            mark,
            r -> r.status() >= 200 && r.header("Call-ID").equals(callId));
    if (challenge.status() != 407) {
      throw new IOException("expected 407, got " + challenge.startLine());
    }
    send(ackOf(first, challenge), server);
    String second =
        invite(
            uri,
            callId,
            tag,
            2,
            credentials(challenge.header("Proxy-Authenticate"), "INVITE", uri));
    send(second, server);
    return new Outgoing(callId, tag, second);
  }

  private String invite(String uri, String callId, String tag, int cseq, String authorization) {
    return "INVITE "
        + uri
        + " SIP/2.0\r\n"
        + via()
        + "Max-Forwards: 70\r\nFrom: \"Front door\" <sip:"
        + user
        + "@"
        + domain
        + ">;tag="
        + tag
        + "\r\nTo: <"
        + uri
        + ">\r\nCall-ID: "
        + callId
        + "\r\nCSeq: "
        + cseq
        + " INVITE\r\n"
        + contact()
        + (authorization == null ? "" : "Proxy-Authorization: " + authorization + "\r\n")
        + "Content-Type: application/sdp\r\nContent-Length: "
        + OFFER.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + OFFER;
  }

  /** The hop-by-hop ACK of a non-2xx final response. */
  private static String ackOf(String invite, Received response) {
    String[] lines = invite.split("\r\n");
    StringBuilder sb = new StringBuilder("ACK " + lines[0].split(" ")[1] + " SIP/2.0\r\n");
    for (String line : lines) {
      String name =
          line.contains(":") ? line.substring(0, line.indexOf(':')).toLowerCase(Locale.ROOT) : "";
      if (name.equals("via")
          || name.equals("from")
          || name.equals("call-id")
          || name.equals("max-forwards")) {
        sb.append(line).append("\r\n");
      } else if (name.equals("cseq")) {
        sb.append("CSeq: ").append(line.substring(5).trim().split(" ")[0]).append(" ACK\r\n");
      }
    }
    sb.append("To: ").append(response.header("To")).append("\r\nContent-Length: 0\r\n\r\n");
    return sb.toString();
  }

  /** Sends CANCEL for the (authenticated) INVITE of {@code call}. */
  public void cancel(Outgoing call) throws IOException {
    String[] lines = call.invite().split("\r\n");
    StringBuilder sb = new StringBuilder("CANCEL " + lines[0].split(" ")[1] + " SIP/2.0\r\n");
    for (String line : lines) {
      String name =
          line.contains(":") ? line.substring(0, line.indexOf(':')).toLowerCase(Locale.ROOT) : "";
      if (name.equals("via")
          || name.equals("from")
          || name.equals("to")
          || name.equals("call-id")
          || name.equals("max-forwards")) {
        sb.append(line).append("\r\n");
      } else if (name.equals("cseq")) {
        sb.append("CSeq: ").append(line.substring(5).trim().split(" ")[0]).append(" CANCEL\r\n");
      }
    }
    sb.append("Content-Length: 0\r\n\r\n");
    send(sb.toString(), server);
  }

  /** ACKs the 2xx {@code ok} of {@code call}, directly to its Contact. */
  public void ack(Outgoing call, Received ok) throws IOException {
    send(inDialog("ACK", call, ok, 2), target(ok));
  }

  /** Sends BYE in the dialog of {@code call} established by {@code ok}. */
  public void bye(Outgoing call, Received ok) throws IOException {
    send(inDialog("BYE", call, ok, 3), target(ok));
  }

  private String inDialog(String method, Outgoing call, Received ok, int cseq) {
    String uri = uriOf(ok.header("Contact"));
    return method
        + " "
        + uri
        + " SIP/2.0\r\n"
        + via()
        + "Max-Forwards: 70\r\nFrom: \"Front door\" <sip:"
        + user
        + "@"
        + domain
        + ">;tag="
        + call.fromTag()
        + "\r\nTo: "
        + ok.header("To")
        + "\r\nCall-ID: "
        + call.callId()
        + "\r\nCSeq: "
        + cseq
        + " "
        + method
        + "\r\nContent-Length: 0\r\n\r\n";
  }

  private static InetSocketAddress target(Received ok) {
    String uri = uriOf(ok.header("Contact"));
    String hostPort = uri.substring(uri.indexOf('@') + 1).split(";")[0];
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  private static String uriOf(String nameAddr) {
    int open = nameAddr.indexOf('<');
    int close = nameAddr.indexOf('>');
    return open < 0 ? nameAddr.split(";")[0] : nameAddr.substring(open + 1, close);
  }

  /**
   * Answers a request received: Via, From, To (tagged), Call-ID, CSeq copied (and Record-Route in
   * an 18x or 2xx), then {@code body} (SDP when not empty).
   */
  public void reply(Received request, int status, String toTag, String body) throws IOException {
    StringBuilder sb = new StringBuilder("SIP/2.0 " + status + " X\r\n");
    for (String line : request.text().split("\r\n")) {
      if (line.isEmpty()) {
        break;
      }
      String name =
          line.contains(":") ? line.substring(0, line.indexOf(':')).toLowerCase(Locale.ROOT) : "";
      if (name.equals("via")
          || name.equals("from")
          || name.equals("call-id")
          || name.equals("cseq")) {
        sb.append(line).append("\r\n");
      } else if (name.equals("record-route") && status > 100 && status < 300) {
        sb.append(line).append("\r\n"); // RFC 3261 §12.1.1: the route set of the dialog
      } else if (name.equals("to")) {
        sb.append(line);
        if (!line.contains(";tag=") && status > 100) {
          sb.append(";tag=").append(toTag);
        }
        sb.append("\r\n");
      }
    }
    if (status < 300 && status > 100) {
      sb.append(contact());
    }
    if (body.isEmpty()) {
      sb.append("Content-Length: 0\r\n\r\n");
    } else {
      sb.append("Content-Type: application/sdp\r\nContent-Length: ")
          .append(body.getBytes(StandardCharsets.UTF_8).length)
          .append("\r\n\r\n")
          .append(body);
    }
    send(sb.toString(), request.from());
  }

  /** Sends raw text to {@code to}. */
  public void send(String text, InetSocketAddress to) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    socket.send(new DatagramPacket(bytes, bytes.length, to));
  }

  /** How many messages were received so far (a mark for {@link #await}). */
  public int mark() {
    synchronized (received) {
      return received.size();
    }
  }

  /** Every message received so far. */
  public List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** Waits for a message received after {@code mark} that matches {@code wanted}. */
  public Received await(String what, int mark, Predicate<Received> wanted) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    synchronized (received) {
      while (true) {
        for (int i = mark; i < received.size(); i++) {
          if (wanted.test(received.get(i))) {
            return received.get(i);
          }
        }
        long left = end - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "door "
                  + user
                  + ": no "
                  + what
                  + " within "
                  + DEADLINE.toSeconds()
                  + " s; got "
                  + received.stream().map(Received::startLine).toList());
        }
        try {
          received.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  private void readLoop() {
    byte[] buffer = new byte[65536];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (SocketException e) {
        return;
      } catch (IOException e) {
        continue;
      }
      String text = new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
      if (text.isBlank()) {
        continue;
      }
      Received r = new Received(text, (InetSocketAddress) packet.getSocketAddress());
      if (r.status() == 0 && (r.isRequest("BYE") || r.isRequest("INFO"))) {
        try {
          reply(r, 200, token(), ""); // a BYE or INFO is always accepted
        } catch (IOException e) {
          // recorded anyway
        }
      }
      synchronized (received) {
        received.add(r);
        received.notifyAll();
      }
    }
  }

  /** A fresh tag, branch or Call-ID. */
  public static String token() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Override
  public void close() {
    socket.close();
  }
}
