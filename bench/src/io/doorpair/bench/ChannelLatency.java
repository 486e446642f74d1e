package io.doorpair.bench;

import io.doorpair.welcome.api.AccessStatus;
import io.doorpair.welcome.api.ChannelEntry;
import io.doorpair.welcome.api.ChannelPage;
import io.doorpair.welcome.api.RequestStatus;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.http.PortalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Latency from {@code create_sip_account} to the gateway's waiting channel long-poll receiving the
 * request. One app device asks, the gateway (long-polling its channel, possibly on another portal
 * process) receives the request and denies it, so the next ask makes a new request; sequential,
 * with a short pause before each ask so that the gateway's next long-poll is waiting again.
 */
final class ChannelLatency {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int WARM_UP = 30;
  private static final long PAUSE_MS = 20;
  private static final long GUARD_SECONDS = 40;

  /** What the gateway thread saw: the request id and when its long-poll returned with it. */
  private record Receipt(long requestId, long nanos) {}

  private ChannelLatency() {}

  static void run(
      String key,
      String appApi,
      String gatewayApi,
      X509Certificate ca,
      AccessDataSet data,
      int gatewayIndex,
      int count,
      int maxSeconds)
      throws Exception {
    AccessDataSet.Gateway target = data.gateways.get(gatewayIndex);
    PortalClient gateway = data.client(gatewayApi, ca, target.gateway());
    PortalClient app = data.client(appApi, ca, target.apps().get(0));
    String domain = target.domain();

    BlockingQueue<Receipt> received = new LinkedBlockingQueue<>();
    BlockingQueue<Long> denied = new LinkedBlockingQueue<>();
    BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
    long head = gateway.channel(0, Optional.empty(), 500).cursor();
    Thread gatewayLoop =
        new Thread(() -> gatewayLoop(gateway, head, received, denied, failures), "gateway");
    gatewayLoop.setDaemon(true);
    gatewayLoop.start();

    List<Long> latencies = new ArrayList<>();
    List<Long> createCalls = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
    int done = 0;
    try {
      for (int i = 0; i < WARM_UP + count && System.nanoTime() < deadline; i++) {
        Thread.sleep(PAUSE_MS);
        long start = System.nanoTime();
        AccessStatus asked = app.createSipAccount(domain);
        long created = System.nanoTime();
        if (asked.status() != RequestStatus.PENDING) {
          throw new IllegalStateException("expected a new pending request, got " + asked.status());
        }
        Receipt receipt = take(received, failures, "the gateway to receive the request");
        if (receipt.requestId() != asked.requestId()) {
          throw new IllegalStateException(
              "gateway received request " + receipt.requestId() + ", not " + asked.requestId());
        }
        long deniedId = take(denied, failures, "the gateway to deny the request");
        if (deniedId != asked.requestId()) {
          throw new IllegalStateException("denied " + deniedId + ", not " + asked.requestId());
        }
        if (i >= WARM_UP) {
          latencies.add(receipt.nanos() - start);
          createCalls.add(created - start);
          done++;
        }
      }
    } finally {
      gatewayLoop.interrupt();
      gatewayLoop.join(5_000);
    }
    writeSamples(key, latencies, createCalls);
    Collections.sort(latencies);
    Collections.sort(createCalls);
    Results results = new Results();
    results.put(key + ".requests", done);
    results.put(key + ".p50_ms", Results.percentile(latencies, 50) / 1e6);
    results.put(key + ".p99_ms", Results.percentile(latencies, 99) / 1e6);
    results.put(key + ".create_p50_ms", Results.percentile(createCalls, 50) / 1e6);
    results.print();
  }

  /**
   * With {@code ACCESS_BENCH_SAMPLES} set to a folder, writes each request's latency and create
   * call time in milliseconds, in run order, to {@code latency-<key>.txt} there.
   */
  private static void writeSamples(String key, List<Long> latencies, List<Long> createCalls)
      throws IOException {
    String folder = System.getenv("ACCESS_BENCH_SAMPLES");
    if (folder == null || folder.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder("latency_ms create_call_ms\n");
    for (int i = 0; i < latencies.size(); i++) {
      text.append(
          String.format(
              Locale.ROOT, "%.3f %.3f%n", latencies.get(i) / 1e6, createCalls.get(i) / 1e6));
    }
    Path dir = Path.of(folder);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("latency-" + key + ".txt"), text);
  }

  private static <T> T take(BlockingQueue<T> queue, BlockingQueue<Throwable> failures, String what)
      throws Exception {
    T value = queue.poll(GUARD_SECONDS, TimeUnit.SECONDS);
    if (value == null) {
      Throwable failure = failures.peek();
      throw new IllegalStateException(
          "timed out after " + GUARD_SECONDS + " s waiting for " + what, failure);
    }
    return value;
  }

  private static void gatewayLoop(
      PortalClient gateway,
      long head,
      BlockingQueue<Receipt> received,
      BlockingQueue<Long> denied,
      BlockingQueue<Throwable> failures) {
    long cursor = head;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        ChannelPage page = gateway.channel(cursor, Optional.of(WAIT), 100);
        long now = System.nanoTime();
        List<Long> pending = new ArrayList<>();
        for (ChannelEntry item : page.items()) {
          if (item.type() == ChannelEntry.Type.REQUEST
              && item.request().status() == RequestStatus.PENDING) {
            received.add(new Receipt(item.request().requestId(), now));
            pending.add(item.request().requestId());
          }
        }
        cursor = page.cursor();
        for (long id : pending) {
          gateway.deny(id);
          denied.add(id);
        }
      }
    } catch (PortalException e) {
      if (!PortalException.CANCELLED.equals(e.code())) {
        failures.add(e);
      }
    } catch (RuntimeException e) {
      failures.add(e);
    }
  }
}
