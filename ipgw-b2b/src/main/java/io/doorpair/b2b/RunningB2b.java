package io.doorpair.b2b;

import io.doorpair.b2b.access.AccessHolder;
import io.doorpair.b2b.access.AccessPolicy;
import io.doorpair.b2b.conf.B2bFiles;
import io.doorpair.b2b.conf.FileFormatException;
import io.doorpair.b2b.conf.GatewayPaths;
import io.doorpair.b2b.conf.ReloadNarrowing;
import io.doorpair.b2b.localsip.DigestGate;
import io.doorpair.b2b.localsip.DoorPresence;
import io.doorpair.b2b.localsip.Registrations;
import io.doorpair.b2b.metrics.B2bObserver;
import io.doorpair.b2b.stack.GatewayStack;
import io.doorpair.b2b.stack.InternalServer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started b2b: {@link #reload()} (SIGHUP) rereads the access files, {@link #drain} (SIGTERM) lets
 * the calls in progress finish, {@link #close()} stops it.
 */
public final class RunningB2b implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningB2b.class);
  private final GatewayPaths paths;
  private final B2bFiles files;
  private final AccessHolder access;
  private final DigestGate internalGate;
  private final GatewayStack stack;
  private final Optional<InternalServer> internalServer;
  private final java.util.concurrent.atomic.AtomicReference<B2bFiles.Access> current;
  private final Optional<DoorPresence> presence;
  private volatile B2bObserver observer = B2bObserver.NONE;

  RunningB2b(
      GatewayPaths paths,
      B2bFiles files,
      AccessHolder access,
      DigestGate internalGate,
      GatewayStack stack,
      Optional<InternalServer> internalServer,
      Optional<DoorPresence> presence) {
    this.paths = paths;
    this.files = files;
    this.access = access;
    this.internalGate = internalGate;
    this.stack = stack;
    this.internalServer = internalServer;
    this.current = new java.util.concurrent.atomic.AtomicReference<>(files.access());
    this.presence = presence;
  }

  /**
   * Rereads {@code acl.list}, the password file and {@code accounts.list} as one snapshot: when all
   * three are well formed and agree, the next calls and requests see them (calls in progress go
   * on); otherwise the previous snapshot stays, <b>narrowed</b> by what of the new files can be
   * read ({@link ReloadNarrowing}: an account gone or with a new password, an app account whose
   * line is gone, rights and uses taken away are dropped, and every app account when the password
   * file or {@code accounts.list} cannot be read), and the reason (file and line, never a password)
   * is logged and returned. The embedded internal server takes the same accounts, and forgets the
   * registrations of accounts no longer admitted on the LAN.
   *
   * @return empty when reloaded, else why not
   */
  public synchronized Optional<String> reload() {
    try {
      B2bFiles.Access next = B2bFiles.loadAccess(paths, files.conf());
      AccessPolicy policy = install(next);
      LOG.info("reloaded: {}, {}", policy, policy.lan());
      observer.reloaded(true);
      return Optional.empty();
    } catch (FileFormatException e) {
      B2bFiles.Access narrowed = ReloadNarrowing.narrowed(current.get(), paths, files.conf());
      AccessPolicy policy = install(narrowed);
      LOG.warn(
          "reload refused, keeping the previous files without what the new ones revoke ({}, {}):"
              + " {}",
          policy,
          policy.lan(),
          e.getMessage());
      observer.reloaded(false);
      return Optional.of(e.getMessage());
    }
  }

  private AccessPolicy install(B2bFiles.Access next) {
    AccessPolicy policy =
        AccessPolicy.of(files.conf().domain(), next, Clock.systemUTC(), new SecureRandom());
    internalGate.replaceAccounts(next.accounts());
    access.set(policy);
    current.set(next);
    internalServer.ifPresent(
        s -> {
          int gone = s.registrations().retain(policy.lan()::mayRegister);
          if (gone > 0) {
            LOG.info("{} registration(s) of accounts no longer admitted on the LAN removed", gone);
          }
        });
    return policy;
  }

  /**
   * Where a door call rings now.
   *
   * @return the targets
   */
  public java.util.List<String> doorCallTargets() {
    return access.get().doorCallTargets();
  }

  /**
   * How many bridged calls are in progress.
   *
   * @return the count
   */
  public int calls() {
    return stack.calls();
  }

  /**
   * Whether a drain has begun: new calls are refused.
   *
   * @return true once {@link #drain} was called
   */
  public boolean draining() {
    return stack.draining();
  }

  /**
   * Stops taking new calls and waits for those in progress, at most {@code wait}.
   *
   * @param wait the longest wait
   * @return true when no call was left
   */
  public boolean drain(Duration wait) {
    return stack.drain(wait);
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
   * How many door stations are registered at the embedded internal SIP server now (0 when it does
   * not run): every account but {@code ipgw} and the app accounts.
   *
   * @return the count
   */
  public int doorStationsRegistered() {
    return internalServer
        .map(
            s ->
                (int)
                    s.registrations().all().stream()
                        .map(Registrations.Contact::user)
                        .filter(user -> !user.equals("ipgw") && !access.get().isAppAccount(user))
                        .count())
        .orElse(0);
  }

  /**
   * The embedded internal SIP server, if it runs.
   *
   * @return the server
   */
  public Optional<InternalServer> internalServer() {
    return internalServer;
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

  /**
   * Reports calls, door-open commands and reloads to {@code observer} from now on, for metrics.
   *
   * @param observer who hears them
   */
  public void observe(B2bObserver observer) {
    this.observer = java.util.Objects.requireNonNull(observer, "observer");
    stack.observe(observer);
  }

  /**
   * The files read at start ({@code b2b.conf} among them).
   *
   * @return the files
   */
  public B2bFiles files() {
    return files;
  }

  @Override
  public void close() {
    stack.close();
    presence.ifPresent(DoorPresence::close); // records the end of the doors' registrations
    internalServer.ifPresent(InternalServer::close);
  }
}
