package io.doorpair.bench.sip;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scenario 3: a reconnect storm. Each operation is a device coming back: a new TCP connection, a
 * full mutual-TLS handshake (a fresh client context: no session to resume), one REGISTER (the
 * device's usual Contact, so the binding is replaced) answered 200, then the connection closed.
 * Latency is from the scheduled start to the 200; the server CPU per new connection covers accept,
 * handshake, REGISTER and close.
 */
final class ReconnectStorm {
  private static final int TIMEOUT_MS = 3000;
  private final ClientTls tls;
  private final InetSocketAddress server;
  private final int threads;
  private final String run = Long.toHexString(System.nanoTime());
  private static final DeviceNames DEVICES = DeviceNames.SHARED;

  ReconnectStorm(ClientTls tls, InetSocketAddress server, int threads) {
    this.tls = tls;
    this.server = server;
    this.threads = threads;
  }

  /** Runs one step of {@code seconds} at {@code rate} new connections/s. */
  StepResult step(int rate, double seconds, ServerProcess process, double drainSeconds) {
    int capacity = (int) Math.round(rate * seconds) + 1;
    long[] latency = new long[capacity];
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicReference<String> firstError = new AtomicReference<>();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads, threads, 1, TimeUnit.SECONDS, new ArrayBlockingQueue<>(capacity));
    double cpu0 = process.cpuMs();
    int started =
        OpenLoop.run(
            rate,
            seconds,
            (i, due) ->
                pool.execute(
                    () -> {
                      try {
                        connectAndRegister(i);
                        latency[i] = Math.max(1, System.nanoTime() - due);
                        ok.incrementAndGet();
                      } catch (IOException | RuntimeException e) {
                        firstError.compareAndSet(null, e.toString());
                      } finally {
                        done.incrementAndGet();
                      }
                    }));
    long deadline = System.nanoTime() + (long) (drainSeconds * 1e9);
    while (done.get() < started && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    int neverRun = pool.shutdownNow().size();
    try {
      pool.awaitTermination(2 * TIMEOUT_MS + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    double cpu = process.cpuMs() - cpu0;
    if (neverRun > 0) {
      firstError.compareAndSet(null, neverRun + " not started within the drain time");
    }
    int good = ok.get();
    return StepResult.of(rate, started, good, started - good, latency, cpu, firstError.get());
  }

  private void connectAndRegister(int i) throws IOException {
    String user = "user" + (i % 10 + 1) + "@portal";
    try (SipConnection c =
        SipConnection.openFull(tls.context(user), DEVICES.next(), user, server, TIMEOUT_MS)) {
      c.send(
          SipText.register(
              user, c.localPort, "127.0.0.1:" + (5100 + i % 10), run + "-storm-" + i, 1));
      SipMessage m = c.readMessage();
      if (!m.isResponse() || m.status() != 200) {
        throw new IOException("REGISTER got " + m.startLine);
      }
    }
  }
}
