package io.doorpair.ipgw;

import io.doorpair.b2b.ops.HealthChecks;
import io.doorpair.b2b.ops.ManagementServer;
import io.doorpair.ipgw.admin.AdminSite;
import io.doorpair.ipgw.supervisor.B2bService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started gateway agent: its core and admin site; {@link #close()} stops them in reverse order
 * and removes {@code ready.json}.
 */
public final class RunningGateway implements AutoCloseable {
  /**
   * The operations side of a running gateway.
   *
   * @param health its health checks
   * @param managementHostPort where the management listener listens, when it was asked for
   * @param management the management listener
   */
  record Operations(
      HealthChecks health,
      Optional<String> managementHostPort,
      Optional<ManagementServer> management) {}

  private static final Logger LOG = LoggerFactory.getLogger(RunningGateway.class);

  private final GatewayCore core;
  private final AdminSite site;
  private final B2bService b2b;
  private final Path readyFile;
  private final Operations operations;

  RunningGateway(
      GatewayCore core, AdminSite site, B2bService b2b, Path readyFile, Operations operations) {
    this.operations = operations;
    this.core = core;
    this.site = site;
    this.b2b = b2b;
    this.readyFile = readyFile;
  }

  /**
   * The admin site's base URL.
   *
   * @return e.g. {@code http://127.0.0.1:8080}
   */
  public String adminUrl() {
    return site.url();
  }

  /**
   * The management listener's {@code host:port}, when {@code --management} was given.
   *
   * @return e.g. {@code 127.0.0.1:9465}
   */
  public Optional<String> managementHostPort() {
    return operations.managementHostPort();
  }

  /**
   * Runs the health checks now.
   *
   * @return the report
   */
  public HealthChecks.Report health() {
    return operations.health().check();
  }

  /**
   * The core, for tests in the same process.
   *
   * @return the core
   */
  public GatewayCore core() {
    return core;
  }

  /**
   * The b2b service of the kill switch.
   *
   * @return the service ({@link B2bService#NONE} when none is managed)
   */
  public B2bService b2b() {
    return b2b;
  }

  /**
   * Where {@code ready.json} is.
   *
   * @return its path
   */
  public Path readyFile() {
    return readyFile;
  }

  /** Stops the admin site, then the core; removes {@code ready.json}. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(readyFile);
    } catch (IOException e) {
      LOG.warn("cannot remove {}", readyFile, e);
    }
    operations.management().ifPresent(ManagementServer::close);
    operations.health().close();
    site.close();
    b2b.close();
    core.close();
    LOG.info("gateway stopped");
  }
}
