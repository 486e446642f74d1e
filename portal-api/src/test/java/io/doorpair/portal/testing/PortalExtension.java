package io.doorpair.portal.testing;

import io.doorpair.ca.CaSettings;
import io.doorpair.portal.Portal;
import io.doorpair.portal.PortalConfig;
import io.doorpair.portal.RunningPortal;
import io.doorpair.portal.users.UserAdmin;
import io.doorpair.welcome.http.PortalClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real portal for tests, in the spirit of OkHttp's MockWebServer: started in-process on {@code
 * 127.0.0.1:0} with SQLite in a temporary folder (a 2048-bit CA to keep tests fast), once per test
 * class. Register it with {@code @RegisterExtension static PortalExtension portal = new
 * PortalExtension();}.
 */
public final class PortalExtension implements BeforeAllCallback, AfterAllCallback {
  /** Settings for tests: a smaller CA key than production's 3072 bits, for speed only. */
  public static final CaSettings TEST_CA =
      new CaSettings(
          2048,
          Duration.ofDays(3650),
          Duration.ofDays(730),
          Duration.ofDays(365),
          Duration.ofMinutes(5),
          "doorpair test portal CA");

  private final String databaseUrl;
  private Path dataDir;
  private RunningPortal running;

  /** A portal on SQLite in a fresh temporary folder. */
  public PortalExtension() {
    this(null);
  }

  /** A portal on the given database ({@code null}: SQLite in the data folder). */
  public PortalExtension(String databaseUrl) {
    this.databaseUrl = databaseUrl;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("portal-test-");
    PortalConfig base = PortalConfig.defaults(dataDir);
    PortalConfig config =
        new PortalConfig(
            dataDir,
            new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("127.0.0.1", 0),
            PortalConfig.DEFAULT_DOMAIN,
            databaseUrl == null ? base.databaseUrl() : databaseUrl,
            List.of(),
            base.tlsCertificate(),
            base.tlsKey(),
            base.realm(),
            TEST_CA);
    running = Portal.start(config, Clock.systemUTC(), new SecureRandom());
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (running != null) {
      running.close();
    }
    if (dataDir != null) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The running portal. */
  public RunningPortal portal() {
    return running;
  }

  /** The data folder. */
  public Path dataDir() {
    return dataDir;
  }

  /** The API's base URL. */
  public String url() {
    return running.apiUrl();
  }

  /** Creates a portal user. */
  public void addUser(String username, String password) {
    new UserAdmin(running.store(), running.config().realm(), Clock.systemUTC())
        .add(username, password.toCharArray());
  }

  /** A client that trusts this portal's CA for the first contact. */
  public PortalClient client() {
    return PortalClient.builder(url()).trustAnchors(List.of(running.caCertificate())).build();
  }
}
