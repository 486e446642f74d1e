package io.doorpair.b2b.cli;

import io.doorpair.b2b.B2b;
import io.doorpair.b2b.B2bSettings;
import io.doorpair.b2b.RunningB2b;
import io.doorpair.b2b.conf.GatewayPaths;
import io.doorpair.b2b.journal.SpoolJournal;
import io.doorpair.b2b.ops.B2bOperations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code b2b serve}: runs the b2b until SIGTERM or SIGINT, which stop new calls and wait (at most
 * {@value #DRAIN_SECONDS} s) for the calls in progress; SIGHUP rereads the access files.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Run the b2b on ROOT/etc/b2b/{b2b.conf,acl.list,tls/agent.pem,tls/cafile.pem} and"
            + " ROOT/etc/flexisip/passwd; call records go to ROOT/var/spool/b2b/journal for ipgw.")
final class ServeCommand implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
  static final int DRAIN_SECONDS = 10;

  @Option(
      names = "--root",
      defaultValue = "${env:B2B_ROOT:-/}",
      description = "prefix of every /etc path (default /); env B2B_ROOT")
  Path root;

  @Option(
      names = "--ready",
      description = "write {\"pid\":..,\"domain\":\"..\"} here once started; removed at exit")
  Path ready;

  @Option(
      names = "--no-internal-server",
      description =
          "do not run the embedded internal SIP server (a real Flexisip listens at"
              + " internal-sip-uri)")
  boolean noInternalServer;

  @Override
  public void run() {
    // SIGHUP's default action ends the JVM: take it before the (slow) start, so that a reload asked
    // while starting (ipgw signals the pid it spawned) is kept and done once the b2b runs
    AtomicReference<RunningB2b> running = new AtomicReference<>();
    AtomicBoolean pending = new AtomicBoolean();
    Reload.onSighup(
        () -> {
          RunningB2b started = running.get();
          if (started == null) {
            pending.set(true);
          } else {
            started.reload();
          }
        });
    LOG.info("b2b starting: root={}", root);
    RunningB2b b2b;
    try {
      b2b =
          B2b.start(
              GatewayPaths.under(root),
              B2bSettings.DEFAULT.withEmbeddedInternalServer(!noInternalServer),
              SpoolJournal.open(root, SpoolJournal.DEFAULT_MAX_FILES));
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    Optional<B2bOperations> operations;
    try {
      operations =
          b2b.files()
              .conf()
              .management()
              .map(m -> B2bOperations.start(b2b, m, SpoolJournal.directoryUnder(root)));
    } catch (RuntimeException e) {
      b2b.close();
      throw new IllegalStateException(
          GatewayPaths.under(root).b2bConf() + ": management: " + e.getMessage(), e);
    }
    try {
      if (ready != null) {
        ReadyFile.write(
            ready,
            ReadyFile.json(
                ProcessHandle.current().pid(),
                b2b.domain(),
                operations.map(B2bOperations::hostPort)));
      }
    } catch (IOException | RuntimeException e) {
      operations.ifPresent(B2bOperations::close);
      b2b.close();
      throw new IllegalArgumentException("--ready " + ready + ": cannot write (" + e + ")", e);
    }
    running.set(b2b);
    if (pending.getAndSet(false)) {
      b2b.reload();
    }
    LOG.info(
        "b2b ready: domain={} root={} management={}",
        b2b.domain(),
        root,
        operations.map(B2bOperations::hostPort).orElse("off"));
    awaitShutdown(b2b, operations);
  }

  private void awaitShutdown(RunningB2b b2b, Optional<B2bOperations> operations) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    if (!b2b.drain(Duration.ofSeconds(DRAIN_SECONDS))) {
                      LOG.warn(
                          "{} call(s) still in progress after {} s", b2b.calls(), DRAIN_SECONDS);
                    }
                    operations.ifPresent(B2bOperations::close);
                    b2b.close();
                    if (ready != null) {
                      Files.deleteIfExists(ready);
                    }
                  } catch (IOException | RuntimeException e) {
                    LOG.warn("while stopping: {}", e.toString());
                  } finally {
                    LOG.info("b2b stopped");
                    stopped.countDown();
                  }
                },
                "b2b-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
