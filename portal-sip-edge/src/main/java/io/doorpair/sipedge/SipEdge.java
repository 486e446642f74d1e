package io.doorpair.sipedge;

import io.doorpair.crypto.tls.TlsMaterial;
import io.doorpair.sipedge.proxy.Targets;
import io.doorpair.sipedge.registrar.Bindings;
import io.doorpair.sipedge.registrar.InMemoryBindings;
import io.doorpair.sipedge.registrar.Registrar;
import io.doorpair.sipedge.revocation.RevocationList;
import io.doorpair.sipedge.revocation.RevokingTrustManager;
import io.doorpair.sipedge.stack.EdgeStack;
import java.io.IOException;
import java.time.Clock;
import java.util.Objects;

/** Builds and starts the portal SIP server (one place where its objects are wired). */
public final class SipEdge {
  private SipEdge() {}

  /** Starts with in-memory bindings and the system clock. */
  public static RunningSipEdge start(SipEdgeConfig config) throws IOException {
    return start(config, new InMemoryBindings(), Clock.systemUTC());
  }

  /**
   * Starts the server.
   *
   * @param config what to listen on, the SIP domain, and which certificates
   * @param bindings where registrations are kept
   * @param clock the time source for binding expiry
   * @return the running server
   * @throws IOException when the port cannot be bound or the stack does not start
   */
  public static RunningSipEdge start(SipEdgeConfig config, Bindings bindings, Clock clock)
      throws IOException {
    Objects.requireNonNull(config, "config");
    Registrar registrar = new Registrar(bindings, config.registration(), clock);
    RevocationList revocations = new RevocationList(config.caCertificates());
    config.crl().ifPresent(revocations::update);
    EdgeStack stack =
        EdgeStack.start(
            config.stack(),
            TlsMaterial.keyManager(config.serverKey(), config.serverChain()),
            new RevokingTrustManager(
                TlsMaterial.trustManager(config.caCertificates()), revocations),
            config.listen(),
            registrar,
            revocations,
            new Targets(config.domain(), bindings, clock),
            config.timerC());
    return new RunningSipEdge(stack, bindings, revocations);
  }
}
