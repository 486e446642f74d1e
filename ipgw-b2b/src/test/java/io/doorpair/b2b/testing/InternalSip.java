package io.doorpair.b2b.testing;

import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.localsip.DigestGate;
import io.doorpair.b2b.localsip.InternalTarget;
import io.doorpair.b2b.localsip.Registrations;
import io.doorpair.b2b.stack.InternalServer;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.digest.DigestAuthorization;
import io.doorpair.crypto.digest.DigestChallenge;
import io.doorpair.crypto.digest.Ha1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * An embedded internal SIP server on a free loopback port (UDP and TCP) with door accounts, and the
 * raw requests door stations send to it: for tests that attack it.
 */
public final class InternalSip implements AutoCloseable {
  /** The DOMAIN. */
  public static final String DOMAIN = "hardtest0001";

  /** door1's password. */
  public static final SipPassword DOOR_PASSWORD = SipPassword.of("DoorPassw0rd");

  private final InternalServer server;
  private final DigestGate gate;
  private final InetSocketAddress address;

  private InternalSip(InternalServer server, DigestGate gate, InetSocketAddress address) {
    this.server = server;
    this.gate = gate;
    this.address = address;
  }

  /** Starts a server with accounts {@code door1} and {@code door2}. */
  public static InternalSip start() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    DigestGate gate =
        new DigestGate(
            DOMAIN,
            List.of(
                new PasswdEntry("door1", DOMAIN, DOOR_PASSWORD),
                new PasswdEntry("door2", DOMAIN, SipPassword.of("OtherPassw0rd"))),
            Clock.systemUTC(),
            new SecureRandom());
    InternalServer server =
        InternalServer.start(
            new InternalTarget("127.0.0.1", port, "udp"),
            gate,
            new Registrations(Clock.systemUTC()));
    return new InternalSip(server, gate, new InetSocketAddress("127.0.0.1", port));
  }

  /** The server. */
  public InternalServer server() {
    return server;
  }

  /** Its digest gate. */
  public DigestGate gate() {
    return gate;
  }

  /** Where it listens. */
  public InetSocketAddress address() {
    return address;
  }

  /** A REGISTER of {@code user} from a client at {@code host:port}. */
  public static String register(
      String transport,
      String host,
      int port,
      String user,
      String branch,
      String callId,
      int cseq,
      String authorization) {
    return "REGISTER sip:"
        + DOMAIN
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/"
        + transport.toUpperCase(Locale.ROOT)
        + " "
        + host
        + ":"
        + port
        + ";rport;branch="
        + branch
        + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:"
        + user
        + "@"
        + DOMAIN
        + ">;tag=t"
        + callId.hashCode()
        + "\r\n"
        + "To: <sip:"
        + user
        + "@"
        + DOMAIN
        + ">\r\n"
        + "Call-ID: "
        + callId
        + "\r\n"
        + "CSeq: "
        + cseq
        + " REGISTER\r\n"
        + "Contact: <sip:"
        + user
        + "@"
        + host
        + ":"
        + port
        + ";transport="
        + transport
        + ">\r\n"
        + "Expires: 120\r\n"
        + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
        + "Content-Length: 0\r\n\r\n";
  }

  /** An INVITE from {@code from} to {@code to}@DOMAIN, as a door station sends it. */
  public static String invite(
      String host,
      int port,
      String from,
      String to,
      String branch,
      String callId,
      String proxyAuthorization) {
    String uri = "sip:" + to + "@" + DOMAIN;
    return "INVITE "
        + uri
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP "
        + host
        + ":"
        + port
        + ";rport;branch="
        + branch
        + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: \"Front door\" <sip:"
        + from
        + "@"
        + DOMAIN
        + ">;tag=door"
        + Math.abs(callId.hashCode())
        + "\r\n"
        + "To: <"
        + uri
        + ">\r\n"
        + "Call-ID: "
        + callId
        + "\r\n"
        + "CSeq: 1 INVITE\r\n"
        + "Contact: <sip:"
        + from
        + "@"
        + host
        + ":"
        + port
        + ">\r\n"
        + (proxyAuthorization == null ? "" : "Proxy-Authorization: " + proxyAuthorization + "\r\n")
        + "Content-Type: application/sdp\r\n"
        + "Content-Length: 130\r\n\r\n"
        + "v=0\r\n"
        + "o=door 1 1 IN IP4 127.0.0.1\r\n"
        + "s=-\r\n"
        + "c=IN IP4 127.0.0.1\r\n"
        + "t=0 0\r\n"
        + "m=audio 40000 RTP/AVP 0 101\r\n"
        + "a=rtpmap:101 telephone-event/8000\r\n";
  }

  /** An OPTIONS from a client at {@code host:port}. */
  public static String options(String transport, String host, int port) {
    String id = UUID.randomUUID().toString();
    return "OPTIONS sip:"
        + DOMAIN
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/"
        + transport.toUpperCase(Locale.ROOT)
        + " "
        + host
        + ":"
        + port
        + ";rport;branch=z9hG4bK"
        + id
        + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:probe@"
        + DOMAIN
        + ">;tag=p"
        + Math.abs(id.hashCode())
        + "\r\n"
        + "To: <sip:"
        + DOMAIN
        + ">\r\n"
        + "Call-ID: "
        + id
        + "\r\n"
        + "CSeq: 1 OPTIONS\r\n"
        + "Content-Length: 0\r\n\r\n";
  }

  /** Answers the first challenge of a {@code WWW-}/{@code Proxy-Authenticate} header value. */
  public static String answer(
      String challengeHeader,
      String user,
      SipPassword password,
      String method,
      String uri,
      long nc) {
    DigestChallenge challenge = DigestChallenge.parseAll(challengeHeader).get(0);
    Ha1 ha1 =
        Ha1.compute(
            challenge.algorithm(), user, challenge.realm(), password.reveal().toCharArray());
    return DigestAuthorization.answer(
            challenge, user, ha1, method, uri, "cn" + UUID.randomUUID(), nc)
        .toHeaderValue();
  }

  @Override
  public void close() {
    server.close();
  }
}
