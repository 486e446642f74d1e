package io.doorpair.b2b;

import io.doorpair.b2b.access.AccessHolder;
import io.doorpair.b2b.access.AccessPolicy;
import io.doorpair.b2b.conf.B2bFiles;
import io.doorpair.b2b.conf.FileFormatException;
import io.doorpair.b2b.conf.GatewayPaths;
import io.doorpair.b2b.journal.CallJournal;
import io.doorpair.b2b.localsip.DigestGate;
import io.doorpair.b2b.localsip.FloodGuard;
import io.doorpair.b2b.localsip.InternalTarget;
import io.doorpair.b2b.localsip.Registrations;
import io.doorpair.b2b.stack.GatewayStack;
import io.doorpair.b2b.stack.InternalServer;
import io.doorpair.b2b.upstream.PortalTarget;
import io.doorpair.crypto.tls.TlsMaterial;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** Builds and starts the b2b (the one place where its objects are wired). */
public final class B2b {
  private B2b() {}

  /**
   * Reads and checks the files, then starts the embedded internal SIP server (unless told not to),
   * the stack, the portal leg and the internal leg.
   *
   * @param paths the files of DESIGN §6
   * @param settings tunables
   * @param journal where the calls' records go (answered, missed, door opened)
   * @return the running b2b
   * @throws FileFormatException one line naming the file (and line) at fault
   * @throws IOException when the SIP stack does not start
   */
  public static RunningB2b start(GatewayPaths paths, B2bSettings settings, CallJournal journal)
      throws IOException {
    Objects.requireNonNull(paths, "paths");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(journal, "journal");
    B2bFiles files = B2bFiles.load(paths, Instant.now());
    PortalTarget portal;
    try {
      portal = PortalTarget.parse(files.conf().portalSipUri());
    } catch (FileFormatException e) {
      throw new FileFormatException(paths.b2bConf() + ": " + e.getMessage());
    }
    InternalTarget internal;
    try {
      internal = InternalTarget.parse(files.conf().internalSipUri());
    } catch (FileFormatException e) {
      throw new FileFormatException(paths.b2bConf() + ": " + e.getMessage());
    }
    SSLContext tls =
        TlsMaterial.context(
            Optional.of(TlsMaterial.keyManager(files.key(), files.chain())),
            TlsMaterial.trustManager(files.caCertificates()));
    AccessHolder access =
        new AccessHolder(
            AccessPolicy.of(
                files.conf().domain(), files.access(), Clock.systemUTC(), new SecureRandom()));
    Optional<InternalServer> server = Optional.empty();
    DigestGate doors =
        new DigestGate(
            files.conf().domain(), files.accounts(), Clock.systemUTC(), new SecureRandom());
    if (settings.embeddedInternalServer()) {
      server =
          Optional.of(
              InternalServer.start(
                  internal,
                  doors,
                  new Registrations(Clock.systemUTC()),
                  new FloodGuard(),
                  () -> access.get().lan()));
    }
    GatewayStack stack;
    try {
      stack =
          GatewayStack.start(
              new GatewayStack.PortalLegSettings(
                  tls,
                  portal,
                  files.conf().domain(),
                  settings.registerExpires(),
                  settings.keepAlive(),
                  settings.backoff()),
              new GatewayStack.InternalLegSettings(
                  internal,
                  files.conf().domain(),
                  files.conf().password(),
                  Duration.ofSeconds(600),
                  settings.backoff()),
              access,
              journal);
    } catch (IOException | RuntimeException e) {
      server.ifPresent(InternalServer::close);
      throw e;
    }
    return new RunningB2b(paths, files, access, doors, stack, server);
  }
}
