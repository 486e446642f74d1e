package io.doorpair.portal.testing;

import io.doorpair.ca.CaKeyFiles;
import io.doorpair.ca.CaSettings;
import io.doorpair.portal.Portal;
import io.doorpair.portal.PortalConfig;
import io.doorpair.portal.RunningPortal;
import io.doorpair.portal.access.RequestVoider;
import io.doorpair.portal.users.UserAdmin;
import io.doorpair.sipedge.redis.RedisSettings;
import io.doorpair.sipedge.testing.TestRedis;
import io.doorpair.welcome.http.PortalClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real portal for tests, in the spirit of OkHttp's MockWebServer: started in-process on {@code
 * 127.0.0.1:0} with SQLite in a temporary folder (a 2048-bit CA to keep tests fast), once per test
 * class. Register it with {@code @RegisterExtension static PortalExtension portal = new
 * PortalExtension();}.
 *
 * <p>{@link #onPostgres()} runs the portal on a PostgreSQL schema of its own instead ({@code
 * DOORPAIR_TEST_PG_URL}; the class is skipped when the server is unreachable, and fails with {@code
 * CI=true}); {@link #sharing(PortalExtension)} starts a second portal process-alike on the same
 * database and CA, with its own notifier, as a second {@code portal} process would be.
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
  private final boolean postgres;
  private final PortalExtension shared;
  private final Clock clock;
  private final RedisSettings redis;
  private String schema;
  private String effectiveUrl;
  private Path dataDir;
  private RunningPortal running;
  private boolean management;

  /** A portal on SQLite in a fresh temporary folder. */
  public PortalExtension() {
    this(null);
  }

  /** A portal on the given database ({@code null}: SQLite in the data folder). */
  public PortalExtension(String databaseUrl) {
    this(databaseUrl, false, null, Clock.systemUTC(), null);
  }

  private PortalExtension(
      String databaseUrl,
      boolean postgres,
      PortalExtension shared,
      Clock clock,
      RedisSettings redis) {
    this.databaseUrl = databaseUrl;
    this.postgres = postgres;
    this.shared = shared;
    this.clock = clock;
    this.redis = redis;
  }

  /** A portal on a fresh PostgreSQL schema, dropped after the class. */
  public static PortalExtension onPostgres() {
    return new PortalExtension(null, true, null, Clock.systemUTC(), null);
  }

  /** A second portal on the database and CA of {@code first} (which it starts if needed). */
  public static PortalExtension sharing(PortalExtension first) {
    return new PortalExtension(null, false, first, Clock.systemUTC(), null);
  }

  /**
   * This portal with its management listener ({@code /metrics}, {@code /health}) on a free loopback
   * port; see {@link RunningPortal#managementHostPort()}.
   */
  public PortalExtension withManagement() {
    this.management = true;
    return this;
  }

  /** The same portal, run with this clock (a {@link SettableClock} moves time in tests). */
  public PortalExtension withClock(Clock clock) {
    return new PortalExtension(databaseUrl, postgres, shared, clock, redis);
  }

  /** The same portal, its SIP server's bindings and CRLs shared in {@code redis}. */
  public PortalExtension withRedis(RedisSettings redis) {
    return new PortalExtension(databaseUrl, postgres, shared, clock, redis);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    start();
  }

  /** Starts the portal unless it runs already (a sharing portal starts its first one first). */
  public synchronized void start() throws IOException {
    if (running != null) {
      return;
    }
    dataDir = Files.createTempDirectory("portal-test-");
    PortalConfig base = PortalConfig.defaults(dataDir);
    if (shared != null) {
      shared.start();
      effectiveUrl = shared.effectiveUrl;
      for (String file : List.of(CaKeyFiles.KEY_FILE, CaKeyFiles.CERTIFICATE_FILE)) {
        Files.copy(
            shared.dataDir.resolve(file),
            dataDir.resolve(file),
            StandardCopyOption.COPY_ATTRIBUTES);
      }
    } else if (postgres) {
      TestPostgres.Schema created = TestPostgres.createSchema();
      if (created.unreachable().isPresent()) {
        if (TestPostgres.required()) {
          Assertions.fail(created.unreachable().get());
        }
        Assumptions.abort(created.unreachable().get());
      }
      schema = created.name().orElseThrow();
      effectiveUrl = TestPostgres.urlOf(schema);
    } else {
      effectiveUrl = databaseUrl == null ? base.databaseUrl() : databaseUrl;
    }
    PortalConfig config =
        new PortalConfig(
            dataDir,
            new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("127.0.0.1", 0),
            PortalConfig.DEFAULT_DOMAIN,
            effectiveUrl,
            List.of(),
            base.tlsCertificate(),
            base.tlsKey(),
            base.realm(),
            TEST_CA);
    if (redis != null) {
      TestRedis.require(); // skipped with the reason locally, failed in CI
      config = config.withRedis(redis);
    }
    if (management) {
      config = config.withManagement(new InetSocketAddress("127.0.0.1", 0));
    }
    running = Portal.start(config, clock, new SecureRandom());
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    stop();
  }

  /** Stops the portal and removes its data (and its schema). */
  public synchronized void stop() throws IOException {
    if (running != null) {
      running.close();
      running = null;
    }
    if (dataDir != null) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      dataDir = null;
    }
    if (schema != null) {
      try {
        TestPostgres.dropSchema(schema);
      } catch (SQLException e) {
        throw new IOException("cannot drop test schema " + schema, e);
      }
      schema = null;
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

  /**
   * Deletes a user as {@code portal user del} does: their certificates are revoked, then their
   * pending requests voided and the long-polls told, through this portal's notifier.
   */
  public boolean deleteUser(String username) {
    RequestVoider voider =
        new RequestVoider(running.store(), running.notifier(), Clock.systemUTC());
    return new UserAdmin(
            running.store(),
            running.config().realm(),
            Clock.systemUTC(),
            voider::certificatesRevoked)
        .delete(username);
  }

  /** A client that trusts this portal's CA for the first contact. */
  public PortalClient client() {
    return PortalClient.builder(url()).trustAnchors(List.of(running.caCertificate())).build();
  }
}
