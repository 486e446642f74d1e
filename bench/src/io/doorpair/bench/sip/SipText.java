package io.doorpair.bench.sip;

import java.io.IOException;

/**
 * The SIP requests and responses the load generator writes, as raw text (cheaper than any stack).
 * Users are {@code name@domain} strings, the certificate CNs; every request comes From the
 * connection's own user, as the servers require.
 */
final class SipText {
  static final String SDP =
      "v=0\r\n"
          + "o=lg 1 1 IN IP4 127.0.0.1\r\n"
          + "s=-\r\n"
          + "c=IN IP4 127.0.0.1\r\n"
          + "t=0 0\r\n"
          + "m=audio 40000 RTP/AVP 0\r\n"
          + "a=rtpmap:0 PCMU/8000\r\n";

  private SipText() {}

  static String domain(String user) {
    return user.substring(user.indexOf('@') + 1);
  }

  /** A Via with a branch made of {@code id}: only token characters kept ('@' is not one). */
  private static String via(int localPort, String id) {
    return "Via: SIP/2.0/TLS 127.0.0.1:" + localPort + ";branch=z9hG4bK" + token(id) + ";rport\r\n";
  }

  /** {@code id} with every character that is not alphanumeric, '-', '.' or '_' replaced by '.'. */
  static String token(String id) {
    StringBuilder b = new StringBuilder(id.length());
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == '_';
      b.append(ok ? c : '.');
    }
    return b.toString();
  }

  /**
   * A REGISTER of {@code user} (To = From, one Contact, no {@code +sip.instance}: the test
   * certificates bind none), refreshed by sending it again with a higher CSeq on the same Call-ID.
   */
  static String register(
      String user, int localPort, String contactHostPort, String callId, long cseq) {
    return "REGISTER sip:"
        + domain(user)
        + " SIP/2.0\r\n"
        + via(localPort, callId + "r" + cseq)
        + "Max-Forwards: 70\r\n"
        + "From: <sip:"
        + user
        + ">;tag=r"
        + callId.hashCode()
        + "\r\n"
        + "To: <sip:"
        + user
        + ">\r\n"
        + "Call-ID: "
        + callId
        + "\r\n"
        + "CSeq: "
        + cseq
        + " REGISTER\r\n"
        + "Contact: <sip:"
        + user.substring(0, user.indexOf('@'))
        + "@"
        + contactHostPort
        + ";transport=tls>\r\n"
        + "Expires: 3600\r\n"
        + "Content-Length: 0\r\n\r\n";
  }

  /** An OPTIONS to the server itself (both answer it with 200). */
  static String options(String user, int localPort, String callId) {
    return "OPTIONS sip:"
        + domain(user)
        + " SIP/2.0\r\n"
        + via(localPort, callId + "o")
        + "Max-Forwards: 70\r\n"
        + "From: <sip:"
        + user
        + ">;tag=o"
        + callId.hashCode()
        + "\r\n"
        + "To: <sip:"
        + domain(user)
        + ">\r\n"
        + "Call-ID: "
        + callId
        + "\r\n"
        + "CSeq: 1 OPTIONS\r\n"
        + "Content-Length: 0\r\n\r\n";
  }

  static String invite(String caller, String callee, int localPort, String callId) {
    return "INVITE sip:"
        + callee
        + " SIP/2.0\r\n"
        + via(localPort, callId + "i")
        + "Max-Forwards: 70\r\n"
        + "From: <sip:"
        + caller
        + ">;tag=f"
        + token(callId)
        + "\r\n"
        + "To: <sip:"
        + callee
        + ">\r\n"
        + "Call-ID: "
        + callId
        + "\r\n"
        + "CSeq: 1 INVITE\r\n"
        + "Contact: <sip:"
        + caller.substring(0, caller.indexOf('@'))
        + "@127.0.0.1:"
        + localPort
        + ";transport=tls>\r\n"
        + "Content-Type: application/sdp\r\n"
        + "Content-Length: "
        + SDP.length()
        + "\r\n\r\n"
        + SDP;
  }

  /**
   * ACK then BYE for a 2xx to our INVITE, in one write: to the callee's Contact, along the
   * Record-Route set (reversed).
   */
  static String ackAndBye(String caller, int localPort, String callId, SipMessage ok) {
    String target = SipMessage.uri(ok.header("contact"));
    String route = ok.uacRouteLine();
    String common =
        route
            + "Max-Forwards: 70\r\n"
            + "From: <sip:"
            + caller
            + ">;tag=f"
            + token(callId)
            + "\r\n"
            + "To: "
            + ok.header("to")
            + "\r\n"
            + "Call-ID: "
            + callId
            + "\r\n";
    return "ACK "
        + target
        + " SIP/2.0\r\n"
        + via(localPort, callId + "a")
        + common
        + "CSeq: 1 ACK\r\n"
        + "Content-Length: 0\r\n\r\n"
        + "BYE "
        + target
        + " SIP/2.0\r\n"
        + via(localPort, callId + "b")
        + common
        + "CSeq: 2 BYE\r\n"
        + "Content-Length: 0\r\n\r\n";
  }

  /** The hop-by-hop ACK for a final error response to our INVITE (same branch as the INVITE). */
  static String ackError(String caller, String callee, int localPort, String callId, SipMessage r) {
    return "ACK sip:"
        + callee
        + " SIP/2.0\r\n"
        + via(localPort, callId + "i")
        + "Max-Forwards: 70\r\n"
        + "From: <sip:"
        + caller
        + ">;tag=f"
        + token(callId)
        + "\r\n"
        + "To: "
        + r.header("to")
        + "\r\n"
        + "Call-ID: "
        + callId
        + "\r\n"
        + "CSeq: 1 ACK\r\n"
        + "Content-Length: 0\r\n\r\n";
  }

  /**
   * The callee's answer to a request: 180 + 200 with SDP for an INVITE (one write), 200 for
   * anything else; Via, Record-Route, From, Call-ID and CSeq copied, a To tag added.
   */
  static String answer(SipMessage request, String callee, int localPort) {
    boolean invite = request.method().equals("INVITE");
    String to = request.lines("to").get(0);
    if (!request.header("to").contains(";tag=")) {
      to = to + ";tag=c" + Integer.toHexString(request.header("call-id").hashCode());
    }
    StringBuilder head = new StringBuilder(512);
    for (String v : request.lines("via")) {
      head.append(v).append("\r\n");
    }
    if (invite) {
      for (String rr : request.lines("record-route")) {
        head.append(rr).append("\r\n");
      }
    }
    head.append(request.lines("from").get(0)).append("\r\n");
    head.append(to).append("\r\n");
    head.append(request.lines("call-id").get(0)).append("\r\n");
    head.append(request.lines("cseq").get(0)).append("\r\n");
    if (!invite) {
      return "SIP/2.0 200 OK\r\n" + head + "Content-Length: 0\r\n\r\n";
    }
    String contact =
        "Contact: <sip:"
            + callee.substring(0, callee.indexOf('@'))
            + "@127.0.0.1:"
            + localPort
            + ";transport=tls>\r\n";
    return "SIP/2.0 180 Ringing\r\n"
        + head
        + contact
        + "Content-Length: 0\r\n\r\n"
        + "SIP/2.0 200 OK\r\n"
        + head
        + contact
        + "Content-Type: application/sdp\r\n"
        + "Content-Length: "
        + SDP.length()
        + "\r\n\r\n"
        + SDP;
  }

  /**
   * Sends a REGISTER on a connection without a reader thread and waits for its final response.
   *
   * @return the final status
   */
  static int registerBlocking(SipConnection c, String callId) throws IOException {
    c.send(register(c.user, c.localPort, "127.0.0.1:" + c.localPort, callId, 1));
    while (true) {
      SipMessage m = c.readMessage();
      if (m.isResponse() && m.header("call-id").equals(callId) && m.status() >= 200) {
        return m.status();
      }
    }
  }
}
