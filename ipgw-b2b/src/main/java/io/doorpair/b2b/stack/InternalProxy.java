package io.doorpair.b2b.stack;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.doorpair.b2b.localsip.DigestGate;
import io.doorpair.b2b.localsip.InternalTarget;
import io.doorpair.b2b.localsip.Registrations;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.ListIterator;
import java.util.Optional;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded internal server's stateless proxy (RFC 3261 §16.11): a request for {@code
 * user@DOMAIN} goes to that account's registered contact, its responses come back along the Via.
 * Requests that start something (INVITE, MESSAGE, SUBSCRIBE, ...) must pass digest as {@code
 * 407}/{@code Proxy-Authorization} (realm DOMAIN) and their From user must be the authenticated
 * account ({@code 403} otherwise), so that nobody on the LAN without an account can ring the phones
 * through the b2b. ACK and CANCEL (which cannot be challenged) are forwarded as they are. No
 * Record-Route: in-dialog requests go between the two ends directly. Another domain gets {@code
 * 404} (no open relay), an account not registered {@code 480}, {@code Max-Forwards: 0} {@code 483}.
 *
 * <p>A phone that has this server as its outbound proxy (Linphone's {@code reg_route}) puts a
 * {@code Route} naming it on every request. RFC 3261 §16.4: those values are removed before
 * forwarding; left in place, the stack would send the forwarded request (without its {@code
 * Proxy-Authorization}) back to this server, which challenged it, and the phone saw a {@code 407}
 * after answering the first one. A {@code Route} naming another host is refused ({@code 403}): the
 * proxy forwards only to registered contacts, never where a request asks.
 *
 * <p>The ACK of a non-2xx final response is hop by hop (RFC 3261 §17.1.1.3): a stateless proxy
 * forwards it like the INVITE (§16.11), with the same derived Via branch, so that the callee's
 * INVITE server transaction matches it and stops retransmitting its error. The ACK of an error this
 * proxy answered itself ({@code 407}, {@code 403}, {@code 404}, {@code 480}, {@code 483}) ends
 * here: those responses carry a To tag of the proxy's own ({@link #LOCAL_TAG}), and an ACK with
 * that tag is absorbed.
 */
final class InternalProxy {
  private static final Logger LOG = LoggerFactory.getLogger(InternalProxy.class);
  private static final String BRANCH_PREFIX = "z9hG4bK-int-";

  /** The start of the To tag on the responses this proxy answers itself. */
  static final String LOCAL_TAG = "int-proxy-";

  private final java.security.SecureRandom random = new java.security.SecureRandom();
  private final DigestGate gate;
  private final Registrations registrations;
  private final MessageFactoryImpl messages;
  private final HeaderFactoryImpl headers;
  private final AddressFactoryImpl addresses = new AddressFactoryImpl();
  private final java.util.concurrent.atomic.AtomicLong unexpected =
      new java.util.concurrent.atomic.AtomicLong();
  private final InternalTarget self;

  InternalProxy(
      InternalTarget self,
      DigestGate gate,
      Registrations registrations,
      MessageFactoryImpl messages,
      HeaderFactoryImpl headers) {
    this.self = self;
    this.gate = gate;
    this.registrations = registrations;
    this.messages = messages;
    this.headers = headers;
  }

  void forward(SipProvider provider, Request request) {
    String method = request.getMethod();
    try {
      if (Request.ACK.equals(method) && answeredHere(request)) {
        return; // the ACK of an error we answered ourselves: absorbed (hop by hop)
      }
      boolean unchallengeable = Request.ACK.equals(method) || Request.CANCEL.equals(method);
      if (!unchallengeable && !authorized(provider, request)) {
        return;
      }
      MaxForwardsHeader maxForwards = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
      if (maxForwards != null && maxForwards.getMaxForwards() <= 0) {
        answer(provider, request, Response.TOO_MANY_HOPS);
        return;
      }
      URI target = request.getRequestURI();
      if (!(target instanceof SipURI)
          || !gate.realm().equalsIgnoreCase(((SipURI) target).getHost())
          || ((SipURI) target).getUser() == null) {
        answer(provider, request, Response.NOT_FOUND);
        return;
      }
      Optional<Registrations.Contact> contact = registrations.of(((SipURI) target).getUser());
      if (contact.isEmpty()) {
        answer(provider, request, Response.TEMPORARILY_UNAVAILABLE);
        return;
      }
      Request out = (Request) request.clone();
      if (!removeOwnRoutes(provider, out)) {
        answer(provider, request, Response.FORBIDDEN);
        return;
      }
      out.setRequestURI(addresses.createURI(contact.get().contact()));
      out.removeHeader(ProxyAuthorizationHeader.NAME);
      if (maxForwards == null) {
        out.addHeader(headers.createMaxForwardsHeader(70));
      } else {
        ((MaxForwardsHeader) out.getHeader(MaxForwardsHeader.NAME)).decrementMaxForwards();
      }
      ListeningPoint point = provider.getListeningPoint(contact.get().transport());
      if (point == null) {
        point = provider.getListeningPoints()[0];
      }
      ViaHeader via =
          headers.createViaHeader(
              point.getIPAddress(), point.getPort(), contact.get().transport(), branch(request));
      out.addFirst(via);
      provider.sendRequest(out);
    } catch (SipException
        | ParseException
        | InvalidArgumentException
        | IllegalArgumentException e) {
      LOG.debug("could not forward {}: {}", method, e.toString());
    } catch (RuntimeException e) {
      unexpected.incrementAndGet();
      LOG.warn("could not forward {}: {}", method, e.toString());
    }
  }

  /**
   * Sends a response statelessly; jain-sip reads some Via values (rport, port) only when sending,
   * so a malformed one from the LAN throws here: the request is then left unanswered.
   */
  static void sendResponse(SipProvider provider, Response response) throws SipException {
    try {
      provider.sendResponse(response);
    } catch (RuntimeException e) {
      LOG.debug("{} not sent to a malformed Via: {}", response.getStatusCode(), e.toString());
    }
  }

  /** The {@code rport} of a Via, or -1 when absent or not a number (read lazily by jain-sip). */
  static int rport(ViaHeader via) {
    try {
      return via.getRPort();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  long unexpectedErrors() {
    return unexpected.get();
  }

  /**
   * Removes the leading {@code Route} values that name this server (RFC 3261 §16.4).
   *
   * @return false when a {@code Route} naming somewhere else is left
   */
  private boolean removeOwnRoutes(SipProvider provider, Request out) {
    while (true) {
      RouteHeader route = (RouteHeader) out.getHeader(RouteHeader.NAME);
      if (route == null) {
        return true;
      }
      if (!namesThisServer(provider, route.getAddress().getURI())) {
        LOG.debug("{} refused: a Route to somewhere else", out.getMethod());
        return false;
      }
      out.removeFirst(RouteHeader.NAME);
    }
  }

  /** Whether {@code uri} is this server: its configured host or a listening address, its port. */
  private boolean namesThisServer(SipProvider provider, URI uri) {
    if (!(uri instanceof SipURI) || ((SipURI) uri).isSecure()) {
      return false;
    }
    SipURI sip = (SipURI) uri;
    int port = sip.getPort() > 0 ? sip.getPort() : 5060;
    if (port != self.port()) {
      return false;
    }
    String host = sip.getHost().toLowerCase(java.util.Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.equals(self.host())) {
      return true;
    }
    for (ListeningPoint point : provider.getListeningPoints()) {
      if (host.equalsIgnoreCase(point.getIPAddress())) {
        return true;
      }
    }
    return false;
  }

  /** A response to something forwarded: pop our Via and send it on to the next one. */
  void relay(SipProvider provider, Response response) {
    try {
      ViaHeader top = (ViaHeader) response.getHeader(ViaHeader.NAME);
      if (top == null || top.getBranch() == null || !top.getBranch().startsWith(BRANCH_PREFIX)) {
        return; // not a response to something we forwarded: never reflect it
      }
      Response out = (Response) response.clone();
      ListIterator<?> vias = out.getHeaders(ViaHeader.NAME);
      int count = 0;
      while (vias.hasNext()) {
        vias.next();
        count++;
      }
      if (count < 2) {
        return;
      }
      out.removeFirst(ViaHeader.NAME);
      try {
        provider.sendResponse(out);
      } catch (RuntimeException e) {
        // jain-sip reads some Via values (rport, port) only when sending: a malformed one from
        // the LAN throws here, and the response is not relayed
        LOG.debug("malformed {} not relayed: {}", response.getStatusCode(), e.toString());
      }
    } catch (SipException | IllegalArgumentException e) {
      // IllegalArgumentException (NumberFormatException): jain-sip parses some values (rport) only
      // when they are read, so a malformed one from the LAN throws then
      LOG.debug("could not relay {}: {}", response.getStatusCode(), e.toString());
    } catch (RuntimeException e) {
      unexpected.incrementAndGet();
      LOG.warn("could not relay {}: {}", response.getStatusCode(), e.toString());
    }
  }

  private boolean authorized(SipProvider provider, Request request)
      throws ParseException, SipException, InvalidArgumentException {
    ProxyAuthorizationHeader authorization =
        (ProxyAuthorizationHeader) request.getHeader(ProxyAuthorizationHeader.NAME);
    Optional<String> credentials =
        authorization == null ? Optional.empty() : Optional.of(value(authorization.toString()));
    DigestGate.Verdict verdict =
        gate.check(
            request.getMethod(),
            request.getRequestURI().toString(),
            credentials,
            requestKey(request));
    if (verdict instanceof DigestGate.Challenge) {
      LOG.debug("{} challenged: {}", request.getMethod(), ((DigestGate.Challenge) verdict).why());
      Response response = local(Response.PROXY_AUTHENTICATION_REQUIRED, request);
      for (String header : ((DigestGate.Challenge) verdict).headerValues()) {
        response.addHeader(headers.createHeader(ProxyAuthenticateHeader.NAME, header));
      }
      sendResponse(provider, response);
      return false;
    }
    String user = ((DigestGate.Accepted) verdict).user();
    URI from = ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI();
    if (!(from instanceof SipURI) || !user.equalsIgnoreCase(((SipURI) from).getUser())) {
      answer(provider, request, Response.FORBIDDEN);
      return false;
    }
    return true;
  }

  private void answer(SipProvider provider, Request request, int status)
      throws ParseException, SipException {
    if (Request.ACK.equals(request.getMethod())) {
      return;
    }
    sendResponse(provider, local(status, request));
  }

  /** A response this proxy answers itself, with a To tag of its own ({@link #LOCAL_TAG}). */
  private Response local(int status, Request request) throws ParseException {
    Response response = messages.createResponse(status, request);
    javax.sip.header.ToHeader to = (javax.sip.header.ToHeader) response.getHeader("To");
    if (to != null && to.getTag() == null) {
      byte[] b = new byte[8];
      random.nextBytes(b);
      to.setTag(LOCAL_TAG + HexFormat.of().formatHex(b));
    }
    return response;
  }

  /** Whether an ACK acknowledges a response this proxy answered itself. */
  private static boolean answeredHere(Request ack) {
    javax.sip.header.ToHeader to = (javax.sip.header.ToHeader) ack.getHeader("To");
    return to != null && to.getTag() != null && to.getTag().startsWith(LOCAL_TAG);
  }

  /**
   * RFC 3261 §16.11: the same branch for a request and its retransmissions and CANCEL, derived from
   * the incoming top Via's branch (the CANCEL's equals its INVITE's).
   */
  private static String branch(Request request) {
    ViaHeader top = (ViaHeader) request.getHeader(ViaHeader.NAME);
    String in = top == null || top.getBranch() == null ? "" : top.getBranch();
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(in.getBytes(StandardCharsets.UTF_8));
      return BRANCH_PREFIX + HexFormat.of().formatHex(hash, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What a request and its retransmissions share (top Via branch, Call-ID, CSeq): the key under
   * which {@link DigestGate} lets a retransmission of an accepted request through again.
   */
  static String requestKey(Request request) {
    ViaHeader top = (ViaHeader) request.getHeader(ViaHeader.NAME);
    javax.sip.header.CallIdHeader callId =
        (javax.sip.header.CallIdHeader) request.getHeader(javax.sip.header.CallIdHeader.NAME);
    javax.sip.header.CSeqHeader cseq =
        (javax.sip.header.CSeqHeader) request.getHeader(javax.sip.header.CSeqHeader.NAME);
    return (top == null ? "" : String.valueOf(top.getBranch()))
        + "|"
        + (callId == null ? "" : callId.getCallId())
        + "|"
        + (cseq == null ? "" : cseq.getSeqNumber() + " " + cseq.getMethod());
  }

  private static String value(String headerLine) {
    return headerLine.substring(headerLine.indexOf(':') + 1).strip();
  }
}
