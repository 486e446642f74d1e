package io.doorpair.sipedge;

import io.doorpair.sipedge.metrics.EdgeObserver;
import io.doorpair.sipedge.proxy.NodeRoutes;
import io.doorpair.sipedge.registrar.Bindings;
import io.doorpair.sipedge.registrar.NodeDirectory;
import io.doorpair.sipedge.revocation.RevocationList;
import io.doorpair.sipedge.stack.EdgeStack;
import java.net.InetSocketAddress;
import java.security.cert.X509CRL;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A started portal SIP server; {@link #close()} stops it. */
public final class RunningSipEdge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningSipEdge.class);
  private final EdgeStack stack;
  private final Bindings bindings;
  private final RevocationList revocations;
  private final Optional<ExecutorService> cleanup;
  private final List<AutoCloseable> alsoClose = new CopyOnWriteArrayList<>();
  private volatile Consumer<X509CRL> sharing;
  private volatile EdgeObserver observer = EdgeObserver.NONE;
  private volatile Optional<NodeDirectory> sharedNodes = Optional.empty();

  RunningSipEdge(
      EdgeStack stack,
      Bindings bindings,
      RevocationList revocations,
      Optional<ExecutorService> cleanup) {
    this.stack = stack;
    this.bindings = bindings;
    this.revocations = revocations;
    this.cleanup = cleanup;
  }

  /**
   * Takes a new CRL of the portal CA: certificates it lists fail new handshakes, and their open
   * connections are closed before this method returns (a request that races the close gets {@code
   * 403 Certificate revoked}).
   *
   * @throws IllegalArgumentException {@code the CRL is not signed by the portal CA}, {@code the CRL
   *     is older than the current one}
   */
  public void updateCrl(X509CRL crl) {
    revocations.update(crl);
    int closed = stack.closeConnectionsOf(revocations::isRevoked);
    if (closed > 0) {
      LOG.info("closed {} connection(s) of revoked certificates", closed);
      observer.revokedConnectionsClosed(closed);
    }
  }

  /**
   * Reports to {@code observer} from now on, for metrics: handshake failures by reason, REGISTER
   * and INVITE answers, connections closed at a revocation.
   */
  public void observe(EdgeObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
    stack.observe(observer);
  }

  /** The address and port the TLS listener is bound to (the real port when 0 was asked). */
  public InetSocketAddress sipAddress() {
    return stack.boundAddress();
  }

  /**
   * The address the others reach this server at, as the Record-Route, the Path and the node
   * heartbeat carry it: {@link SipEdgeConfig#advertise()}, else {@link #sipAddress()}.
   */
  public InetSocketAddress announcedAddress() {
    return stack.announcedAddress();
  }

  /**
   * How many times the stack wanted to open an outgoing connection (to a client whose connection
   * had gone) and was refused: requests only go over connections clients opened.
   */
  public long refusedDials() {
    return stack.refusedDials();
  }

  /** How many TLS connections are open (handshaking ones included). */
  public int openConnections() {
    return stack.openConnections();
  }

  /**
   * How many open TLS connections have Nagle's algorithm on: 0, since every accepted connection
   * gets TCP_NODELAY (with Nagle a response waits for the acknowledgement of the previous segment).
   */
  public int connectionsWithNagle() {
    return stack.connectionsWithNagle();
  }

  /** The registrar's bindings (read them; the registrar writes them). */
  public Bindings bindings() {
    return bindings;
  }

  /**
   * The connection ({@code tls:<ip>:<port>}) of this node's working link to the SIP node {@code
   * node}, empty when there is none (routing between nodes off, node not running, link not up yet
   * or broken).
   */
  public Optional<String> linkTo(String node) {
    return stack.nodeRoutes().linkTo(node);
  }

  /**
   * Takes a new CRL as {@link #updateCrl} does and, when the bindings are shared in Redis, shares
   * it with every node there at once (the portal calls this for each CRL it signs). A Redis failure
   * is logged: the nodes still follow the CRL file.
   */
  public void publishCrl(X509CRL crl) {
    updateCrl(crl);
    Consumer<X509CRL> share = sharing;
    if (share != null) {
      try {
        share.accept(crl);
      } catch (RuntimeException e) {
        LOG.warn("CRL not shared through Redis: {}", e.getMessage());
      }
    }
  }

  /** The CRLs in force, one per portal CA that has one (two during a CA rotation's overlap). */
  public List<X509CRL> crls() {
    return revocations.current();
  }

  /**
   * The nodes sharing the bindings (in Redis), when there are: their heartbeats, for the health of
   * the shared store and the state of the links to them.
   */
  public Optional<NodeDirectory> sharedNodes() {
    return sharedNodes;
  }

  /** Whether this node routes to the other SIP nodes (on Redis, with a node certificate). */
  public boolean routesToNodes() {
    return stack.nodeRoutes() != NodeRoutes.NONE;
  }

  /** Where the heartbeats of the nodes sharing the bindings are read. */
  void shareNodesOn(NodeDirectory nodes) {
    this.sharedNodes = Optional.of(nodes);
  }

  /** Where {@link #publishCrl} shares CRLs. */
  void shareCrlsOn(Consumer<X509CRL> share) {
    this.sharing = share;
  }

  /** Closes {@code resource} after the stack when this edge closes. */
  void alsoClose(AutoCloseable resource) {
    alsoClose.add(resource);
  }

  @Override
  public void close() {
    stack.close();
    cleanup.ifPresent(
        c -> {
          c.shutdown();
          try {
            if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
              c.shutdownNow();
            }
          } catch (InterruptedException e) {
            c.shutdownNow();
            Thread.currentThread().interrupt();
          }
        });
    for (AutoCloseable resource : alsoClose) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("while closing {}: {}", resource.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
