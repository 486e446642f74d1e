package io.doorpair.sipedge.stack;

import gov.nist.javax.sip.header.ParametersHeader;
import gov.nist.javax.sip.message.SIPMessage;
import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.CryptoException;
import io.doorpair.sipedge.admission.IdentityCheck;
import io.doorpair.sipedge.admission.NodeCertificates;
import io.doorpair.sipedge.admission.SipAddress;
import io.doorpair.sipedge.logging.LimitedLog;
import io.doorpair.sipedge.metrics.EdgeObserver;
import io.doorpair.sipedge.registrar.BindingsUnavailableException;
import io.doorpair.sipedge.registrar.NodeDirectory;
import io.doorpair.sipedge.registrar.RegisterOutcome;
import io.doorpair.sipedge.registrar.RegisterOutcome.Accepted;
import io.doorpair.sipedge.registrar.RegisterOutcome.Refused;
import io.doorpair.sipedge.registrar.RegisterOutcome.RegisteredContact;
import io.doorpair.sipedge.registrar.RegisterRequest;
import io.doorpair.sipedge.registrar.Registrar;
import io.doorpair.sipedge.revocation.RevocationList;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request the stack reads: a request repeating From, To, Call-ID or CSeq gets {@code 400}
 * (see {@link SingleHeaderGuard}); the From address is checked against the certificate of the
 * connection first ({@code 403 Bad tls client certificate}, ACK dropped), then REGISTER goes to the
 * registrar, OPTIONS for this server itself gets {@code 200}, and everything else, CANCEL and ACK
 * included, goes to the {@link SipProxy}; responses and timeouts of its client transactions too.
 */
final class EdgeSipListener implements SipListener {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeSipListener.class);
  private static final LimitedLog REFUSALS = new LimitedLog(LOG, 10);

  /** Reason phrase of the {@code 403} for a certificate revoked after its connection opened. */
  static final String REVOKED = "Certificate revoked";

  /** {@code Retry-After} of a {@code 503} when the bindings store is down. */
  static final int RETRY_AFTER_SECONDS = 5;

  private final Registrar registrar;
  private final RevocationList revocations;
  private final MessageFactory messages;
  private final HeaderFactory headers;
  private final AddressFactory addresses;
  private final SecureRandom random = new SecureRandom();
  private final SipProxy proxy;
  private final EdgeObserver observer;
  private volatile Optional<NodeDirectory> nodes = Optional.empty();
  private volatile Optional<NodeLinks> links = Optional.empty();

  /** Reason phrase of the {@code 403} to a REGISTER over a SIP node's certificate. */
  static final String NODE_REGISTERS = "A SIP node does not register";

  /** Reason phrase of the {@code 403} to a node certificate that no running node announced. */
  static final String NOT_A_RUNNING_NODE = "Not a running SIP node";

  EdgeSipListener(
      SipProxy proxy,
      Registrar registrar,
      RevocationList revocations,
      MessageFactory messages,
      HeaderFactory headers,
      AddressFactory addresses,
      EdgeObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
    this.proxy = Objects.requireNonNull(proxy, "proxy");
    this.registrar = Objects.requireNonNull(registrar, "registrar");
    this.revocations = Objects.requireNonNull(revocations, "revocations");
    this.messages = Objects.requireNonNull(messages, "messages");
    this.headers = Objects.requireNonNull(headers, "headers");
    this.addresses = Objects.requireNonNull(addresses, "addresses");
  }

  /**
   * Takes requests from the other SIP nodes (peers presenting a node certificate announced by a
   * running node's heartbeat), and their links' pongs.
   */
  void acceptNodes(NodeDirectory directory, NodeLinks nodeLinks) {
    this.nodes = Optional.of(directory);
    this.links = Optional.of(nodeLinks);
  }

  @Override
  public void processRequest(RequestEvent event) {
    try {
      handle(event);
    } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
      REFUSALS.warn("request {} not answered: {}", event.getRequest().getMethod(), e.toString());
    }
  }

  private void handle(RequestEvent event)
      throws SipException, ParseException, InvalidArgumentException {
    Request request = event.getRequest();
    String method = request.getMethod();
    if (request instanceof SIPMessage
        && ((SIPMessage) request).getApplicationData() == SingleHeaderGuard.DUPLICATE) {
      REFUSALS.info("{} refused: a single-instance header is repeated", method);
      if (!Request.ACK.equals(method)) {
        respond(event, response(request, Response.BAD_REQUEST, "Duplicate header"));
      }
      return;
    }
    Optional<X509Certificate> leaf = PeerCertificates.leaf(request);
    if (leaf.isPresent() && revocations.isRevoked(leaf.get())) {
      REFUSALS.info(
          "{} refused: certificate serial {} is revoked", method, leaf.get().getSerialNumber());
      if (!Request.ACK.equals(method)) {
        respond(event, response(request, Response.FORBIDDEN, REVOKED));
      }
      return;
    }
    Optional<Peer> peer = PeerCertificates.derived(request, Peer::of);
    if (peer.isPresent() && peer.get().node() && nodes.isPresent()) {
      fromNode(event, peer.get(), nodes.get());
      return;
    }
    Optional<CertificateIdentity> holder = peer.flatMap(Peer::identity);
    Optional<SipAddress> from = SipRequests.from(request);
    boolean admitted =
        holder.isPresent()
            && from.isPresent()
            && (Request.REGISTER.equals(method)
                ? IdentityCheck.fromMatches(holder.get(), from.get())
                : IdentityCheck.fromMatchesOutsideRegister(holder.get(), from.get()));
    if (Request.ACK.equals(method)) {
      if (!admitted) {
        observer.identityMismatch();
        REFUSALS.info("ACK dropped: From {} is not the certificate's {}", from, cn(holder));
        return;
      }
      proxy.route(event, false);
      return;
    }
    if (!admitted) {
      observer.identityMismatch();
      REFUSALS.info("{} refused: From {} is not the certificate's {}", method, from, cn(holder));
      respond(event, response(request, Response.FORBIDDEN, IdentityCheck.REASON));
      return;
    }
    switch (method) {
      case Request.REGISTER:
        register(event, holder.get(), from.get());
        break;
      case Request.CANCEL:
        proxy.cancel(event);
        break;
      default:
        if (crossGateway(holder.get(), request)) {
          REFUSALS.info(
              "{} refused: gateway {} addressed another DOMAIN", method, holder.get().commonName());
          respond(event, response(request, Response.FORBIDDEN, "Not your domain"));
        } else if (!proxy.isForUs(request)) {
          if (Request.INVITE.equals(method)
              && ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() == null) {
            observer.callStarted();
          }
          proxy.route(event, false);
        } else if (Request.OPTIONS.equals(method)) {
          respond(event, response(request, Response.OK, "OK"));
        } else {
          respond(event, response(request, Response.METHOD_NOT_ALLOWED, "Method Not Allowed"));
        }
        break;
    }
  }

  /**
   * A request from another SIP node: admitted only when a running node announced the peer's
   * certificate (never because of its address); never a REGISTER (a node is no device); otherwise
   * routed by the proxy, which takes from a node only requests carrying a Path or flow token of
   * this node (the From is the original sender's, checked by the node it came in on).
   */
  private void fromNode(RequestEvent event, Peer peer, NodeDirectory directory)
      throws SipException, ParseException, InvalidArgumentException {
    Request request = event.getRequest();
    String method = request.getMethod();
    boolean ack = Request.ACK.equals(method);
    boolean live;
    try {
      live = directory.liveCertificate(peer.fingerprint());
    } catch (BindingsUnavailableException e) {
      REFUSALS.warn("{} from a node not checked: {}", method, e.getMessage());
      if (!ack) {
        respond(event, response(request, Response.SERVICE_UNAVAILABLE, SipProxy.STORE_UNAVAILABLE));
      }
      return;
    }
    if (!live) {
      REFUSALS.info("{} refused: node certificate {} is no running node's", method, peer.cn());
      if (!ack) {
        respond(event, response(request, Response.FORBIDDEN, NOT_A_RUNNING_NODE));
      }
      return;
    }
    switch (method) {
      case Request.ACK:
        proxy.route(event, true);
        break;
      case Request.REGISTER:
        REFUSALS.info("REGISTER refused: {} is a node certificate", peer.cn());
        respond(event, response(request, Response.FORBIDDEN, NODE_REGISTERS));
        break;
      case Request.CANCEL:
        proxy.cancel(event);
        break;
      default:
        if (!proxy.isForUs(request)) {
          proxy.route(event, true);
        } else if (Request.OPTIONS.equals(method)) {
          respond(event, response(request, Response.OK, "OK"));
        } else {
          respond(event, response(request, Response.METHOD_NOT_ALLOWED, "Method Not Allowed"));
        }
        break;
    }
  }

  /**
   * What a connection's certificate is, worked out once per connection: a device's identity (app or
   * gateway), or a SIP node's certificate.
   */
  private record Peer(
      Optional<CertificateIdentity> identity, boolean node, String fingerprint, String cn) {
    static Peer of(X509Certificate certificate) {
      if (NodeCertificates.isNode(certificate)) {
        return new Peer(
            Optional.empty(),
            true,
            NodeCertificates.fingerprint(certificate),
            certificate.getSubjectX500Principal().getName());
      }
      return new Peer(EdgeSipListener.identity(certificate), false, "", "");
    }
  }

  /**
   * A gateway certificate's initial request for a user at a host that is neither the portal domain
   * nor the gateway's own DOMAIN, that is another gateway's: a gateway may ring portal users and
   * answer for its own DOMAIN, never reach into another gateway's.
   */
  private boolean crossGateway(CertificateIdentity holder, Request request) {
    Optional<String> own = holder.gatewayDomain();
    if (own.isEmpty() || ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null) {
      return false;
    }
    if (!(request.getRequestURI() instanceof SipURI)) {
      return false;
    }
    SipURI uri = (SipURI) request.getRequestURI();
    String host = uri.getHost() == null ? "" : uri.getHost();
    if (uri.getUser() == null || uri.getUser().isEmpty()) {
      return false;
    }
    return !host.equalsIgnoreCase(own.get()) && !proxy.isPortalDomain(host);
  }

  private void register(RequestEvent event, CertificateIdentity holder, SipAddress from)
      throws SipException, ParseException, InvalidArgumentException {
    Request request = event.getRequest();
    Optional<RegisterRequest> parsed =
        SipRequests.register(request, from, PeerCertificates.flow(request));
    if (parsed.isEmpty()) {
      respond(event, response(request, Response.FORBIDDEN, Registrar.THIRD_PARTY));
      return;
    }
    RegisterOutcome outcome;
    try {
      outcome = registrar.register(holder, parsed.get());
    } catch (BindingsUnavailableException e) {
      REFUSALS.warn("REGISTER of {} not applied: {}", holder.commonName(), e.getMessage());
      Response unavailable =
          response(request, Response.SERVICE_UNAVAILABLE, SipProxy.STORE_UNAVAILABLE);
      unavailable.addHeader(headers.createRetryAfterHeader(RETRY_AFTER_SECONDS));
      respond(event, unavailable);
      return;
    }
    if (outcome instanceof Refused) {
      Refused refused = (Refused) outcome;
      Response response = response(request, refused.status(), refused.reason());
      if (refused.minExpires().isPresent()) {
        response.addHeader(headers.createMinExpiresHeader((int) refused.minExpires().getAsLong()));
      }
      respond(event, response);
      return;
    }
    Response ok = response(request, Response.OK, "OK");
    for (RegisteredContact c : ((Accepted) outcome).contacts()) {
      ContactHeader contact = headers.createContactHeader(addresses.createAddress(c.uri()));
      contact.setExpires((int) Math.min(Integer.MAX_VALUE, c.expiresSeconds()));
      if (c.instance().isPresent()) {
        ((ParametersHeader) contact).setQuotedParameter("+sip.instance", c.instance().get());
      }
      if (c.publicGruu().isPresent()) {
        ((ParametersHeader) contact).setQuotedParameter("pub-gruu", c.publicGruu().get());
      }
      ok.addHeader(contact);
    }
    respond(event, ok);
  }

  private Response response(Request request, int status, String reason) throws ParseException {
    Response response = messages.createResponse(status, request);
    response.setReasonPhrase(reason);
    ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
    if (to != null && to.getTag() == null) {
      byte[] tag = new byte[8];
      random.nextBytes(tag);
      to.setTag(HexFormat.of().formatHex(tag));
    }
    return response;
  }

  private void respond(RequestEvent event, Response response)
      throws SipException, InvalidArgumentException {
    if (Request.REGISTER.equals(event.getRequest().getMethod())) {
      observer.registerAnswered(response.getStatusCode());
      observer.registerOutcome(RegisterResults.of(response));
    }
    ServerTransaction transaction = event.getServerTransaction();
    if (transaction == null) {
      try {
        transaction = ((SipProvider) event.getSource()).getNewServerTransaction(event.getRequest());
      } catch (TransactionAlreadyExistsException retransmission) {
        return;
      }
    }
    transaction.sendResponse(response);
  }

  private static Optional<CertificateIdentity> identity(X509Certificate certificate) {
    try {
      return Optional.of(CertificateIdentity.of(certificate));
    } catch (CryptoException e) {
      return Optional.empty();
    }
  }

  private static String cn(Optional<CertificateIdentity> holder) {
    return holder.map(CertificateIdentity::commonName).orElse("(none)");
  }

  @Override
  public void processResponse(ResponseEvent event) {
    try {
      Optional<NodeLinks> nodeLinks = links;
      if (nodeLinks.isPresent() && NodeLinks.isPong(event.getResponse())) {
        nodeLinks.get().pong(event.getResponse(), SipProxy.flowOf(event.getResponse()));
        return;
      }
      proxy.response(event);
    } catch (RuntimeException e) {
      REFUSALS.warn(
          "response {} not handled: {}", event.getResponse().getStatusCode(), e.toString());
    }
  }

  @Override
  public void processTimeout(TimeoutEvent event) {
    try {
      proxy.timeout(event);
    } catch (RuntimeException e) {
      REFUSALS.warn("timeout not handled: {}", e.toString());
    }
  }

  @Override
  public void processIOException(IOExceptionEvent event) {
    LOG.debug("I/O error with {}:{}", event.getHost(), event.getPort());
  }

  @Override
  public void processTransactionTerminated(TransactionTerminatedEvent event) {
    // nothing kept per transaction
  }

  @Override
  public void processDialogTerminated(DialogTerminatedEvent event) {
    // no dialogs: AUTOMATIC_DIALOG_SUPPORT is off
  }
}
