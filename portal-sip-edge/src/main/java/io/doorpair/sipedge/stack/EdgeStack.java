package io.doorpair.sipedge.stack;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.NioTlsMessageProcessor;
import io.doorpair.sipedge.metrics.EdgeObserver;
import io.doorpair.sipedge.metrics.ObserverSlot;
import io.doorpair.sipedge.proxy.FlowTokens;
import io.doorpair.sipedge.proxy.NodeRoutes;
import io.doorpair.sipedge.proxy.Targets;
import io.doorpair.sipedge.registrar.NodeDirectory;
import io.doorpair.sipedge.registrar.Registrar;
import io.doorpair.sipedge.revocation.RevocationList;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.TooManyListenersException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Predicate;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.PeerUnavailableException;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TransportNotSupportedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running jain-sip stack with one TLS listening point. Built with plain constructors (no global
 * {@code SipFactory}, which caches stacks by name).
 */
public final class EdgeStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeStack.class);
  private static final int PORT_ATTEMPTS = 10;

  private final SipStackImpl stack;
  private final MessageProcessor processor;
  private final InetSocketAddress bound;
  private final InetSocketAddress announced;
  private final SipProxy proxy;
  private final ObserverSlot observers;
  private final Optional<NodeLinks> links;

  private EdgeStack(
      SipStackImpl stack,
      MessageProcessor processor,
      InetSocketAddress bound,
      InetSocketAddress announced,
      SipProxy proxy,
      ObserverSlot observers,
      Optional<NodeLinks> links) {
    this.observers = observers;
    this.stack = stack;
    this.processor = processor;
    this.bound = bound;
    this.announced = announced;
    this.proxy = proxy;
    this.links = links;
  }

  /**
   * The links to the other SIP nodes ({@link NodeRoutes#NONE} when this node routes to no other).
   */
  public NodeRoutes nodeRoutes() {
    return links.<NodeRoutes>map(l -> l).orElse(NodeRoutes.NONE);
  }

  /**
   * How many times the stack asked to open an outgoing connection and was refused (it does so when
   * sending to a client whose connection has gone; requests only ever go over connections clients
   * opened).
   */
  public long refusedDials() {
    return GuardedNio.refusedDials(processor);
  }

  /** How many TLS connections are open (handshaking ones included). */
  public int openConnections() {
    return GuardedNio.noDelayCensus(processor)[0];
  }

  /**
   * How many open TLS connections have Nagle's algorithm on (TCP_NODELAY off): 0, since every
   * accepted connection gets TCP_NODELAY; a check for tests and diagnostics.
   */
  public int connectionsWithNagle() {
    return GuardedNio.noDelayCensus(processor)[1];
  }

  /**
   * Closes every open connection whose client certificate satisfies {@code condition}.
   *
   * @return how many were closed
   */
  public int closeConnectionsOf(Predicate<X509Certificate> condition) {
    return GuardedNio.closeWhere(processor, Objects.requireNonNull(condition, "condition"));
  }

  /**
   * Starts a stack listening for TLS on {@code listen}.
   *
   * @param settings the stack properties
   * @param keys the server's identity
   * @param trust whom client certificates must chain to (the portal CA)
   * @param listen address and port; port 0 picks a free port (the stack itself refuses port 0)
   * @param advertise the address the others reach this server at, carried by the Via, the
   *     Record-Route, the Path and the pings to other nodes; empty: the bound address
   * @param registrar where REGISTERs go
   * @param revocations checked on every request (resumed TLS sessions skip the trust manager)
   * @param targets where proxied requests go
   * @param timerC how long an INVITE fork may wait for a final response
   * @param nodes the other SIP nodes sharing the bindings, when this node routes to them and takes
   *     their requests (its certificate must then be a node certificate); empty for none
   * @return the running stack
   * @throws IOException when the stack cannot start or the port cannot be bound
   */
  public static EdgeStack start(
      StackSettings settings,
      X509KeyManager keys,
      X509TrustManager trust,
      InetSocketAddress listen,
      Optional<InetSocketAddress> advertise,
      Registrar registrar,
      RevocationList revocations,
      Targets targets,
      Duration timerC,
      Optional<NodeDirectory> nodes)
      throws IOException {
    Objects.requireNonNull(nodes, "nodes");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(advertise, "advertise");
    Objects.requireNonNull(registrar, "registrar");
    String handoff = EdgeSecurityProvider.offer(keys, trust);
    SipStackImpl stack;
    try {
      stack = new SipStackImpl(settings.toProperties(handoff));
    } catch (PeerUnavailableException e) {
      throw new IOException("the SIP stack did not start: " + e.getMessage(), e);
    } finally {
      EdgeSecurityProvider.withdraw(handoff);
    }
    try {
      InetAddress address =
          listen.isUnresolved()
              ? InetAddress.getByName(listen.getHostString())
              : listen.getAddress();
      ListeningPoint point = listeningPoint(stack, address, listen.getPort());
      MessageProcessor processor = ((ListeningPointImpl) point).getMessageProcessor();
      if (!(processor instanceof NioTlsMessageProcessor)) {
        throw new IOException("the TLS listening point was not made by GuardedNio");
      }
      SipProvider provider = stack.createSipProvider(point);
      InetSocketAddress bound = new InetSocketAddress(address, point.getPort());
      InetSocketAddress announced = advertise.orElse(bound);
      MessageFactoryImpl messages = new MessageFactoryImpl();
      HeaderFactoryImpl headers = new HeaderFactoryImpl();
      AddressFactoryImpl addresses = new AddressFactoryImpl();
      SecureRandom random = new SecureRandom();
      ScheduledThreadPoolExecutor timers =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread t = new Thread(r, settings.stackName() + "-timer-c");
                t.setDaemon(true);
                return t;
              });
      timers.setRemoveOnCancelPolicy(true);
      SipProxy proxy =
          new SipProxy(
              provider,
              messages,
              headers,
              addresses,
              targets,
              new FlowTokens(random),
              announced,
              timerC,
              timers,
              random);
      ObserverSlot observers = new ObserverSlot();
      GuardedNio.observeWith(processor, observers);
      proxy.observeWith(observers);
      EdgeSipListener listener =
          new EdgeSipListener(
              proxy, registrar, revocations, messages, headers, addresses, observers);
      Optional<NodeLinks> links = Optional.empty();
      if (nodes.isPresent()) {
        NodeLinks nodeLinks =
            new NodeLinks(
                nodes.get(),
                provider,
                messages,
                headers,
                addresses,
                processor,
                announced,
                NodeLinks.PERIOD);
        GuardedNio.allowDials(processor, nodeLinks::mayDial);
        listener.acceptNodes(nodes.get(), nodeLinks);
        registrar.usePaths(proxy::pathFor);
        links = Optional.of(nodeLinks);
      }
      Optional<NodeLinks> linked = links;
      GuardedNio.onFlowClosed(
          processor,
          flow -> {
            registrar.flowClosed(flow);
            linked.ifPresent(l -> l.closed(flow));
          });
      provider.addSipListener(listener);
      stack.start();
      links.ifPresent(NodeLinks::start);
      if (advertise.isPresent()) {
        LOG.info("SIP over TLS listening on {}, reached at {}", bound, announced);
      } else {
        LOG.info("SIP over TLS listening on {}", bound);
      }
      return new EdgeStack(stack, processor, bound, announced, proxy, observers, links);
    } catch (IOException | SipException | TooManyListenersException | RuntimeException e) {
      stack.stop();
      if (e instanceof IOException) {
        throw (IOException) e;
      }
      throw new IOException("the SIP stack did not start: " + e, e);
    }
  }

  private static ListeningPoint listeningPoint(SipStackImpl stack, InetAddress address, int port)
      throws IOException, TransportNotSupportedException {
    int attempts = port == 0 ? PORT_ATTEMPTS : 1;
    InvalidArgumentException last = null;
    for (int i = 0; i < attempts; i++) {
      int candidate = port == 0 ? freePort(address) : port;
      try {
        return stack.createListeningPoint(address.getHostAddress(), candidate, "TLS");
      } catch (InvalidArgumentException e) {
        last = e;
      }
    }
    throw new IOException(
        "cannot listen on " + address.getHostAddress() + ":" + port + ": " + last.getMessage(),
        last);
  }

  private static int freePort(InetAddress address) throws IOException {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(false);
      probe.bind(new InetSocketAddress(address, 0));
      return probe.getLocalPort();
    }
  }

  /** Reports handshake failures and REGISTER and INVITE answers to {@code observer} from now on. */
  public void observe(EdgeObserver observer) {
    observers.set(observer);
  }

  /** The stack's TLS message processor (for tests in this package). */
  MessageProcessor processor() {
    return processor;
  }

  /** The address and port the TLS listening point is bound to. */
  public InetSocketAddress boundAddress() {
    return bound;
  }

  /** The address the others reach this server at: the advertised one, else the bound one. */
  public InetSocketAddress announcedAddress() {
    return announced;
  }

  /** Stops the stack: closes the listening point and every connection. */
  @Override
  public void close() {
    links.ifPresent(NodeLinks::close);
    proxy.close();
    stack.stop();
    LOG.info("SIP over TLS on {} stopped", bound);
  }
}
