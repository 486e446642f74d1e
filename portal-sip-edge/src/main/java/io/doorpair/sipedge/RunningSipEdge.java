package io.doorpair.sipedge;

import io.doorpair.sipedge.registrar.Bindings;
import io.doorpair.sipedge.revocation.RevocationList;
import io.doorpair.sipedge.stack.EdgeStack;
import java.net.InetSocketAddress;
import java.security.cert.X509CRL;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A started portal SIP server; {@link #close()} stops it. */
public final class RunningSipEdge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningSipEdge.class);
  private final EdgeStack stack;
  private final Bindings bindings;
  private final RevocationList revocations;
  private final Optional<ExecutorService> cleanup;

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
    }
  }

  /** The address and port the TLS listener is bound to (the real port when 0 was asked). */
  public InetSocketAddress sipAddress() {
    return stack.boundAddress();
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
  }
}
