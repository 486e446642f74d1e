package io.doorpair.b2b.stack;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.doorpair.b2b.access.LanPolicy;
import io.doorpair.b2b.access.Sdp;
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
import java.util.function.Supplier;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
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
 * through the b2b. ACK and CANCEL (which cannot be challenged) are forwarded as they are. Another
 * domain gets {@code 404} (no open relay), an account not registered {@code 480}, {@code
 * Max-Forwards: 0} {@code 483}.
 *
 * <p>The authenticated account must then pass {@link LanPolicy}: a LAN app account calls door
 * stations only and within its rights, a door station rings a LAN app account only when it has the
 * door-calls right, an app account used through the portal only is refused ({@code 403}); SDP
 * offers and answers (requests and relayed responses) lose RFC 4733 {@code telephone-event} when
 * one end is a LAN app account without open-door. Dialogs with a LAN app account are record-routed
 * ({@code <sip:HOST:PORT;transport=T;lr>}), so their in-dialog requests come back here: a BYE
 * passes as it is, anything else is challenged again and checked (INFO DTMF and MESSAGE need
 * open-door, other INFO bodies {@code 415}), then forwarded to its Request-URI only when that is a
 * registered contact. Other dialogs (door station and b2b) are not record-routed: their in-dialog
 * requests go between the two ends directly.
 *
 * <p>A phone that has this server as its outbound proxy (Linphone's {@code reg_route}) puts a
 * {@code Route} naming it on every request. RFC 3261 §16.4: those values are removed before
 * forwarding; left in place, the stack would send the forwarded request (without its {@code
 * Proxy-Authorization}) back to this server, which challenged it, and the phone saw a {@code 407}
 * after answering the first one. A {@code Route} naming another host is refused ({@code 403}): the
 * proxy forwards only to registered contacts, never where a request asks.
 */
final class InternalProxy {
  private static final Logger LOG = LoggerFactory.getLogger(InternalProxy.class);
  private static final String BRANCH_PREFIX = "z9hG4bK-int-";
  private final DigestGate gate;
  private final Registrations registrations;
  private final MessageFactoryImpl messages;
  private final HeaderFactoryImpl headers;
  private final AddressFactoryImpl addresses = new AddressFactoryImpl();
  private final java.util.concurrent.atomic.AtomicLong unexpected =
      new java.util.concurrent.atomic.AtomicLong();
  private final InternalTarget self;
  private final Supplier<LanPolicy> lan;
  private final java.util.concurrent.atomic.AtomicLong refused =
      new java.util.concurrent.atomic.AtomicLong();

  InternalProxy(
      InternalTarget self,
      DigestGate gate,
      Registrations registrations,
      MessageFactoryImpl messages,
      HeaderFactoryImpl headers,
      Supplier<LanPolicy> lan) {
    this.self = self;
    this.lan = lan;
    this.gate = gate;
    this.registrations = registrations;
    this.messages = messages;
    this.headers = headers;
  }

  void forward(SipProvider provider, Request request) {
    String method = request.getMethod();
    try {
      boolean inDialog = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null;
      // ACK and CANCEL cannot be challenged; a BYE inside a dialog can only end it
      boolean unchallenged =
          Request.ACK.equals(method)
              || Request.CANCEL.equals(method)
              || (inDialog && Request.BYE.equals(method));
      LanPolicy policy = lan.get();
      Optional<String> user = Optional.empty();
      if (!unchallenged) {
        user = authenticated(provider, request);
        if (user.isEmpty()) {
          return;
        }
      }
      MaxForwardsHeader maxForwards = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
      if (maxForwards != null && maxForwards.getMaxForwards() <= 0) {
        answer(provider, request, Response.TOO_MANY_HOPS);
        return;
      }
      Request out = (Request) request.clone();
      int ownRoutes = removeOwnRoutes(provider, out);
      if (ownRoutes < 0) {
        answer(provider, request, Response.FORBIDDEN);
        return;
      }
      URI target = request.getRequestURI();
      boolean toDomain =
          target instanceof SipURI
              && gate.realm().equalsIgnoreCase(((SipURI) target).getHost())
              && ((SipURI) target).getUser() != null;
      Optional<Registrations.Contact> contact;
      if (toDomain) {
        contact = registrations.of(((SipURI) target).getUser());
      } else if (inDialog && ownRoutes > 0 && target instanceof SipURI) {
        // inside a dialog this server record-routed: only to a registered contact
        contact = registeredAt((SipURI) target);
      } else {
        answer(provider, request, Response.NOT_FOUND);
        return;
      }
      if (user.isPresent()) {
        LanPolicy.Verdict verdict =
            inDialog
                ? policy.inDialog(method, user.get(), contentType(request), hasBody(request))
                : policy.initial(method, user.get(), ((SipURI) target).getUser());
        if (!verdict.passes()) {
          refused.incrementAndGet();
          LOG.info("{} from {} refused on the LAN: {}", method, user.get(), verdict.why());
          answer(
              provider,
              request,
              verdict.outcome() == LanPolicy.Outcome.UNSUPPORTED_MEDIA
                  ? Response.UNSUPPORTED_MEDIA_TYPE
                  : Response.FORBIDDEN);
          return;
        }
      }
      if (contact.isEmpty()) {
        answer(provider, request, Response.TEMPORARILY_UNAVAILABLE);
        return;
      }
      if (toDomain) {
        out.setRequestURI(addresses.createURI(contact.get().contact()));
      }
      out.removeHeader(ProxyAuthorizationHeader.NAME);
      if (maxForwards == null) {
        out.addHeader(headers.createMaxForwardsHeader(70));
      } else {
        ((MaxForwardsHeader) out.getHeader(MaxForwardsHeader.NAME)).decrementMaxForwards();
      }
      String from = userOf(request.getHeader(FromHeader.NAME));
      String to = userOf(request.getHeader(ToHeader.NAME));
      if (policy.stripsEvents(from, to)) {
        withoutTelephoneEvent(out);
      }
      ListeningPoint point = provider.getListeningPoint(contact.get().transport());
      if (point == null) {
        point = provider.getListeningPoints()[0];
      }
      if (Request.INVITE.equals(method) && !inDialog && policy.staysOnPath(from, to)) {
        out.addFirst(recordRoute(request));
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
   * This server on the path of a dialog with a LAN app account, so that the requests inside it come
   * back here and are checked: {@code <sip:HOST:PORT;transport=T;lr>}, on the transport the request
   * came over.
   */
  private RecordRouteHeader recordRoute(Request request) throws ParseException {
    ViaHeader top = (ViaHeader) request.getHeader(ViaHeader.NAME);
    String transport = top == null ? "udp" : top.getTransport().toLowerCase(java.util.Locale.ROOT);
    SipURI uri = addresses.createSipURI(null, self.uriHost());
    uri.setPort(self.port());
    uri.setTransportParam("tcp".equals(transport) ? "tcp" : "udp");
    uri.setLrParam();
    return headers.createRecordRouteHeader(addresses.createAddress(uri));
  }

  /** The live registration whose contact is at the URI's host and port. */
  private Optional<Registrations.Contact> registeredAt(SipURI uri) {
    String host = uri.getHost();
    int port = uri.getPort() > 0 ? uri.getPort() : 5060;
    for (Registrations.Contact c : registrations.all()) {
      try {
        URI registered = addresses.createURI(c.contact());
        if (registered instanceof SipURI sip
            && sip.getHost().equalsIgnoreCase(host)
            && (sip.getPort() > 0 ? sip.getPort() : 5060) == port) {
          return Optional.of(c);
        }
      } catch (ParseException e) {
        // a contact we could not parse again: not this one
      }
    }
    return Optional.empty();
  }

  private static String userOf(javax.sip.header.Header header) {
    if (!(header instanceof javax.sip.header.HeaderAddress address)) {
      return null;
    }
    URI uri = address.getAddress().getURI();
    return uri instanceof SipURI ? ((SipURI) uri).getUser() : null;
  }

  private static Optional<String> contentType(javax.sip.message.Message message) {
    ContentTypeHeader type = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
    if (type == null) {
      return Optional.empty();
    }
    return Optional.of(
        (String.valueOf(type.getContentType()) + "/" + type.getContentSubType())
            .toLowerCase(java.util.Locale.ROOT));
  }

  private static boolean hasBody(javax.sip.message.Message message) {
    byte[] raw = message.getRawContent();
    return raw != null && raw.length > 0;
  }

  /** Removes RFC 4733 telephone-event from an SDP body (any size the stack took). */
  private void withoutTelephoneEvent(javax.sip.message.Message message) throws ParseException {
    if (!contentType(message).map("application/sdp"::equals).orElse(false) || !hasBody(message)) {
      return;
    }
    String sdp = new String(message.getRawContent(), StandardCharsets.UTF_8);
    message.setContent(
        Sdp.withoutTelephoneEvent(sdp).getBytes(StandardCharsets.UTF_8),
        headers.createContentTypeHeader("application", "sdp"));
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

  long refusedOnLan() {
    return refused.get();
  }

  /**
   * Removes the leading {@code Route} values that name this server (RFC 3261 §16.4).
   *
   * @return how many were removed, -1 when a {@code Route} naming somewhere else is left
   */
  private int removeOwnRoutes(SipProvider provider, Request out) {
    int removed = 0;
    while (true) {
      RouteHeader route = (RouteHeader) out.getHeader(RouteHeader.NAME);
      if (route == null) {
        return removed;
      }
      if (!namesThisServer(provider, route.getAddress().getURI())) {
        LOG.debug("{} refused: a Route to somewhere else", out.getMethod());
        return -1;
      }
      out.removeFirst(RouteHeader.NAME);
      removed++;
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
      if (lan.get()
          .stripsEvents(
              userOf(out.getHeader(FromHeader.NAME)), userOf(out.getHeader(ToHeader.NAME)))) {
        withoutTelephoneEvent(out);
      }
      try {
        provider.sendResponse(out);
      } catch (RuntimeException e) {
        // jain-sip reads some Via values (rport, port) only when sending: a malformed one from
        // the LAN throws here, and the response is not relayed
        LOG.debug("malformed {} not relayed: {}", response.getStatusCode(), e.toString());
      }
    } catch (SipException | ParseException | IllegalArgumentException e) {
      // IllegalArgumentException (NumberFormatException): jain-sip parses some values (rport) only
      // when they are read, so a malformed one from the LAN throws then
      LOG.debug("could not relay {}: {}", response.getStatusCode(), e.toString());
    } catch (RuntimeException e) {
      unexpected.incrementAndGet();
      LOG.warn("could not relay {}: {}", response.getStatusCode(), e.toString());
    }
  }

  /** The digest user of a request whose From is that user; answers 407/403 itself otherwise. */
  private Optional<String> authenticated(SipProvider provider, Request request)
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
      Response response = messages.createResponse(Response.PROXY_AUTHENTICATION_REQUIRED, request);
      for (String header : ((DigestGate.Challenge) verdict).headerValues()) {
        response.addHeader(headers.createHeader(ProxyAuthenticateHeader.NAME, header));
      }
      sendResponse(provider, response);
      return Optional.empty();
    }
    String user = ((DigestGate.Accepted) verdict).user();
    URI from = ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI();
    if (!(from instanceof SipURI) || !user.equalsIgnoreCase(((SipURI) from).getUser())) {
      answer(provider, request, Response.FORBIDDEN);
      return Optional.empty();
    }
    return Optional.of(user);
  }

  private void answer(SipProvider provider, Request request, int status)
      throws ParseException, SipException {
    if (Request.ACK.equals(request.getMethod())) {
      return;
    }
    sendResponse(provider, messages.createResponse(status, request));
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
