package io.doorpair.b2b;

import io.doorpair.b2b.conf.B2bFiles;
import io.doorpair.b2b.localsip.Registrations;
import io.doorpair.b2b.stack.GatewayStack;
import io.doorpair.b2b.stack.InternalServer;
import java.util.Optional;

/** A started b2b; {@link #close()} stops it. */
public final class RunningB2b implements AutoCloseable {
  private final B2bFiles files;
  private final GatewayStack stack;
  private final Optional<InternalServer> internalServer;

  RunningB2b(B2bFiles files, GatewayStack stack, Optional<InternalServer> internalServer) {
    this.files = files;
    this.stack = stack;
    this.internalServer = internalServer;
  }

  /**
   * Whether {@code ipgw@DOMAIN} is registered at the internal SIP server.
   *
   * @return true when registered
   */
  public boolean internalRegistered() {
    return stack.internalRegistered();
  }

  /**
   * Who is registered at the embedded internal SIP server, if it runs.
   *
   * @return the registrations
   */
  public Optional<Registrations> internalRegistrations() {
    return internalServer.map(InternalServer::registrations);
  }

  /**
   * The gateway DOMAIN of {@code b2b.conf}.
   *
   * @return the DOMAIN
   */
  public String domain() {
    return files.conf().domain();
  }

  /**
   * Whether {@code ipgw@DOMAIN} is registered at the portal on a connection still open.
   *
   * @return true when registered
   */
  public boolean portalRegistered() {
    return stack.portalRegistered();
  }

  /**
   * How many REGISTERs the portal accepted since start.
   *
   * @return the count
   */
  public long portalRegistrations() {
    return stack.portalRegistrations();
  }

  @Override
  public void close() {
    stack.close();
    internalServer.ifPresent(InternalServer::close);
  }
}
