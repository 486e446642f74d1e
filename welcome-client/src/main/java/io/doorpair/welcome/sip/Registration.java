package io.doorpair.welcome.sip;

import gov.nist.javax.sip.ListeningPointExt;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the device registered at the portal SIP server (DESIGN §2, §7): one REGISTER of {@code
 * username@<portal domain>} with {@code +sip.instance="<urn:uuid:...>"}, {@code reg-id=1} and
 * {@code Supported: gruu, outbound}, whose answer gives the public GRUU; refreshed at half the
 * granted expiry; an RFC 5626 CRLF CRLF keep-alive on the connection, whose pong (or any other
 * bytes from the portal) must arrive within {@link SipPhoneConfig#pongTimeout()}; and after any
 * loss (the connection it registered on closed, a keep-alive that cannot be written or got no pong
 * in time, a failed or timed-out REGISTER) a new REGISTER, on a new connection, after a capped
 * exponential backoff with jitter. A flow whose pong never came is closed first: a network cut that
 * leaves the socket open (a NAT binding dropped, a frozen middlebox) would otherwise carry the next
 * REGISTER into the void too. The portal drops a binding when its connection closes, so registering
 * again is what makes the device reachable again.
 *
 * <p>State changes run on one scheduler thread or under this object's lock.
 */
final class Registration implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Registration.class);
  private static final long WATCH_MILLIS = 250;

  private final SipProvider provider;
  private final ListeningPointExt listeningPoint;
  private final MessageFactory messages;
  private final HeaderFactory headers;
  private final AddressFactory addresses;
  private final SipPhoneConfig config;
  private final String user;
  private final String domain;
  private final Consumer<Boolean> onChange;
  private final SecureRandom random = new SecureRandom();
  private final ScheduledThreadPoolExecutor timer;
  private final AtomicLong successes = new AtomicLong();
  private final String callId;
  private final String fromTag;

  private long cseq;
  private int failures;
  private ClientTransaction pending;
  private ScheduledFuture<?> next;
  private volatile PhoneNetworkLayer.Flow lastConnection;
  private volatile PhoneNetworkLayer.Flow registeredOn;
  private volatile boolean registered;
  private volatile Optional<String> gruu = Optional.empty();
  private volatile Optional<String> lastFailure = Optional.empty();
  private long lastKeepAliveNanos;
  private long unansweredPingNanos;
  private boolean pingUnanswered;
  private boolean closed;

  Registration(
      SipProvider provider,
      ListeningPointExt listeningPoint,
      MessageFactory messages,
      HeaderFactory headers,
      AddressFactory addresses,
      SipPhoneConfig config,
      Consumer<Boolean> onChange) {
    this.provider = provider;
    this.listeningPoint = listeningPoint;
    this.messages = messages;
    this.headers = headers;
    this.addresses = addresses;
    this.config = config;
    String aor = config.aor();
    int at = aor.indexOf('@');
    this.user = aor.substring(0, at);
    this.domain = aor.substring(at + 1);
    this.onChange = onChange;
    this.callId = provider.getNewCallId().getCallId();
    this.fromTag = Long.toHexString(random.nextLong());
    this.timer = new ScheduledThreadPoolExecutor(1, SipPhone.daemonThreads("welcome-sip-register"));
    this.timer.setRemoveOnCancelPolicy(true);
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

  Optional<String> gruu() {
    return gruu;
  }

  Optional<String> lastFailure() {
    return lastFailure;
  }

  String user() {
    return user;
  }

  String domain() {
    return domain;
  }

  /** The contact URI this device registers. */
  SipURI contactUri() throws ParseException {
    SipURI contact = addresses.createSipURI(user, listeningPoint.getIPAddress());
    contact.setPort(listeningPoint.getPort());
    contact.setTransportParam("tls");
    contact.setParameter("ob", null);
    return contact;
  }

  /** The local IP address of the connection to the portal, or the listening point's. */
  String localAddress() {
    PhoneNetworkLayer.Flow flow = lastConnection;
    Socket s = flow == null ? null : flow.tls();
    if (s != null && s.getLocalAddress() != null && !s.getLocalAddress().isAnyLocalAddress()) {
      return s.getLocalAddress().getHostAddress();
    }
    return listeningPoint.getIPAddress();
  }

  /** Told by the network layer of each new TLS connection to the portal. */
  void connectionOpened(PhoneNetworkLayer.Flow flow) {
    lastConnection = flow;
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
    SipURI requestUri = addresses.createSipURI(null, domain);
    Address aor = addresses.createAddress(addresses.createSipURI(user, domain));
    ContactHeader contact = headers.createContactHeader(addresses.createAddress(contactUri()));
    contact.setParameter("+sip.instance", "\"<urn:uuid:" + config.instance() + ">\"");
    contact.setParameter("reg-id", "1");
    ViaHeader via =
        headers.createViaHeader(
            listeningPoint.getIPAddress(), listeningPoint.getPort(), "tls", null);
    via.setRPort();
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
    request.addHeader(headers.createSupportedHeader("gruu, outbound"));
    request.addHeader(headers.createExpiresHeader((int) config.registerExpires().toSeconds()));
    return request;
  }

  /** A response to a REGISTER this object sent. */
  void onResponse(ResponseEvent event) {
    Boolean changed;
    synchronized (this) {
      changed = handle(event);
    }
    if (changed != null) {
      onChange.accept(changed);
    }
  }

  private Boolean handle(ResponseEvent event) {
    if (closed || event.getClientTransaction() == null || event.getClientTransaction() != pending) {
      return null;
    }
    Response response = event.getResponse();
    int status = response.getStatusCode();
    if (status < 200) {
      return null;
    }
    pending = null;
    if (status >= 300) {
      return failed("REGISTER answered " + status + " " + response.getReasonPhrase());
    }
    Optional<ContactHeader> ours = ourContact(response);
    long granted =
        ours.map(ContactHeader::getExpires)
            .filter(e -> e >= 0)
            .map(Integer::longValue)
            .orElseGet(() -> granted(response));
    gruu = ours.map(c -> c.getParameter("pub-gruu")).map(Registration::unquote);
    boolean was = registered;
    if (registeredOn != lastConnection) {
      pingUnanswered = false;
    }
    registeredOn = lastConnection;
    registered = true;
    lastFailure = Optional.empty();
    failures = 0;
    successes.incrementAndGet();
    schedule(Duration.ofSeconds(Math.max(1, granted / 2)));
    if (!was) {
      LOG.info(
          "registered {}@{} instance {} at {}:{} for {} s{}",
          user,
          domain,
          config.instance(),
          config.portalHost(),
          config.portalPort(),
          granted,
          gruu.map(g -> ", GRUU " + g).orElse(""));
      return true;
    }
    return null;
  }

  /** The Contact of the answer that is this device's (others are the user's other devices). */
  private Optional<ContactHeader> ourContact(Response response) {
    String wanted = "urn:uuid:" + config.instance().toString().toLowerCase(Locale.ROOT);
    ListIterator<?> it = response.getHeaders(ContactHeader.NAME);
    while (it.hasNext()) {
      ContactHeader contact = (ContactHeader) it.next();
      String instance = contact.getParameter("+sip.instance");
      if (instance != null && unquote(instance).toLowerCase(Locale.ROOT).equals(wanted)) {
        return Optional.of(contact);
      }
    }
    return Optional.empty();
  }

  /** {@code "<urn:uuid:x>"} or {@code <urn:uuid:x>} or {@code "sip:..."} without its wrapping. */
  static String unquote(String value) {
    String v = value.trim();
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    if (v.length() >= 2 && v.startsWith("<") && v.endsWith(">")) {
      v = v.substring(1, v.length() - 1);
    }
    return v;
  }

  private long granted(Response response) {
    ExpiresHeader expires = response.getExpires();
    return expires != null ? expires.getExpires() : config.registerExpires().toSeconds();
  }

  /** A REGISTER this object sent timed out. */
  void onTimeout(ClientTransaction transaction) {
    Boolean changed = null;
    synchronized (this) {
      if (!closed && transaction != null && transaction == pending) {
        pending = null;
        changed = failed("REGISTER timed out");
      }
    }
    if (changed != null) {
      onChange.accept(changed);
    }
  }

  private Boolean failed(String why) {
    boolean was = registered;
    registered = false;
    lastFailure = Optional.of(why);
    Duration wait = config.backoff().delay(failures++, random);
    LOG.warn("SIP registration: {}; next REGISTER in {} ms", why, wait.toMillis());
    schedule(wait);
    return was ? Boolean.FALSE : null;
  }

  private Boolean lost(String why) {
    boolean was = registered;
    registered = false;
    registeredOn = null;
    pingUnanswered = false;
    pending = null;
    lastFailure = Optional.of(why);
    Duration wait = config.backoff().delay(failures++, random);
    LOG.warn("SIP registration lost: {}; REGISTER again in {} ms", why, wait.toMillis());
    schedule(wait);
    return was ? Boolean.FALSE : null;
  }

  private void schedule(Duration wait) {
    if (next != null) {
      next.cancel(false);
    }
    next = timer.schedule(this::attempt, wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void watch() {
    Boolean changed;
    synchronized (this) {
      changed = check();
    }
    if (changed != null) {
      onChange.accept(changed);
    }
  }

  private Boolean check() {
    if (closed || !registered) {
      return null;
    }
    PhoneNetworkLayer.Flow on = registeredOn;
    if (on != null && (on.tls().isClosed() || on.tcp().isClosed())) {
      return lost("the connection to the portal closed");
    }
    long now = System.nanoTime();
    if (on != null && pingUnanswered) {
      if (on.tcp().lastReceivedNanos() - unansweredPingNanos >= 0) {
        pingUnanswered = false;
      } else if (now - unansweredPingNanos > config.pongTimeout().toNanos()) {
        on.abort();
        return lost(
            "no keep-alive pong within " + config.pongTimeout().toMillis() + " ms; flow closed");
      }
    }
    if (now - lastKeepAliveNanos >= config.keepAlive().toNanos()) {
      lastKeepAliveNanos = now;
      try {
        String ip = InetAddress.getByName(config.portalHost()).getHostAddress();
        listeningPoint.sendHeartbeat(ip, config.portalPort());
      } catch (IOException e) {
        return lost("keep-alive failed: " + e.getMessage());
      }
      if (!pingUnanswered) {
        pingUnanswered = true;
        unansweredPingNanos = now;
      }
    }
    return null;
  }

  /** Stops refreshing; sends no un-REGISTER (closing the connection drops the binding). */
  @Override
  public synchronized void close() {
    closed = true;
    registered = false;
    timer.shutdownNow();
  }
}
