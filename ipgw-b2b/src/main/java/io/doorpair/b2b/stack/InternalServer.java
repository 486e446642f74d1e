package io.doorpair.b2b.stack;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.doorpair.b2b.localsip.DigestGate;
import io.doorpair.b2b.localsip.InternalTarget;
import io.doorpair.b2b.localsip.Registrations;
import java.io.IOException;
import java.util.ListIterator;
import java.util.Optional;
import java.util.Properties;
import java.util.TooManyListenersException;
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
 * username, {@code To} host = DOMAIN, else {@code 403}). OPTIONS is answered {@code 200}; other
 * requests go through {@link InternalProxy}.
 */
public final class InternalServer implements AutoCloseable, SipListener {
  private static final Logger LOG = LoggerFactory.getLogger(InternalServer.class);

  private final SipStackImpl stack;
  private final DigestGate gate;
  private final Registrations registrations;
  private final MessageFactoryImpl messages = new MessageFactoryImpl();
  private final HeaderFactoryImpl headers = new HeaderFactoryImpl();
  private final InternalProxy proxy;

  private InternalServer(
      SipStackImpl stack, InternalTarget target, DigestGate gate, Registrations registrations) {
    this.stack = stack;
    this.gate = gate;
    this.registrations = registrations;
    this.proxy = new InternalProxy(target, gate, registrations, messages, headers);
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
    Properties p = new Properties();
    p.setProperty("javax.sip.STACK_NAME", "internal-sip");
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
      throw new IOException("the internal SIP stack did not start: " + e.getMessage(), e);
    }
    InternalServer server = new InternalServer(stack, target, gate, registrations);
    try {
      ListeningPoint udp = stack.createListeningPoint(target.host(), target.port(), "udp");
      ListeningPoint tcp = stack.createListeningPoint(target.host(), target.port(), "tcp");
      SipProvider provider = stack.createSipProvider(udp);
      provider.addListeningPoint(tcp);
      provider.addSipListener(server);
      stack.start();
    } catch (InvalidArgumentException
        | SipException
        | TooManyListenersException
        | RuntimeException e) {
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

  /** The registrations (read them; REGISTER writes them). */
  public Registrations registrations() {
    return registrations;
  }

  @Override
  public void processRequest(RequestEvent event) {
    Request request = event.getRequest();
    String method = request.getMethod();
    if (Request.ACK.equals(method)) {
      return;
    }
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
      transaction.sendResponse(response);
    } catch (TransactionAlreadyExistsException e) {
      // a retransmission: the transaction answers it
    } catch (SipException
        | java.text.ParseException
        | InvalidArgumentException
        | RuntimeException e) {
      LOG.debug("could not answer {}: {}", method, e.toString());
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
        gate.check(request.getMethod(), request.getRequestURI().toString(), credentials);
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
      return messages.createResponse(Response.OK, request);
    }
    if (contact.getExpires() >= 0) {
      asked = contact.getExpires();
    }
    long granted = Registrations.grant(asked);
    String source = via.getReceived() != null ? via.getReceived() : via.getHost();
    int port = via.getRPort() > 0 ? via.getRPort() : via.getPort();
    String uri = contact.getAddress().getURI().toString();
    if (!registrations.put(user, uri, transport, source + ":" + port, granted)) {
      return messages.createResponse(Response.SERVICE_UNAVAILABLE, request);
    }
    LOG.info("internal REGISTER {}@{} for {} s over {}", user, gate.realm(), granted, transport);
    Response response = messages.createResponse(Response.OK, request);
    if (granted > 0) {
      ContactHeader echoed = (ContactHeader) contact.clone();
      echoed.setExpires((int) granted);
      response.addHeader(echoed);
    }
    return response;
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
