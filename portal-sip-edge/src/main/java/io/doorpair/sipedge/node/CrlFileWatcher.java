package io.doorpair.sipedge.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the CRL file: it is looked at every {@link #POLL_MILLIS} ms, and when its inode, size or
 * modification time changed (the portal replaces it atomically by a rename) the new CRL is read,
 * checked against the CA and handed on. A file that is missing, malformed, not signed by the CA, or
 * refused by the consumer (older than the current CRL) is logged once and the current CRL stays.
 * One daemon thread; {@link #close()} stops it.
 */
public final class CrlFileWatcher implements AutoCloseable {
  /** How often the file is looked at, ms: a new CRL is in force well within one second. */
  public static final long POLL_MILLIS = 200;

  private static final Logger LOG = LoggerFactory.getLogger(CrlFileWatcher.class);

  private final Path file;
  private final Path caFile;
  private final List<X509Certificate> authorities;
  private final Consumer<X509CRL> consumer;
  private final ScheduledExecutorService timer;
  private Object lastStamp; // only touched by the timer thread

  private CrlFileWatcher(
      Path file, Path caFile, List<X509Certificate> authorities, Consumer<X509CRL> consumer) {
    this.file = file;
    this.caFile = caFile;
    this.authorities = List.copyOf(authorities);
    this.consumer = consumer;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "crl-file-watcher");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Starts following {@code file}. Its first look loads the file again, so that a CRL written
   * between the caller's own load and this start is not missed.
   *
   * @param file the CRL file ({@code --crl})
   * @param caFile the CA file, for messages
   * @param authorities whom the CRL must be signed by
   * @param consumer takes each new CRL; throws {@link IllegalArgumentException} to refuse one
   */
  public static CrlFileWatcher start(
      Path file, Path caFile, List<X509Certificate> authorities, Consumer<X509CRL> consumer) {
    CrlFileWatcher watcher =
        new CrlFileWatcher(
            Objects.requireNonNull(file, "file"),
            Objects.requireNonNull(caFile, "caFile"),
            authorities,
            Objects.requireNonNull(consumer, "consumer"));
    watcher.timer.scheduleWithFixedDelay(
        watcher::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    return watcher;
  }

  private Object stamp() {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return List.of(
          String.valueOf(attributes.fileKey()),
          attributes.size(),
          attributes.lastModifiedTime().toMillis());
    } catch (IOException e) {
      return "missing";
    }
  }

  private void poll() {
    try {
      Object stamp = stamp();
      if (stamp.equals(lastStamp)) {
        return;
      }
      lastStamp = stamp;
      if ("missing".equals(stamp)) {
        LOG.warn("CRL file {} is gone; keeping the current CRL", file);
        return;
      }
      X509CRL crl = NodeFiles.crl(file, authorities, caFile);
      consumer.accept(crl);
      LOG.info(
          "loaded the CRL in {} (thisUpdate {}, {} revoked)",
          file,
          crl.getThisUpdate().toInstant(),
          crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size());
    } catch (IllegalArgumentException e) {
      LOG.warn("refused the new CRL in {}: {}; keeping the current CRL", file, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("could not load the new CRL in {}; keeping the current CRL", file, e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
