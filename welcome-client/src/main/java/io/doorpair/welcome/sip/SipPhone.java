package io.doorpair.welcome.sip;

import gov.nist.javax.sip.ListeningPointExt;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.doorpair.crypto.tls.TlsMaterial;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TooManyListenersException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.PeerUnavailableException;
import javax.sip.SipProvider;
import javax.sip.TransportNotSupportedException;
import javax.sip.address.SipURI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Welcome app's SIP user agent (DESIGN §2, §7). It connects to the portal SIP server over TLS
 * 1.3 or 1.2 with the device certificate, checks the portal's certificate against the pinned portal
 * CA <em>and</em> the portal's host name, registers {@code username@<portal domain>} with the
 * instance bound in the certificate and learns its public GRUU, and keeps that registration
 * (refresh at half the expiry, CRLF keep-alive with a pong timeout, register again after any loss
 * with capped backoff and jitter). The portal never dials out: calls to this device arrive over
 * that same connection and ring the {@link CallListener}; calls from this device go to the portal
 * too, whatever their target.
 *
 * <pre>{@code
 * SipPhoneConfig config = SipPhoneConfig.of(key, chain, portalCa, instance, "portal.example.com", 5061);
 * try (SipPhone phone = SipPhone.start(config, call -> call.answer(Optional.empty()))) {
 *   Call door = phone.call(new GatewayCredentials(domain, username, password), "door");
 *   if (door.await(CallState.ESTABLISHED, Duration.ofSeconds(30)) == CallState.ESTABLISHED) {
 *     door.sendDoorOpen();
 *     door.hangUp();
 *   }
 * }
 * }</pre>
 *
 * <p>The phone signals only: it moves no media. An app gives its own SDP ({@link
 * IncomingCall#answer}, {@link #call(String, Optional, Optional)}) and runs its RTP stack.
 */
public final class SipPhone implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SipPhone.class);
  private static final int PORT_ATTEMPTS = 5;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicInteger STACKS = new AtomicInteger();
  private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** TLS 1.3 and 1.2 suites with forward secrecy and AEAD only. */
  static final List<String> CIPHER_SUITES =
      List.of(
          "TLS_AES_256_GCM_SHA384",
          "TLS_AES_128_GCM_SHA256",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

  private final SipStackImpl stack;
  private final PhoneContext ctx;

  private SipPhone(SipStackImpl stack, PhoneContext ctx) {
    this.stack = stack;
    this.ctx = ctx;
  }

  /**
   * Starts the stack and the registration, which keeps trying in the background: {@link
   * #registered()} tells when it succeeded.
   *
   * @param config the device's identity and the portal
   * @param listener told of incoming calls, ended calls and registration changes
   * @return the running phone; close it to unregister (the connection closes)
   * @throws IOException when the stack does not start
   */
  public static SipPhone start(SipPhoneConfig config, CallListener listener) throws IOException {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(listener, "listener");
    SSLContext tls =
        TlsMaterial.context(
            Optional.of(TlsMaterial.keyManager(config.key(), config.chain())),
            TlsMaterial.trustManager(List.of(config.portalCa())));
    AtomicReference<Registration> registration = new AtomicReference<>();
    String handoff =
        PhoneNetworkLayer.offer(
            new PhoneNetworkLayer.Material(
                tls, config.portalHost(), CIPHER_SUITES, s -> opened(registration, s)));
    SipStackImpl stack;
    try {
      stack = new SipStackImpl(properties(handoff, config));
    } catch (PeerUnavailableException e) {
      throw new IOException("the SIP stack did not start: " + e.getMessage(), e);
    } finally {
      PhoneNetworkLayer.withdraw(handoff);
    }
    try {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      ListeningPoint point = listeningPoint(stack, loopback);
      SipProvider provider = stack.createSipProvider(point);
      MessageFactoryImpl messages = new MessageFactoryImpl();
      HeaderFactoryImpl headers = new HeaderFactoryImpl();
      AddressFactoryImpl addresses = new AddressFactoryImpl();
      Registration reg =
          new Registration(
              provider,
              (ListeningPointExt) point,
              messages,
              headers,
              addresses,
              config,
              registered -> tell(listener, registered));
      registration.set(reg);
      PhoneContext ctx =
          new PhoneContext(provider, messages, headers, addresses, config, listener, reg);
      provider.addSipListener(new PhoneListener(ctx));
      stack.start();
      reg.start();
      LOG.info(
          "SIP phone {} instance {} towards {}:{}",
          config.aor(),
          config.instance(),
          config.portalHost(),
          config.portalPort());
      return new SipPhone(stack, ctx);
    } catch (IOException
        | TooManyListenersException
        | javax.sip.SipException
        | RuntimeException e) {
      stack.stop();
      throw new IOException("the SIP stack did not start: " + e, e);
    }
  }

  private static void opened(
      AtomicReference<Registration> registration, PhoneNetworkLayer.Flow flow) {
    Registration r = registration.get();
    if (r != null) {
      r.connectionOpened(flow);
    }
  }

  private static void tell(CallListener listener, boolean registered) {
    try {
      listener.registration(registered);
    } catch (RuntimeException e) {
      LOG.warn("the call listener failed on a registration change: {}", e.toString());
    }
  }

  /**
   * Whether the device is registered on a connection still open.
   *
   * @return true when registered
   */
  public boolean registered() {
    return ctx.registration.registered();
  }

  /**
   * How many REGISTERs succeeded since start (refreshes included).
   *
   * @return the count
   */
  public long registrations() {
    return ctx.registration.successes();
  }

  /**
   * The public GRUU the portal gave ({@code sip:username@<portal domain>;gr=urn:uuid:...}).
   *
   * @return the GRUU, empty before the first successful REGISTER
   */
  public Optional<String> gruu() {
    return ctx.registration.gruu();
  }

  /**
   * Why the last registration attempt failed, while it is not registered.
   *
   * @return e.g. {@code REGISTER answered 403 Forbidden}, empty once registered
   */
  public Optional<String> lastRegistrationFailure() {
    return ctx.registration.lastFailure();
  }

  /**
   * The address of record.
   *
   * @return {@code username@<portal domain>}
   */
  public String aor() {
    return ctx.config.aor();
  }

  /**
   * Calls a gateway's door station {@code sip:TARGET@DOMAIN} through the portal, answering the
   * b2b's digest challenge with {@code credentials}, with a minimal SDP offer.
   *
   * @param credentials the device's account at the gateway (its DOMAIN is the call's domain)
   * @param target the door station's user part, 1-64 characters of {@code [A-Za-z0-9._-]}
   * @return the call, {@link CallState#CALLING}
   * @throws SipPhoneException {@code io} when the INVITE cannot be sent
   */
  public Call call(GatewayCredentials credentials, String target) throws SipPhoneException {
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(target, "target");
    if (!TARGET.matcher(target).matches()) {
      throw new IllegalArgumentException("a call target is 1-64 characters of [A-Za-z0-9._-]");
    }
    return call(
        "sip:" + target + "@" + credentials.domain(), Optional.of(credentials), Optional.empty());
  }

  /**
   * Calls any SIP URI through the portal (another user, a GRUU, a gateway).
   *
   * @param uri a {@code sip:} URI
   * @param credentials for a digest challenge, if any is expected
   * @param sdp the offer; empty for {@link Sdp#minimal}
   * @return the call, {@link CallState#CALLING}
   * @throws SipPhoneException {@code io} when the INVITE cannot be sent
   * @throws IllegalArgumentException when {@code uri} is not a SIP URI
   */
  public Call call(String uri, Optional<GatewayCredentials> credentials, Optional<String> sdp)
      throws SipPhoneException {
    SipURI target;
    try {
      if (!(ctx.addresses.createURI(uri) instanceof SipURI sip) || sip.isSecure()) {
        throw new IllegalArgumentException("a call target is a sip: URI");
      }
      target = sip;
    } catch (ParseException e) {
      throw new IllegalArgumentException("a call target is a sip: URI", e);
    }
    String callId = ctx.provider.getNewCallId().getCallId();
    PlacedCall call =
        new PlacedCall(
            ctx,
            target,
            credentials,
            callId,
            sdp.orElseGet(() -> Sdp.minimal(ctx.localAddress(), 40000)));
    ctx.add(call);
    call.start();
    LOG.info("calling {} (call {})", target, callId);
    return call;
  }

  /**
   * Hangs up every call (waiting up to 5 s for the BYEs to be answered) and stops the stack; the
   * connection closes and the portal unbinds.
   */
  @Override
  public void close() {
    for (BaseCall call : ctx.all()) {
      call.hangUp();
    }
    ctx.awaitByes(5000);
    ctx.registration.close();
    stack.stop();
  }

  /** A fresh tag. */
  static String token() {
    return Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
  }

  static ThreadFactory daemonThreads(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  static Properties properties(String handoff, SipPhoneConfig config) {
    Properties p = new Properties();
    p.setProperty("javax.sip.STACK_NAME", "welcome-" + STACKS.incrementAndGet());
    p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
    p.setProperty("javax.sip.ROUTER_PATH", PortalRouter.class.getName());
    p.setProperty(
        "javax.sip.OUTBOUND_PROXY", config.portalHost() + ":" + config.portalPort() + "/TLS");
    p.setProperty("javax.sip.USE_ROUTER_FOR_ALL_URIS", "true");
    p.setProperty("gov.nist.javax.sip.NETWORK_LAYER", PhoneNetworkLayer.class.getName());
    p.setProperty(PhoneNetworkLayer.HANDOFF_PROPERTY, handoff);
    p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Enabled");
    p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.3,TLSv1.2");
    p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(" ", CIPHER_SUITES));
    p.setProperty("gov.nist.javax.sip.SSL_RENEGOTIATION_ENABLED", "false");
    p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", "10000");
    p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "65536");
    p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
    p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "2");
    p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
    p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
    return p;
  }

  private static ListeningPoint listeningPoint(SipStackImpl stack, InetAddress address)
      throws IOException, TransportNotSupportedException {
    InvalidArgumentException last = null;
    for (int i = 0; i < PORT_ATTEMPTS; i++) {
      int candidate;
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress(address, 0));
        candidate = probe.getLocalPort();
      }
      try {
        return stack.createListeningPoint(address.getHostAddress(), candidate, "TLS");
      } catch (InvalidArgumentException e) {
        last = e;
      }
    }
    throw new IOException(
        "cannot listen on " + address.getHostAddress() + ": " + last.getMessage(), last);
  }
}
