package io.doorpair.sipedge.stack;

import gov.nist.javax.sip.ServerTransactionExt;
import gov.nist.javax.sip.message.SIPMessage;
import io.doorpair.sipedge.logging.LimitedLog;
import io.doorpair.sipedge.metrics.EdgeObserver;
import io.doorpair.sipedge.proxy.FlowTokens;
import io.doorpair.sipedge.proxy.Fork;
import io.doorpair.sipedge.proxy.Fork.Step;
import io.doorpair.sipedge.proxy.Fork.Upstream;
import io.doorpair.sipedge.proxy.RequestUri;
import io.doorpair.sipedge.proxy.Target;
import io.doorpair.sipedge.proxy.Targets;
import io.doorpair.sipedge.registrar.BindingsUnavailableException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.TooManyHopsException;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy half of the edge (DESIGN §7), transaction-stateful on the stack's transactions.
 * Requests that passed the identity check come here: Max-Forwards is checked ({@code 483} at 0) and
 * decremented (70 when missing); Route entries naming this proxy are popped; a popped Route that
 * carries a flow token sends the request to the dialog's other connection ({@link FlowTokens}),
 * anything else is routed by its Request-URI ({@link Targets}). Initial requests get a Record-Route
 * carrying a token naming both connections, and fork over a {@link Fork}: one client transaction
 * per target, each sent only over the target's own connection ({@link FlowRouter}; a gone
 * connection ends that branch with {@code 480}, the stack is never allowed to dial). Timer C bounds
 * an INVITE fork and starts over at each provisional response above 100. ACK for a 2xx is forwarded
 * statelessly along its Route; CANCEL answers {@code 200}, the INVITE {@code 487}, and cancels
 * every pending branch.
 */
final class SipProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SipProxy.class);
  private static final LimitedLog REFUSALS = new LimitedLog(LOG, 10);
  private static final int DEFAULT_MAX_FORWARDS = 70;

  /** Reason phrase of the {@code 503} when the bindings store (Redis) fails or is too slow. */
  static final String STORE_UNAVAILABLE = "Registrations store unavailable";

  private final SipProvider provider;
  private final MessageFactory messages;
  private final HeaderFactory headers;
  private final AddressFactory addresses;
  private final Targets targets;
  private final FlowTokens tokens;
  private final InetSocketAddress self;
  private final Duration timerC;
  private final ScheduledExecutorService timers;
  private final SecureRandom random;
  private volatile EdgeObserver observer = EdgeObserver.NONE;

  SipProxy(
      SipProvider provider,
      MessageFactory messages,
      HeaderFactory headers,
      AddressFactory addresses,
      Targets targets,
      FlowTokens tokens,
      InetSocketAddress self,
      Duration timerC,
      ScheduledExecutorService timers,
      SecureRandom random) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.messages = Objects.requireNonNull(messages, "messages");
    this.headers = Objects.requireNonNull(headers, "headers");
    this.addresses = Objects.requireNonNull(addresses, "addresses");
    this.targets = Objects.requireNonNull(targets, "targets");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.self = Objects.requireNonNull(self, "self");
    this.timerC = Objects.requireNonNull(timerC, "timerC");
    this.timers = Objects.requireNonNull(timers, "timers");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Reports final answers to INVITEs to {@code observer} from now on. */
  void observeWith(EdgeObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /** Whether {@code request} is addressed to this server itself (no user part, our domain). */
  boolean isForUs(Request request) {
    URI uri = request.getRequestURI();
    if (!(uri instanceof SipURI)) {
      return false;
    }
    SipURI sip = (SipURI) uri;
    boolean noUser = sip.getUser() == null || sip.getUser().isEmpty();
    return noUser && (isOurs(sip) || isOurHost(sip));
  }

  /** Whether {@code host} is the portal SIP domain. */
  boolean isPortalDomain(String host) {
    return targets.isPortalDomain(host);
  }

  /**
   * Routes an admitted request (not REGISTER, CANCEL or a request for this server).
   *
   * @param fromNode whether it came from another SIP node (an admitted node certificate): such a
   *     request must carry a Route with this node's Path token (a device of this node, the request
   *     initial) or flow token (in a dialog), and is never routed by its Request-URI
   */
  void route(RequestEvent event, boolean fromNode)
      throws SipException, ParseException, InvalidArgumentException {
    Request request = event.getRequest();
    boolean ack = Request.ACK.equals(request.getMethod());
    String arrivedOn = PeerCertificates.flow(request);
    MaxForwardsHeader maxForwards = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
    if (maxForwards == null) {
      // set on the received request itself: the stack refuses to make a server transaction for a
      // request without Max-Forwards
      request.setHeader(headers.createMaxForwardsHeader(DEFAULT_MAX_FORWARDS));
    } else if (maxForwards.getMaxForwards() <= 0) {
      refuse(event, Response.TOO_MANY_HOPS, "Too Many Hops");
      return;
    }
    Request out = (Request) request.clone();
    ((SIPMessage) out).setApplicationData(null);
    Optional<String> token = popOurRoutes(out);
    String callId = ((CallIdHeader) out.getHeader(CallIdHeader.NAME)).getCallId();
    List<Target> found;
    boolean recordRoute;
    Optional<String> pathFlow =
        fromNode ? token.flatMap(tokens::openPath) : Optional.<String>empty();
    if (fromNode && token.isEmpty()) {
      REFUSALS.info("{} from a node refused: no Route of this node", out.getMethod());
      refuse(event, Response.FORBIDDEN, "Invalid flow token");
      return;
    }
    if (pathFlow.isPresent()) {
      // a device of this node, reached from another node through the Path it registered with
      found = List.of(new Target(pathFlow.get(), out.getRequestURI().toString(), ""));
      recordRoute = !ack && !hasToTag(out);
    } else if (token.isPresent()) {
      Optional<String> other = tokens.open(token.get(), callId).flatMap(p -> p.other(arrivedOn));
      if (other.isEmpty()) {
        REFUSALS.info(
            "{} refused: Route flow token invalid or not for {}", out.getMethod(), arrivedOn);
        refuse(event, Response.FORBIDDEN, "Invalid flow token");
        return;
      }
      found = List.of(new Target(other.get(), out.getRequestURI().toString(), ""));
      recordRoute = false;
    } else {
      URI uri = out.getRequestURI();
      if (!(uri instanceof SipURI)) {
        refuse(event, Response.UNSUPPORTED_URI_SCHEME, "Unsupported URI Scheme");
        return;
      }
      SipURI sip = (SipURI) uri;
      try {
        found =
            targets.resolve(
                new RequestUri(
                    sip.toString(),
                    sip.getUser() == null ? "" : sip.getUser(),
                    sip.getHost() == null ? "" : sip.getHost(),
                    Optional.ofNullable(sip.getParameter("gr"))));
      } catch (BindingsUnavailableException e) {
        REFUSALS.warn("{} to {}: {}", out.getMethod(), out.getRequestURI(), e.getMessage());
        refuse(event, Response.SERVICE_UNAVAILABLE, STORE_UNAVAILABLE);
        return;
      }
      recordRoute = !ack && !hasToTag(out);
    }
    if (found.isEmpty()) {
      REFUSALS.info("{} to {}: no live binding", out.getMethod(), out.getRequestURI());
      refuse(event, Response.TEMPORARILY_UNAVAILABLE, "Temporarily Unavailable");
      return;
    }
    if (ack) {
      if (token.isEmpty()) {
        // an ACK for a 2xx carries our Record-Route; one for a non-2xx was absorbed by its
        // transaction: anything else has nowhere to go
        LOG.debug("ACK without a flow token dropped");
        return;
      }
      forwardAck(out, found.get(0));
      return;
    }
    ServerTransaction server = serverTransaction(event);
    if (server == null) {
      return; // a retransmission the stack already has a transaction for
    }
    boolean invite = Request.INVITE.equals(out.getMethod());
    if (invite) {
      server.sendResponse(local(request, Response.TRYING, "Trying", false));
    }
    Session session = new Session(server, found, invite, arrivedOn);
    server.setApplicationData(session);
    for (int i = 0; i < found.size(); i++) {
      Target target = found.get(i);
      Request branch = (Request) out.clone();
      if (!target.requestUri().equals(branch.getRequestURI().toString())) {
        branch.setRequestURI(addresses.createURI(target.requestUri()));
      }
      ((MaxForwardsHeader) branch.getHeader(MaxForwardsHeader.NAME)).decrementMaxForwards();
      if (recordRoute) {
        branch.addFirst(recordRoute(tokens.mint(callId, arrivedOn, target.flow())));
      }
      if (target.route().isPresent()) {
        // a device of another node: that node's Path first, the request goes over the link
        branch.addFirst(headers.createRouteHeader(addresses.createAddress(target.route().get())));
      }
      branch.addFirst(headers.createViaHeader(host(), self.getPort(), "TLS", null));
      FlowRouter.sendOver(branch, target.flow());
      session.send(i, branch);
    }
    if (invite) {
      session.armTimerC();
    }
  }

  /** A CANCEL from the caller: 200 to it, 487 to the INVITE, CANCEL on every pending branch. */
  void cancel(RequestEvent event) throws SipException, ParseException, InvalidArgumentException {
    ServerTransaction cancel = serverTransaction(event);
    if (cancel == null) {
      return;
    }
    ServerTransaction invite =
        cancel instanceof ServerTransactionExt
            ? ((ServerTransactionExt) cancel).getCanceledInviteTransaction()
            : null;
    Object data = invite == null ? null : invite.getApplicationData();
    Request request = event.getRequest();
    if (!(data instanceof Session)
        || !((Session) data).callerFlow.equals(PeerCertificates.flow(request))) {
      cancel.sendResponse(
          local(request, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "No such transaction", true));
      return;
    }
    cancel.sendResponse(local(request, Response.OK, "OK", true));
    Session session = (Session) data;
    session.apply(session.fork::callerCancel);
  }

  /** A response to one of our client transactions. */
  void response(ResponseEvent event) {
    ClientTransaction client = event.getClientTransaction();
    Object data = client == null ? null : client.getApplicationData();
    if (!(data instanceof Branch)) {
      return; // a response to our CANCEL, or a stray one: nothing to relay
    }
    Branch branch = (Branch) data;
    Response response = event.getResponse();
    String from = flowOf(response);
    String expected = branch.session.targets.get(branch.index).flow();
    if (!expected.equals(from)) {
      REFUSALS.warn("response from {} for a branch sent over {} dropped", from, expected);
      return;
    }
    int status = response.getStatusCode();
    Session session = branch.session;
    if (status < 200) {
      if (status > 100) {
        session.armTimerC(); // RFC 3261 16.7 step 2: a provisional response above 100 resets it
      }
      session.apply(() -> session.fork.provisional(branch.index, status, response));
    } else {
      session.apply(() -> session.fork.fin(branch.index, status, Optional.of(response)));
    }
  }

  /** A client transaction timed out: that branch ends as 408. */
  void timeout(TimeoutEvent event) {
    ClientTransaction client = event.isServerTransaction() ? null : event.getClientTransaction();
    Object data = client == null ? null : client.getApplicationData();
    if (data instanceof Branch) {
      Branch branch = (Branch) data;
      branch.session.apply(() -> branch.session.fork.fin(branch.index, 408, Optional.empty()));
    }
  }

  private void forwardAck(Request ack, Target target) throws SipException, ParseException {
    try {
      ((MaxForwardsHeader) ack.getHeader(MaxForwardsHeader.NAME)).decrementMaxForwards();
    } catch (TooManyHopsException e) {
      return;
    }
    try {
      ack.addFirst(headers.createViaHeader(host(), self.getPort(), "TLS", "z9hG4bK" + hex(8)));
    } catch (InvalidArgumentException e) {
      throw new IllegalStateException(e);
    }
    FlowRouter.sendOver(ack, target.flow());
    try {
      provider.sendRequest(ack);
    } catch (SipException e) {
      REFUSALS.info("ACK not forwarded over {}: {}", target.flow(), e.getMessage());
    }
  }

  /** Pops the Route entries naming this proxy; returns the flow token of the last one, if any. */
  private Optional<String> popOurRoutes(Request request) {
    Optional<String> token = Optional.empty();
    while (true) {
      RouteHeader top = (RouteHeader) request.getHeader(RouteHeader.NAME);
      if (top == null || !(top.getAddress().getURI() instanceof SipURI)) {
        return token;
      }
      SipURI uri = (SipURI) top.getAddress().getURI();
      if (!isOurs(uri) && !isOurHost(uri)) {
        return token;
      }
      request.removeFirst(RouteHeader.NAME);
      String user = uri.getUser();
      token = user == null || user.isEmpty() ? Optional.empty() : Optional.of(user);
    }
  }

  private boolean isOurs(SipURI uri) {
    int port = uri.getPort();
    return host().equalsIgnoreCase(uri.getHost()) && (port == self.getPort() || port <= 0);
  }

  private boolean isOurHost(SipURI uri) {
    int port = uri.getPort();
    return targets.isPortalDomain(uri.getHost()) && (port == self.getPort() || port <= 0);
  }

  /**
   * This node's Path URI (RFC 3327) for a device connection {@code flow}: the URI of this node with
   * a Path token naming the flow, which only this node can open.
   */
  String pathFor(String flow) {
    try {
      SipURI uri = addresses.createSipURI(tokens.mintPath(flow), host());
      uri.setPort(self.getPort());
      uri.setTransportParam("tls");
      uri.setLrParam();
      return uri.toString();
    } catch (ParseException e) {
      throw new IllegalStateException("the Path URI cannot be made", e);
    }
  }

  private RecordRouteHeader recordRoute(String token) throws ParseException {
    SipURI uri = addresses.createSipURI(token, host());
    uri.setPort(self.getPort());
    uri.setTransportParam("tls");
    uri.setLrParam();
    return headers.createRecordRouteHeader(addresses.createAddress(uri));
  }

  private String host() {
    return self.getAddress().getHostAddress();
  }

  private static boolean hasToTag(Request request) {
    ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
    return to != null && to.getTag() != null && !to.getTag().isEmpty();
  }

  /** The connection a response came over, {@code tls:<ip>:<port>}. */
  static String flowOf(Response response) {
    SIPMessage message = (SIPMessage) response;
    if (message.getRemoteAddress() == null) {
      return "";
    }
    return "tls:" + message.getRemoteAddress().getHostAddress() + ":" + message.getRemotePort();
  }

  private void refuse(RequestEvent event, int status, String reason)
      throws SipException, ParseException, InvalidArgumentException {
    if (Request.ACK.equals(event.getRequest().getMethod())) {
      return;
    }
    ServerTransaction server = serverTransaction(event);
    if (server != null) {
      server.sendResponse(local(event.getRequest(), status, reason, true));
      if (Request.INVITE.equals(event.getRequest().getMethod())) {
        observer.inviteAnswered(status);
      }
    }
  }

  private ServerTransaction serverTransaction(RequestEvent event) throws SipException {
    ServerTransaction server = event.getServerTransaction();
    if (server != null) {
      return server;
    }
    try {
      return provider.getNewServerTransaction(event.getRequest());
    } catch (TransactionAlreadyExistsException retransmission) {
      return null;
    }
  }

  private Response local(Request request, int status, String reason, boolean tag)
      throws ParseException {
    Response response = messages.createResponse(status, request);
    response.setReasonPhrase(reason);
    ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
    if (tag && to != null && to.getTag() == null) {
      to.setTag(hex(8));
    }
    return response;
  }

  private String hex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static String reason(int status) {
    switch (status) {
      case 408:
        return "Request Timeout";
      case 480:
        return "Temporarily Unavailable";
      case 487:
        return "Request Terminated";
      case 500:
        return "Server Internal Error";
      default:
        return "Error";
    }
  }

  @Override
  public void close() {
    timers.shutdownNow();
  }

  /** One forked request: its server transaction, its branches and its {@link Fork}. */
  private final class Session {
    private final ServerTransaction server;
    private final List<Target> targets;
    private final boolean invite;
    private final String callerFlow;
    private final Fork<Response> fork;
    private final ClientTransaction[] clients;
    private volatile ScheduledFuture<?> timer;

    Session(ServerTransaction server, List<Target> targets, boolean invite, String callerFlow) {
      this.server = server;
      this.targets = List.copyOf(targets);
      this.invite = invite;
      this.callerFlow = callerFlow;
      this.fork = new Fork<>(targets.size());
      this.clients = new ClientTransaction[targets.size()];
    }

    void send(int index, Request request) {
      try {
        ClientTransaction client = provider.getNewClientTransaction(request);
        client.setApplicationData(new Branch(this, index));
        synchronized (this) {
          clients[index] = client;
        }
        client.sendRequest();
      } catch (SipException | RuntimeException e) {
        REFUSALS.info(
            "{} not sent over {}: {}",
            request.getMethod(),
            targets.get(index).flow(),
            e.toString());
        apply(() -> fork.fin(index, Response.TEMPORARILY_UNAVAILABLE, Optional.empty()));
      }
    }

    /** Starts timer C, or starts it over (any earlier run is cancelled). */
    synchronized void armTimerC() {
      ScheduledFuture<?> previous = timer;
      if (previous != null) {
        previous.cancel(false);
      }
      if (fork.finalSent()) {
        return;
      }
      timer =
          timers.schedule(
              () -> {
                REFUSALS.info("timer C fired for {}", server.getRequest().getRequestURI());
                apply(fork::timerC);
              },
              timerC.toMillis(),
              TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the fork's next step and carries it out under this session's lock, so that what goes
     * upstream keeps the order the fork decided it in (a 180 never overtakes the 200).
     */
    synchronized void apply(Supplier<Step<Response>> event) {
      Step<Response> step = event.get();
      if (step.upstream().isPresent()) {
        relay(step.upstream().get());
      }
      if (invite) {
        for (int index : step.cancel()) {
          cancelBranch(index);
        }
      }
    }

    private void relay(Upstream<Response> up) {
      if (up.isFinal()) {
        ScheduledFuture<?> t = timer;
        if (t != null) {
          t.cancel(false);
        }
      }
      try {
        Response response;
        if (up.response().isPresent()) {
          response = (Response) up.response().get().clone();
          response.removeFirst(ViaHeader.NAME);
        } else {
          response = local(server.getRequest(), up.status(), reason(up.status()), true);
        }
        if (up.afterFinal()) {
          provider.sendResponse(response);
        } else {
          server.sendResponse(response);
          if (invite && up.isFinal()) {
            observer.inviteAnswered(up.status());
          }
        }
      } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
        REFUSALS.info("response {} not relayed to {}: {}", up.status(), callerFlow, e.toString());
      }
    }

    private void cancelBranch(int index) {
      ClientTransaction client;
      synchronized (this) {
        client = clients[index];
      }
      if (client == null) {
        return;
      }
      try {
        Request cancel = client.createCancel();
        FlowRouter.sendOver(cancel, targets.get(index).flow());
        provider.getNewClientTransaction(cancel).sendRequest();
      } catch (SipException | RuntimeException e) {
        REFUSALS.info("CANCEL not sent over {}: {}", targets.get(index).flow(), e.toString());
      }
    }
  }

  /** The application data of a branch's client transaction. */
  private record Branch(Session session, int index) {}
}
