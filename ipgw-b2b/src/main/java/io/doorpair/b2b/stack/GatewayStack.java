package io.doorpair.b2b.stack;

import gov.nist.javax.sip.ListeningPointExt;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.doorpair.b2b.access.AccessHolder;
import io.doorpair.b2b.journal.CallJournal;
import io.doorpair.b2b.localsip.InternalTarget;
import io.doorpair.b2b.metrics.B2bObserver;
import io.doorpair.b2b.upstream.Backoff;
import io.doorpair.b2b.upstream.PortalTarget;
import io.doorpair.crypto.SipPassword;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.TooManyListenersException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.PeerUnavailableException;
import javax.sip.SipProvider;
import javax.sip.TransportNotSupportedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one SIP stack (jain-sip-ri on its default blocking transports, as {@code
 * shared/notes/jain-sip.md} recommends: the NIO TLS client loses the first requests): a TLS
 * listening point on loopback for the portal leg, whose outgoing connections go through {@link
 * GatewayNetworkLayer}, and the {@link PortalRegistration} on it.
 */
public final class GatewayStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayStack.class);
  private static final int PORT_ATTEMPTS = 5;

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
  private final PortalRegistration registration;
  private final InternalRegistration internal;
  private final CallBridge bridge;
  private final B2bObserver.Slot observers;

  private GatewayStack(
      SipStackImpl stack,
      PortalRegistration registration,
      InternalRegistration internal,
      CallBridge bridge,
      B2bObserver.Slot observers) {
    this.observers = observers;
    this.stack = stack;
    this.registration = registration;
    this.internal = internal;
    this.bridge = bridge;
  }

  /**
   * What the portal leg needs.
   *
   * @param tls the client context: agent.pem as identity, trusting cafile.pem only
   * @param portal where the portal SIP server is (its host name is checked in its certificate)
   * @param domain the gateway DOMAIN: registers {@code ipgw@DOMAIN}
   * @param registerExpires the expiry asked in REGISTER
   * @param keepAlive how often a CRLF CRLF keep-alive goes to the portal
   * @param backoff waits between attempts after a failure or loss
   */
  public record PortalLegSettings(
      SSLContext tls,
      PortalTarget portal,
      String domain,
      Duration registerExpires,
      Duration keepAlive,
      Backoff backoff) {
    /** Checks presence. */
    public PortalLegSettings {
      Objects.requireNonNull(tls, "tls");
      Objects.requireNonNull(portal, "portal");
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(registerExpires, "registerExpires");
      Objects.requireNonNull(keepAlive, "keepAlive");
      Objects.requireNonNull(backoff, "backoff");
    }
  }

  /**
   * What the internal leg needs.
   *
   * @param target the internal SIP server ({@code internal-sip-uri})
   * @param domain the gateway DOMAIN: registers {@code ipgw@DOMAIN}
   * @param password the b2b password of {@code b2b.conf}
   * @param expires the expiry asked
   * @param backoff waits after a failure
   */
  public record InternalLegSettings(
      InternalTarget target,
      String domain,
      SipPassword password,
      Duration expires,
      Backoff backoff) {
    /** Checks presence. */
    public InternalLegSettings {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(expires, "expires");
      Objects.requireNonNull(backoff, "backoff");
    }

    /** Redacts the password. */
    @Override
    public String toString() {
      return "InternalLegSettings[" + target + ", ipgw@" + domain + "]";
    }
  }

  /**
   * How long a bridged call may ring and last ({@code b2b.conf}).
   *
   * @param ringTimeout a call nobody answers within this ends ({@code 480} to the caller, CANCEL to
   *     the callee)
   * @param maxCallDuration an answered call is hung up (BYE both ways) after this
   * @param ackWait a 2xx we sent that gets no ACK within this hangs up both legs (64*T1)
   */
  public record CallLimits(Duration ringTimeout, Duration maxCallDuration, Duration ackWait) {
    /** Checks the values. */
    public CallLimits {
      Objects.requireNonNull(ringTimeout, "ringTimeout");
      Objects.requireNonNull(maxCallDuration, "maxCallDuration");
      Objects.requireNonNull(ackWait, "ackWait");
      if (ringTimeout.isNegative()
          || ringTimeout.isZero()
          || maxCallDuration.isNegative()
          || maxCallDuration.isZero()
          || ackWait.isNegative()
          || ackWait.isZero()) {
        throw new IllegalArgumentException("call limits must be positive");
      }
    }
  }

  /**
   * Starts the stack and the portal registration (which keeps retrying in the background).
   *
   * @param settings the portal leg
   * @param internal the internal leg
   * @param limits how long calls may ring and last
   * @param access who may do what now (replaced whole on reload)
   * @param journal where answered, missed and door-opened records go
   * @return the running stack
   * @throws IOException when the stack does not start
   */
  public static GatewayStack start(
      PortalLegSettings settings,
      InternalLegSettings internal,
      CallLimits limits,
      AccessHolder access,
      CallJournal journal)
      throws IOException {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(journal, "journal");
    InetAddress internalHost = InetAddress.getByName(internal.target().host());
    AtomicReference<PortalRegistration> registration = new AtomicReference<>();
    String handoff =
        GatewayNetworkLayer.offer(
            new GatewayNetworkLayer.Material(
                settings.tls(),
                settings.portal().host(),
                CIPHER_SUITES,
                socket -> connectionOpened(registration, socket)));
    SipStackImpl stack;
    try {
      Properties p = properties(handoff);
      p.setProperty("javax.sip.ROUTER_PATH", GatewayRouter.class.getName());
      p.setProperty(
          GatewayRouter.PORTAL_HOP,
          GatewayRouter.hopText(settings.portal().host(), settings.portal().port(), "TLS"));
      p.setProperty(
          GatewayRouter.INTERNAL_HOP,
          GatewayRouter.hopText(
              internalHost.getHostAddress(),
              internal.target().port(),
              internal.target().transport().toUpperCase(java.util.Locale.ROOT)));
      p.setProperty(GatewayRouter.DOMAIN, internal.domain());
      stack = new SipStackImpl(p);
    } catch (PeerUnavailableException e) {
      throw new IOException("the SIP stack did not start: " + e.getMessage(), e);
    } finally {
      GatewayNetworkLayer.withdraw(handoff);
    }
    CallBridge bridge = null;
    B2bObserver.Slot observers = new B2bObserver.Slot();
    try {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      ListeningPoint tls = listeningPoint(stack, loopback, "TLS");
      SipProvider provider = stack.createSipProvider(tls);
      PortalRegistration portal =
          new PortalRegistration(
              provider,
              (ListeningPointExt) tls,
              new MessageFactoryImpl(),
              new HeaderFactoryImpl(),
              new AddressFactoryImpl(),
              settings);
      registration.set(portal);
      ListeningPoint local =
          listeningPoint(stack, localAddressTowards(internalHost), internal.target().transport());
      SipProvider localProvider = stack.createSipProvider(local);
      InternalRegistration inside =
          new InternalRegistration(
              localProvider,
              local,
              new MessageFactoryImpl(),
              new HeaderFactoryImpl(),
              new AddressFactoryImpl(),
              internal);
      bridge =
          new CallBridge(
              observers,
              new SipKit(
                  provider,
                  tls,
                  localProvider,
                  local,
                  internal.domain(),
                  new InetSocketAddress(internalHost, internal.target().port())),
              access,
              journal,
              internal.password(),
              java.time.Clock.systemUTC(),
              new CallTimers(limits));
      GatewayListener listener = new GatewayListener(portal, inside, bridge);
      provider.addSipListener(listener);
      localProvider.addSipListener(listener);
      stack.start();
      portal.start();
      inside.start();
      LOG.info(
          "portal leg: TLS from {}:{} to {}",
          loopback.getHostAddress(),
          tls.getPort(),
          settings.portal());
      return new GatewayStack(stack, portal, inside, bridge, observers);
    } catch (IOException
        | TooManyListenersException
        | javax.sip.SipException
        | RuntimeException e) {
      stack.stop();
      if (bridge != null) {
        bridge.close();
      }
      throw new IOException("the SIP stack did not start: " + e, e);
    }
  }

  private static void connectionOpened(AtomicReference<PortalRegistration> registration, Socket s) {
    PortalRegistration r = registration.get();
    if (r != null) {
      r.connectionOpened(s);
    }
  }

  /**
   * Reports calls and door-open commands to {@code observer} from now on.
   *
   * @param observer who hears them
   */
  public void observe(B2bObserver observer) {
    observers.set(observer);
  }

  /**
   * Whether {@code ipgw@DOMAIN} is registered at the portal on a connection still open.
   *
   * @return true when registered
   */
  public boolean portalRegistered() {
    return registration.registered();
  }

  /**
   * How many times the registration succeeded since start (refreshes included).
   *
   * @return the count
   */
  public long portalRegistrations() {
    return registration.successes();
  }

  /**
   * Whether {@code ipgw@DOMAIN} is registered at the internal SIP server.
   *
   * @return true when registered
   */
  public boolean internalRegistered() {
    return internal.registered();
  }

  /**
   * How many bridged calls are in progress.
   *
   * @return the count
   */
  public int calls() {
    return bridge.calls();
  }

  /**
   * Whether a drain has begun: new calls get {@code 503}.
   *
   * @return true once {@link #drain} was called
   */
  public boolean draining() {
    return bridge.draining();
  }

  /**
   * Stops taking new calls ({@code 503}) and waits for the calls in progress to end.
   *
   * @param wait the longest wait
   * @return true when no call is left
   */
  public boolean drain(Duration wait) {
    return bridge.drain(wait);
  }

  /**
   * The local address the stack uses towards {@code destination}: loopback for loopback, else the
   * wildcard-free address the routing table picks (a UDP socket connected, never sending).
   */
  private static InetAddress localAddressTowards(InetAddress destination) throws IOException {
    if (destination.isLoopbackAddress()) {
      return destination;
    }
    try (java.net.DatagramSocket probe = new java.net.DatagramSocket()) {
      probe.connect(destination, 9);
      return probe.getLocalAddress();
    }
  }

  @Override
  public void close() {
    internal.close();
    registration.close();
    stack.stop();
    bridge.close();
  }

  static Properties properties(String handoff) {
    Properties p = new Properties();
    p.setProperty("javax.sip.STACK_NAME", "gateway");
    p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
    p.setProperty("gov.nist.javax.sip.IS_BACK_TO_BACK_USER_AGENT", "true");
    p.setProperty("gov.nist.javax.sip.NETWORK_LAYER", GatewayNetworkLayer.class.getName());
    p.setProperty(GatewayNetworkLayer.HANDOFF_PROPERTY, handoff);
    p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Enabled");
    p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.3,TLSv1.2");
    p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(" ", CIPHER_SUITES));
    p.setProperty("gov.nist.javax.sip.SSL_RENEGOTIATION_ENABLED", "false");
    p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", "5000");
    p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "65536");
    p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
    p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
    p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
    p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
    return p;
  }

  private static ListeningPoint listeningPoint(
      SipStackImpl stack, InetAddress address, String transport)
      throws IOException, TransportNotSupportedException {
    InvalidArgumentException last = null;
    for (int i = 0; i < PORT_ATTEMPTS; i++) {
      int candidate;
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress(address, 0));
        candidate = probe.getLocalPort();
      }
      try {
        return stack.createListeningPoint(address.getHostAddress(), candidate, transport);
      } catch (InvalidArgumentException e) {
        last = e;
      }
    }
    throw new IOException(
        "cannot listen on " + address.getHostAddress() + ": " + last.getMessage(), last);
  }
}
