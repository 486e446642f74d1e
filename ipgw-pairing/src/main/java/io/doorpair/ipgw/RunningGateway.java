package io.doorpair.ipgw;

import io.doorpair.ipgw.admin.AdminSite;
import io.doorpair.ipgw.supervisor.B2bService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started gateway agent: its core and admin site; {@link #close()} stops them in reverse order
 * and removes {@code ready.json}.
 */
public final class RunningGateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningGateway.class);

  private final GatewayCore core;
  private final AdminSite site;
  private final B2bService b2b;
  private final Path readyFile;

  RunningGateway(GatewayCore core, AdminSite site, B2bService b2b, Path readyFile) {
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
    site.close();
    b2b.close();
    core.close();
    LOG.info("gateway stopped");
  }
}
