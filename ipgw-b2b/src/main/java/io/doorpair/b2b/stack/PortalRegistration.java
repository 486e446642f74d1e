package io.doorpair.b2b.stack;

import gov.nist.javax.sip.ListeningPointExt;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.doorpair.b2b.stack.GatewayStack.PortalLegSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code ipgw@DOMAIN} registered at the portal SIP server (DESIGN §7): REGISTER over TLS (no
 * {@code +sip.instance}: a gateway certificate binds none), refreshed at half the granted expiry,
 * an RFC 5626 CRLF CRLF keep-alive on the connection, and after any loss — the connection it
 * registered on closed, a keep-alive that cannot be written, a failed or timed-out REGISTER — a new
 * REGISTER (on a new connection) after a capped exponential backoff with jitter. The edge drops a
 * binding when its connection closes, so registering again is what makes the gateway reachable.
 *
 * <p>All state changes run on one scheduler thread or under this object's lock.
 */
final class PortalRegistration implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PortalRegistration.class);
  private static final long WATCH_MILLIS = 250;

  private final SipProvider provider;
  private final ListeningPointExt listeningPoint;
  private final MessageFactoryImpl messages;
  private final HeaderFactoryImpl headers;
  private final AddressFactoryImpl addresses;
  private final PortalLegSettings settings;
  private final SecureRandom random = new SecureRandom();
  private final ScheduledThreadPoolExecutor timer;
  private final AtomicLong successes = new AtomicLong();
  private final String callId;
  private final String fromTag;

  private long cseq;
  private int failures;
  private ClientTransaction pending;
  private ScheduledFuture<?> next;
  private volatile Socket lastConnection;
  private volatile Socket registeredOn;
  private volatile boolean registered;
  private long lastKeepAliveNanos;
  private boolean closed;

  PortalRegistration(
      SipProvider provider,
      ListeningPointExt listeningPoint,
      MessageFactoryImpl messages,
      HeaderFactoryImpl headers,
      AddressFactoryImpl addresses,
      PortalLegSettings settings) {
    this.provider = provider;
    this.listeningPoint = listeningPoint;
    this.messages = messages;
    this.headers = headers;
    this.addresses = addresses;
    this.settings = settings;
    this.callId = provider.getNewCallId().getCallId();
    this.fromTag = Long.toHexString(random.nextLong());
    this.timer = LegScheduler.create("b2b-portal-leg");
  }

  void start() {
    synchronized (this) {
      next = timer.schedule(this::attempt, 0, TimeUnit.MILLISECONDS);
    }
    timer.scheduleWithFixedDelay(this::watch, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
  }

  boolean registered() {
    return registered;
  }

  long successes() {
    return successes.get();
  }

  /** Told by the network layer of each new TLS connection to the portal. */
  void connectionOpened(Socket socket) {
    lastConnection = socket;
  }

  private synchronized void attempt() {
    if (closed) {
      return;
    }
    next = null;
    try {
      Request register = register();
      ClientTransaction transaction = provider.getNewClientTransaction(register);
      pending = transaction;
      transaction.sendRequest();
    } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
      failed("REGISTER not sent: " + e.getMessage());
    }
  }

  private Request register() throws ParseException, InvalidArgumentException {
    String domain = settings.domain();
    SipURI requestUri = addresses.createSipURI(null, settings.portal().uriHost());
    requestUri.setPort(settings.portal().port());
    requestUri.setTransportParam("tls");
    Address aor = addresses.createAddress(addresses.createSipURI("ipgw", domain));
    SipURI contactUri = addresses.createSipURI("ipgw", listeningPoint.getIPAddress());
    contactUri.setPort(listeningPoint.getPort());
    contactUri.setTransportParam("tls");
    ContactHeader contact = headers.createContactHeader(addresses.createAddress(contactUri));
    ViaHeader via =
        headers.createViaHeader(
            listeningPoint.getIPAddress(), listeningPoint.getPort(), "tls", null);
    Request request =
        messages.createRequest(
            requestUri,
            Request.REGISTER,
            headers.createCallIdHeader(callId),
            headers.createCSeqHeader(++cseq, Request.REGISTER),
            headers.createFromHeader(aor, fromTag),
            headers.createToHeader(aor, null),
            List.of(via),
            headers.createMaxForwardsHeader(70));
    request.addHeader(contact);
    request.addHeader(headers.createExpiresHeader((int) settings.registerExpires().toSeconds()));
    return request;
  }

  /** A response to a REGISTER this object sent. */
  synchronized void onResponse(ResponseEvent event) {
    if (closed || event.getClientTransaction() == null || event.getClientTransaction() != pending) {
      return;
    }
    Response response = event.getResponse();
    int status = response.getStatusCode();
    if (status < 200) {
      return;
    }
    pending = null;
    if (status >= 300) {
      failed("REGISTER answered " + status + " " + response.getReasonPhrase());
      return;
    }
    long granted = granted(response);
    boolean was = registered;
    registeredOn = lastConnection;
    registered = true;
    failures = 0;
    successes.incrementAndGet();
    if (!was) {
      LOG.info(
          "registered ipgw@{} at the portal {} for {} s",
          settings.domain(),
          settings.portal(),
          granted);
    }
    schedule(Duration.ofSeconds(Math.max(1, granted / 2)));
  }

  private long granted(Response response) {
    ContactHeader contact = (ContactHeader) response.getHeader(ContactHeader.NAME);
    if (contact != null && contact.getExpires() >= 0) {
      return contact.getExpires();
    }
    ExpiresHeader expires = response.getExpires();
    return expires != null ? expires.getExpires() : settings.registerExpires().toSeconds();
  }

  /** A REGISTER this object sent timed out. */
  synchronized void onTimeout(ClientTransaction transaction) {
    if (!closed && transaction != null && transaction == pending) {
      pending = null;
      failed("REGISTER timed out");
    }
  }

  private void failed(String why) {
    registered = false;
    Duration wait = settings.backoff().delay(failures++, random);
    LOG.warn("portal leg: {}; next REGISTER in {} ms", why, wait.toMillis());
    schedule(wait);
  }

  private void lost(String why) {
    registered = false;
    registeredOn = null;
    pending = null;
    Duration wait = settings.backoff().delay(failures++, random);
    LOG.warn("portal leg lost: {}; REGISTER again in {} ms", why, wait.toMillis());
    schedule(wait);
  }

  private void schedule(Duration wait) {
    if (next != null) {
      next.cancel(false);
    }
    next = timer.schedule(this::attempt, wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void watch() {
    if (closed || !registered) {
      return;
    }
    Socket on = registeredOn;
    if (on != null && on.isClosed()) {
      lost("the connection to the portal closed");
      return;
    }
    long now = System.nanoTime();
    if (now - lastKeepAliveNanos >= settings.keepAlive().toNanos()) {
      lastKeepAliveNanos = now;
      try {
        String ip = InetAddress.getByName(settings.portal().host()).getHostAddress();
        listeningPoint.sendHeartbeat(ip, settings.portal().port());
      } catch (IOException e) {
        lost("keep-alive failed: " + e.getMessage());
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    registered = false;
    timer.shutdownNow();
  }
}
