package io.doorpair.welcome.cli;

import io.doorpair.welcome.flow.WelcomeApp;
import io.doorpair.welcome.profile.PairedIdentity;
import io.doorpair.welcome.sip.GatewayCredentials;
import io.doorpair.welcome.sip.SipPhoneConfig;
import java.net.URI;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The SIP options the {@code register}, {@code call} and {@code open-door} commands share, and what
 * they read from the profile: the device identity and a gateway's account.
 */
final class SipOptions {
  /** The portal SIP server's usual TLS port. */
  static final int DEFAULT_PORT = 5061;

  private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

  @Option(
      names = "--proxy",
      paramLabel = "HOST:PORT",
      description =
          "the portal SIP server over TLS, HOST as its certificate names it; default the portal's"
              + " host and port 5061")
  String proxy;

  @Option(
      names = "--door-digit",
      paramLabel = "DIGIT",
      defaultValue = "#",
      description = "the DTMF digit of the door-open INFO (default ${DEFAULT-VALUE})")
  char doorDigit;

  /** The phone configuration of this profile's device; the SIP log quiet on stderr (warnings). */
  SipPhoneConfig config(WelcomeApp app) {
    if (System.getProperty(LOG_LEVEL) == null) {
      System.setProperty(LOG_LEVEL, "warn");
    }
    PairedIdentity identity = app.identity();
    String host;
    int port;
    if (proxy != null) {
      int colon = proxy.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("--proxy must be HOST:PORT");
      }
      host = proxy.substring(0, colon);
      try {
        port = Integer.parseInt(proxy.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--proxy port must be a number");
      }
    } else {
      host = URI.create(identity.settings().portalUrl()).getHost();
      port = DEFAULT_PORT;
      if (host == null) {
        throw new IllegalArgumentException("the profile's portal URL has no host: give --proxy");
      }
    }
    return SipPhoneConfig.of(
            identity.key(),
            List.of(identity.certificate()),
            identity.ca(),
            identity.settings().instance(),
            host,
            port)
        .withDoorOpen(new io.doorpair.welcome.sip.DoorOpen(doorDigit, 250));
  }

  /** This device's account at {@code domain}, its password decrypted. */
  static GatewayCredentials credentials(WelcomeApp app, String domain) {
    return new GatewayCredentials(
        domain, app.account(domain).account().sipUsername(), app.sipPassword(domain));
  }
}
