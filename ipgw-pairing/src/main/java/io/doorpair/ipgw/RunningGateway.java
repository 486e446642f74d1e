package io.doorpair.ipgw;

import io.doorpair.ipgw.admin.AdminSite;
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
  private final Path readyFile;

  RunningGateway(GatewayCore core, AdminSite site, Path readyFile) {
    this.core = core;
    this.site = site;
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
    core.close();
    LOG.info("gateway stopped");
  }
}
