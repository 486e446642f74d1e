package io.doorpair.e2e.harness;

import io.doorpair.ipgw.GatewayCore;
import io.doorpair.ipgw.accounts.B2bSignal;
import io.doorpair.ipgw.pairing.GatewayIdentity;
import io.doorpair.ipgw.pairing.PairingSettings;
import io.doorpair.ipgw.requests.AccessDecisions;
import io.doorpair.ipgw.store.StoredRequest;
import io.doorpair.welcome.http.PortalClient;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * A gateway agent ({@code ipgw}'s core: pairing, the portal channel, the owner's decisions) running
 * in the test's JVM on folders of its own: the real gateway code path the owner's admin site calls,
 * without the browser.
 */
public final class GatewayAgent implements AutoCloseable {
  private static final PairingSettings SETTINGS =
      new PairingSettings("sips:127.0.0.1:5061", "sip:127.0.0.1:5070;transport=tcp", 2048, 5);

  private final Path dir;
  private final PairingSettings settings;
  private GatewayCore core;

  private GatewayAgent(Path dir, PairingSettings settings, GatewayCore core) {
    this.dir = dir;
    this.settings = settings;
    this.core = core;
  }

  /**
   * Starts a gateway agent in {@code dir} that talks to {@code portalUrl}, trusting {@code ca}.
   *
   * @param dir its folder ({@code root/} for /etc, {@code data/} for its store)
   * @param portalUrl the portal, or a relay to it
   * @param ca the portal CA
   * @return the agent
   */
  public static GatewayAgent start(Path dir, String portalUrl, X509Certificate ca) {
    return new GatewayAgent(dir, SETTINGS, core(dir, portalUrl, ca, SETTINGS));
  }

  /**
   * As {@link #start(Path, String, X509Certificate)}, with the SIP URIs its pairing writes into
   * {@code b2b.conf}, for a test that runs the b2b on the agent's files.
   *
   * @param dir its folder
   * @param portalUrl the portal, or a relay to it
   * @param ca the portal CA
   * @param portalSipUri e.g. {@code sips:localhost:5061}
   * @param internalSipUri e.g. {@code sip:127.0.0.1:5070}
   * @return the agent
   */
  public static GatewayAgent start(
      Path dir, String portalUrl, X509Certificate ca, String portalSipUri, String internalSipUri) {
    PairingSettings settings = new PairingSettings(portalSipUri, internalSipUri, 2048, 5);
    return new GatewayAgent(dir, settings, core(dir, portalUrl, ca, settings));
  }

  private static GatewayCore core(
      Path dir, String portalUrl, X509Certificate ca, PairingSettings settings) {
    PortalClient portal = PortalClient.builder(portalUrl).trustAnchors(List.of(ca)).build();
    return GatewayCore.start(
        new GatewayCore.Settings(
            dir.resolve("root"),
            dir.resolve("data"),
            portal,
            settings,
            B2bSignal.NONE,
            Duration.ofSeconds(5),
            Duration.ofMillis(200),
            Duration.ofSeconds(2)));
  }

  /**
   * Restarts the agent on the same folders, talking to another URL (a relay).
   *
   * @param portalUrl the new URL
   * @param ca the portal CA
   */
  public void reconnect(String portalUrl, X509Certificate ca) {
    core.close();
    core = core(dir, portalUrl, ca, settings);
  }

  /**
   * Pairs the gateway as {@code owner}.
   *
   * @param owner the owner's portal username
   * @param password the owner's password
   * @return the gateway DOMAIN
   */
  public String pair(String owner, String password) {
    return core.pair(owner, password.toCharArray(), "Location: Loft").domain();
  }

  /**
   * The gateway's identity (its key and certificate).
   *
   * @return the identity
   */
  public GatewayIdentity identity() {
    return GatewayIdentity.of(core.pairing().orElseThrow());
  }

  /**
   * The owner's decisions (approve, deny, security code).
   *
   * @return the decisions
   */
  public AccessDecisions decisions() {
    return core.decisions();
  }

  /**
   * Waits until a request matching {@code which} is pending at the gateway.
   *
   * @param which the request wanted
   * @param timeout a generous deadline
   * @return the request
   */
  public StoredRequest awaitPending(Predicate<StoredRequest> which, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      for (StoredRequest r : core.decisions().pending()) {
        if (which.test(r)) {
          return r;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no pending request at the gateway after " + timeout);
  }

  @Override
  public void close() {
    core.close();
  }
}
