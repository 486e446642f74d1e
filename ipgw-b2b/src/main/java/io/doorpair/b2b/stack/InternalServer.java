package io.doorpair.b2b.stack;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.doorpair.b2b.access.LanPolicy;
import io.doorpair.b2b.localsip.DigestGate;
import io.doorpair.b2b.localsip.FloodGuard;
import io.doorpair.b2b.localsip.InternalTarget;
import io.doorpair.b2b.localsip.Registrations;
import java.io.IOException;
import java.util.ListIterator;
import java.util.Optional;
import java.util.Properties;
import java.util.TooManyListenersException;
import java.util.function.Supplier;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.PeerUnavailableException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded internal SIP server for door stations (the specification's "internal flexisip" when
 * none is installed): a SIP stack of its own listening on UDP and TCP at {@code internal-sip-uri},
 * a registrar whose every REGISTER must pass digest ({@link DigestGate}: realm = DOMAIN, the
 * Flexisip password file) and may only register the authenticated account ({@code To} user = digest
 * username, {@code To} host = DOMAIN, else {@code 403}) and only when {@link LanPolicy} admits the
 * account on the LAN (door stations, {@code ipgw}, LAN app accounts; an app account used through
 * the portal only gets {@code 403}). OPTIONS is answered {@code 200}; other requests go to the
 * stateless {@link InternalProxy}. Every request first passes a {@link FloodGuard} ({@link
 * FloodValve}: per-source and global rate limits, {@code 503} or dropped).
 */
public final class InternalServer implements AutoCloseable, SipListener {
  private static final Logger LOG = LoggerFactory.getLogger(InternalServer.class);

  private final SipStackImpl stack;
  private final DigestGate gate;
  private final Registrations registrations;
  private final MessageFactoryImpl messages = new MessageFactoryImpl();
  private final HeaderFactoryImpl headers = new HeaderFactoryImpl();
  private final InternalProxy proxy;
  private final FloodGuard guard;
  private final java.util.concurrent.atomic.AtomicLong unexpected =
      new java.util.concurrent.atomic.AtomicLong();
  private static final java.util.concurrent.atomic.AtomicLong STACKS =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile java.util.function.Consumer<String> registered = user -> {};

  private final Supplier<LanPolicy> lan;
  private final java.util.concurrent.atomic.AtomicLong refusedRegisters =
      new java.util.concurrent.atomic.AtomicLong();

  private InternalServer(
      SipStackImpl stack,
      InternalTarget target,
      DigestGate gate,
      Registrations registrations,
      FloodGuard guard,
      Supplier<LanPolicy> lan) {
    this.stack = stack;
    this.guard = guard;
    this.gate = gate;
    this.registrations = registrations;
    this.lan = lan;
    this.proxy = new InternalProxy(target, gate, registrations, messages, headers, lan);
  }

  /**
   * Starts listening on UDP and TCP at the target's host and port.
   *
   * @param target where ({@code internal-sip-uri})
   * @param gate who may register
   * @param registrations where registrations go
   * @return the running server
   * @throws IOException when a port cannot be bound
   */
  public static InternalServer start(
      InternalTarget target, DigestGate gate, Registrations registrations) throws IOException {
    return start(target, gate, registrations, new FloodGuard());
  }

  /**
   * Starts listening on UDP and TCP at the target's host and port behind a given flood guard.
   *
   * @param target where ({@code internal-sip-uri})
   * @param gate who may register
   * @param registrations where registrations go
   * @param guard the flood guard every request passes first
   * @return the running server
   * @throws IOException when a port cannot be bound
   */
  public static InternalServer start(
      InternalTarget target, DigestGate gate, Registrations registrations, FloodGuard guard)
      throws IOException {
    return start(target, gate, registrations, guard, LanPolicy::everyAccountADoor);
  }

  /**
   * Starts listening on UDP and TCP behind a flood guard, with the LAN rules of the gateway's
   * files: who may register (door stations, {@code ipgw}, LAN app accounts) and what LAN app
   * accounts may do ({@link LanPolicy}).
   *
   * @param target where ({@code internal-sip-uri})
   * @param gate the digest of every password-file account at DOMAIN
   * @param registrations where registrations go
   * @param guard the flood guard every request passes first
   * @param lan the LAN rules now (read at each request: a reload replaces them)
   * @return the running server
   * @throws IOException when a port cannot be bound
   */
  public static InternalServer start(
      InternalTarget target,
      DigestGate gate,
      Registrations registrations,
      FloodGuard guard,
      Supplier<LanPolicy> lan)
      throws IOException {
    Properties p = new Properties();
    String name = "internal-sip-" + STACKS.incrementAndGet();
    p.setProperty("javax.sip.STACK_NAME", name);
    // every request passes the flood guard first; queued datagrams older than 2 s are dropped
    p.setProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE", FloodValve.class.getName());
    p.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", "2000");
    FloodValve.register(name, guard);
    p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
    p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "65536");
    p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
    p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
    p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", "2000");
    p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
    SipStackImpl stack;
    try {
      stack = new SipStackImpl(p);
    } catch (PeerUnavailableException e) {
      FloodValve.unregister(name);
      throw new IOException("the internal SIP stack did not start: " + e.getMessage(), e);
    }
    InternalServer server = new InternalServer(stack, target, gate, registrations, guard, lan);
    try {
      probe(target);
      ListeningPoint udp = stack.createListeningPoint(target.host(), target.port(), "udp");
      ListeningPoint tcp = stack.createListeningPoint(target.host(), target.port(), "tcp");
      SipProvider provider = stack.createSipProvider(udp);
      provider.addListeningPoint(tcp);
      provider.addSipListener(server);
      stack.start();
    } catch (InvalidArgumentException
        | SipException
        | TooManyListenersException
        | IOException
        | RuntimeException e) {
      FloodValve.unregister(name);
      stack.stop();
      throw new IOException(
          "internal SIP server cannot listen on "
              + target.uriHost()
              + ":"
              + target.port()
              + " (UDP and TCP): "
              + e.getMessage(),
          e);
    }
    LOG.info("internal SIP server on {}:{} (UDP, TCP)", target.uriHost(), target.port());
    return server;
  }

  /**
   * The flood guard in front of this server (its state is what tests check stays bounded).
   *
   * @return the guard
   */
  public FloodGuard floodGuard() {
    return guard;
  }

  /**
   * The server transactions the stack holds now (real state, for flood tests).
   *
   * @return the count
   */
  public int serverTransactions() {
    return stack.getServerTransactionTableSize();
  }

  /**
   * How many requests ended in an unexpected exception in this server's own code (caught, logged):
   * the fuzz tests require none.
   *
   * @return the count since start
   */
  public long unexpectedErrors() {
    return unexpected.get() + proxy.unexpectedErrors();
  }

  /**
   * How many requests the LAN rules refused ({@code 403}/{@code 415} after digest): real state, for
   * tests that must know a refused request is done with.
   *
   * @return the count since start
   */
  public long refusedOnLan() {
    return proxy.refusedOnLan() + refusedRegisters.get();
  }

  /**
   * Sets the registrar's hook, called with the user part after each REGISTER that added, refreshed
   * or removed a binding (the b2b's {@link io.doorpair.b2b.localsip.DoorPresence#changed}). It runs
   * on a SIP thread: it must be quick and must not throw.
   *
   * @param hook the hook
   */
  public void onRegister(java.util.function.Consumer<String> hook) {
    this.registered = java.util.Objects.requireNonNull(hook, "hook");
  }

  /**
   * Whether both ports are free, for a clear message: jain-sip reports a port in use with a {@code
   * NullPointerException} from its clean-up.
   */
  private static void probe(InternalTarget target) throws IOException {
    java.net.InetSocketAddress at = new java.net.InetSocketAddress(target.host(), target.port());
    try (java.net.DatagramSocket udp = new java.net.DatagramSocket(null);
        java.net.ServerSocket tcp = new java.net.ServerSocket()) {
      udp.bind(at);
      tcp.setReuseAddress(true);
      tcp.bind(at);
    } catch (java.net.BindException e) {
      throw new IOException("address already in use", e);
    }
  }

  /** The registrations (read them; REGISTER writes them). */
  public Registrations registrations() {
    return registrations;
  }

  @Override
  public void processRequest(RequestEvent event) {
    Request request = event.getRequest();
    String method = request.getMethod();
    SipProvider provider = (SipProvider) event.getSource();
    if (!Request.REGISTER.equals(method) && !Request.OPTIONS.equals(method)) {
      proxy.forward(provider, request);
      return;
    }
    ServerTransaction transaction = event.getServerTransaction();
    try {
      if (transaction == null) {
        transaction = provider.getNewServerTransaction(request);
      }
      Response response;
      switch (method) {
        case Request.REGISTER:
          response = register(request);
          break;
        case Request.OPTIONS:
          response = messages.createResponse(Response.OK, request);
          break;
        default:
          response = messages.createResponse(Response.TEMPORARILY_UNAVAILABLE, request);
          break;
      }
      try {
        transaction.sendResponse(response);
      } catch (RuntimeException e) {
        // jain-sip reads some Via values only when sending: a malformed one throws here
        LOG.debug("{} not sent to a malformed Via: {}", response.getStatusCode(), e.toString());
      }
    } catch (TransactionAlreadyExistsException e) {
      // a retransmission: the transaction answers it
    } catch (SipException
        | java.text.ParseException
        | InvalidArgumentException
        | IllegalArgumentException e) {
      // IllegalArgumentException: a value jain-sip parses only when read (rport) was malformed
      LOG.debug("could not answer {}: {}", method, e.toString());
    } catch (RuntimeException e) {
      unexpected.incrementAndGet();
      LOG.warn("could not answer {}: {}", method, e.toString());
    }
  }

  private Response register(Request request)
      throws java.text.ParseException, InvalidArgumentException {
    AuthorizationHeader authorization =
        (AuthorizationHeader) request.getHeader(AuthorizationHeader.NAME);
    Optional<String> credentials =
        authorization == null
            ? Optional.empty()
            : Optional.of(headerValue(authorization.toString()));
    DigestGate.Verdict verdict =
        gate.check(request.getMethod(), request.getRequestURI().toString(), credentials, "");
    if (verdict instanceof DigestGate.Challenge) {
      DigestGate.Challenge challenge = (DigestGate.Challenge) verdict;
      LOG.debug("REGISTER challenged: {}", challenge.why());
      Response response = messages.createResponse(Response.UNAUTHORIZED, request);
      for (String value : challenge.headerValues()) {
        response.addHeader(
            (WWWAuthenticateHeader) headers.createHeader(WWWAuthenticateHeader.NAME, value));
      }
      return response;
    }
    String user = ((DigestGate.Accepted) verdict).user();
    URI to = ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI();
    if (!(to instanceof SipURI)
        || !user.equalsIgnoreCase(((SipURI) to).getUser())
        || !gate.realm().equalsIgnoreCase(((SipURI) to).getHost())) {
      return messages.createResponse(Response.FORBIDDEN, request);
    }
    if (!lan.get().mayRegister(user)) {
      // an app account approved through the portal: its password does not open the LAN side
      refusedRegisters.incrementAndGet();
      LOG.warn("internal REGISTER of {} refused: not a LAN account", user);
      return messages.createResponse(Response.FORBIDDEN, request);
    }
    ListIterator<?> contacts = request.getHeaders(ContactHeader.NAME);
    ContactHeader contact = null;
    int count = 0;
    while (contacts.hasNext()) {
      contact = (ContactHeader) contacts.next();
      count++;
    }
    ExpiresHeader expires = request.getExpires();
    long asked = expires == null ? -1 : expires.getExpires();
    if (count > 1) {
      return messages.createResponse(Response.BAD_REQUEST, request);
    }
    ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
    String transport = via.getTransport().toLowerCase(java.util.Locale.ROOT);
    if (contact == null) {
      Response response = messages.createResponse(Response.OK, request);
      registrations.of(user).ifPresent(c -> addContact(response, c.contact(), c.expiresAt()));
      return response;
    }
    if (contact.isWildCard()) {
      registrations.put(user, "*", transport, "", 0);
      tell(user);
      return messages.createResponse(Response.OK, request);
    }
    if (contact.getExpires() >= 0) {
      asked = contact.getExpires();
    }
    long granted = Registrations.grant(asked);
    String source = via.getReceived() != null ? via.getReceived() : via.getHost();
    int rport = InternalProxy.rport(via);
    int port = rport > 0 ? rport : via.getPort();
    String uri = contact.getAddress().getURI().toString();
    if (!registrations.put(user, uri, transport, source + ":" + port, granted)) {
      return messages.createResponse(Response.SERVICE_UNAVAILABLE, request);
    }
    LOG.info("internal REGISTER {}@{} for {} s over {}", user, gate.realm(), granted, transport);
    tell(user);
    Response response = messages.createResponse(Response.OK, request);
    if (granted > 0) {
      ContactHeader echoed = (ContactHeader) contact.clone();
      echoed.setExpires((int) granted);
      response.addHeader(echoed);
    }
    return response;
  }

  private void tell(String user) {
    try {
      registered.accept(user);
    } catch (RuntimeException e) {
      unexpected.incrementAndGet();
      LOG.warn("registrar hook failed for {}: {}", user, e.toString());
    }
  }

  private void addContact(Response response, String uri, java.time.Instant expiresAt) {
    try {
      ContactHeader header =
          headers.createContactHeader(new AddressFactoryImpl().createAddress(uri));
      header.setExpires(
          (int)
              Math.max(
                  0, java.time.Duration.between(java.time.Instant.now(), expiresAt).toSeconds()));
      response.addHeader(header);
    } catch (java.text.ParseException | InvalidArgumentException e) {
      LOG.debug("stored contact not echoed: {}", e.toString());
    }
  }

  private static String headerValue(String headerLine) {
    int colon = headerLine.indexOf(':');
    return headerLine.substring(colon + 1).strip();
  }

  @Override
  public void processResponse(ResponseEvent event) {
    proxy.relay((SipProvider) event.getSource(), event.getResponse());
  }

  @Override
  public void processTimeout(TimeoutEvent event) {}

  @Override
  public void processIOException(IOExceptionEvent event) {}

  @Override
  public void processTransactionTerminated(TransactionTerminatedEvent event) {}

  @Override
  public void processDialogTerminated(DialogTerminatedEvent event) {}

  @Override
  public void close() {
    stack.stop();
  }
}
