package io.doorpair.ipgw.testing;

import io.doorpair.crypto.Pem;
import io.doorpair.ipgw.Gateway;
import io.doorpair.ipgw.GatewayConfig;
import io.doorpair.ipgw.RunningGateway;
import io.doorpair.ipgw.admin.AdminPassword;
import io.doorpair.ipgw.pairing.PairingSettings;
import io.doorpair.ipgw.supervisor.B2bSupervision;
import io.doorpair.portal.testing.PortalExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The whole gateway agent ({@link Gateway#start}) in this process, against a test portal. */
public final class TestIpgw {
  /** The admin password the tests set. */
  public static final String ADMIN_PASSWORD = "correct horse battery";

  private TestIpgw() {}

  /** The configuration of a gateway in {@code dir} trusting {@code portal}'s CA. */
  public static GatewayConfig config(PortalExtension portal, Path dir) {
    Path ca = dir.resolve("portal-ca.pem");
    try {
      Files.createDirectories(dir);
      Files.writeString(ca, Pem.certificate(portal.portal().caCertificate()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new GatewayConfig(
        dir.resolve("root"),
        dir.resolve("data"),
        portal.url(),
        Optional.of(ca),
        new InetSocketAddress("127.0.0.1", 0),
        List.of(),
        Optional.empty(),
        TestGateway.SETTINGS,
        Duration.ofSeconds(5),
        Duration.ofMillis(50),
        Duration.ofMillis(500));
  }

  /**
   * Sets {@link #ADMIN_PASSWORD} and starts the gateway running the b2b as {@code supervision}
   * says; {@code b2b.conf} names free ports (the b2b really listens on its internal one).
   */
  public static RunningGateway start(PortalExtension portal, Path dir, B2bSupervision supervision) {
    GatewayConfig base = config(portal, dir);
    GatewayConfig config =
        new GatewayConfig(
            base.root(),
            base.dataDir(),
            base.portalUrl(),
            base.portalCa(),
            base.admin(),
            base.adminHosts(),
            base.adminTls(),
            new PairingSettings(
                "sips:127.0.0.1:" + FreePorts.tcp(),
                "sip:127.0.0.1:" + FreePorts.tcp() + ";transport=tcp",
                TestGateway.SETTINGS.keyBits(),
                TestGateway.SETTINGS.maxAttempts()),
            base.channelWait(),
            base.initialBackoff(),
            base.maxBackoff());
    AdminPassword.set(config.dataDir(), ADMIN_PASSWORD.toCharArray(), new SecureRandom());
    return Gateway.start(config, supervision);
  }

  /** Sets {@link #ADMIN_PASSWORD} and starts the gateway. */
  public static RunningGateway start(PortalExtension portal, Path dir) {
    GatewayConfig config = config(portal, dir);
    AdminPassword.set(config.dataDir(), ADMIN_PASSWORD.toCharArray(), new SecureRandom());
    return Gateway.start(config);
  }
}
