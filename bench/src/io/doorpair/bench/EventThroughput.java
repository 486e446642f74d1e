package io.doorpair.bench;

import io.doorpair.welcome.api.EventBatchResult;
import io.doorpair.welcome.api.EventPage;
import io.doorpair.welcome.api.PostedEvent;
import io.doorpair.welcome.http.PortalClient;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Event ingest and fetch rates over mutual TLS. Ingest: client threads post batches of small
 * journal events, each batch as the next gateway of their share of all the data set's gateways
 * (every gateway a client of its own, keeping its connection). Fetch: client threads read, as app
 * devices of gateway owners, all their events from the start of the cursor with limit 500, again
 * and again. Each phase starts with one untimed call per client, which opens its TLS connection.
 */
final class EventThroughput {
  static final int BATCH = 50;
  static final int FETCH_LIMIT = 500;
  static final int INGEST_THREADS = 8;
  static final int FETCH_THREADS = 8;
  static final int FETCH_CLIENTS = 200;

  private EventThroughput() {}

  static void run(String key, String api, X509Certificate ca, AccessDataSet data, int seconds)
      throws Exception {
    Results results = new Results();
    List<PortalClient> gateways = new ArrayList<>();
    for (AccessDataSet.Gateway g : data.gateways) {
      gateways.add(data.client(api, ca, g.gateway()));
    }
    AtomicLong warmUpEvents = new AtomicLong();
    AtomicInteger[] batchNumbers = new AtomicInteger[gateways.size()];
    for (int i = 0; i < batchNumbers.length; i++) {
      batchNumbers[i] = new AtomicInteger();
    }

    // Ingest: one event per gateway first (connections), then the timed batches.
    long warmStart = System.nanoTime();
    Counts warm =
        inParallel(
            INGEST_THREADS,
            Long.MAX_VALUE,
            (thread, deadline, counts) -> {
              for (int g = thread; g < gateways.size(); g += INGEST_THREADS) {
                post(gateways.get(g), g, batchNumbers[g], 1, counts);
              }
            });
    warmUpEvents.addAndGet(warm.items.get());
    results.put(key + ".ingest_warmup_s", (System.nanoTime() - warmStart) / 1e9);

    long ingestStart = System.nanoTime();
    long ingestDeadline = ingestStart + TimeUnit.SECONDS.toNanos(seconds);
    Counts ingest =
        inParallel(
            INGEST_THREADS,
            ingestDeadline,
            (thread, deadline, counts) -> {
              int g = thread;
              while (System.nanoTime() < deadline) {
                post(gateways.get(g), g, batchNumbers[g], BATCH, counts);
                g += INGEST_THREADS;
                if (g >= gateways.size()) {
                  g = thread;
                }
              }
            });
    double ingestSeconds = (System.nanoTime() - ingestStart) / 1e9;
    results.put(key + ".ingest_events_per_s", ingest.items.get() / ingestSeconds);
    results.put(key + ".ingest_batches_per_s", ingest.calls.get() / ingestSeconds);
    results.put(key + ".ingest_failures", warm.failures.get() + ingest.failures.get());
    long totalEvents = ingest.items.get() + warmUpEvents.get();
    results.put(key + ".events_stored", totalEvents);

    // Fetch: owners of the first gateways, one of their app devices each.
    List<PortalClient> apps = new ArrayList<>();
    for (int i = 0; i < Math.min(FETCH_CLIENTS, data.gateways.size()); i++) {
      apps.add(data.client(api, ca, data.gateways.get(i).apps().get(1)));
    }
    Counts fetchWarm =
        inParallel(
        FETCH_THREADS,
        Long.MAX_VALUE,
        (thread, deadline, counts) -> {
          for (int a = thread; a < apps.size(); a += FETCH_THREADS) {
            try {
              apps.get(a).events(Optional.empty(), Optional.empty(), 1);
            } catch (RuntimeException e) {
              counts.failures.incrementAndGet();
            }
          }
        });
    results.put(key + ".fetch_clients", apps.size());
    long fetchStart = System.nanoTime();
    long fetchDeadline = fetchStart + TimeUnit.SECONDS.toNanos(seconds);
    Counts fetch =
        inParallel(
            FETCH_THREADS,
            fetchDeadline,
            (thread, deadline, counts) -> {
              int a = thread;
              while (System.nanoTime() < deadline) {
                readAll(apps.get(a), deadline, counts);
                a += FETCH_THREADS;
                if (a >= apps.size()) {
                  a = thread;
                }
              }
            });
    double fetchSeconds = (System.nanoTime() - fetchStart) / 1e9;
    results.put(key + ".fetch_events_per_s", fetch.items.get() / fetchSeconds);
    results.put(key + ".fetch_pages_per_s", fetch.calls.get() / fetchSeconds);
    results.put(key + ".fetch_failures", fetchWarm.failures.get() + fetch.failures.get());
    results.print();
  }

  /** Calls, items and failures of one phase. */
  private static final class Counts {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong items = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
  }

  private interface Work {
    void run(int thread, long deadline, Counts counts) throws Exception;
  }

  private static Counts inParallel(int threads, long deadline, Work work) throws Exception {
    Counts counts = new Counts();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                work.run(thread, deadline, counts);
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get(10, TimeUnit.MINUTES);
    }
    pool.shutdown();
    return counts;
  }

  private static void post(
      PortalClient gateway, int index, AtomicInteger batchNumber, int size, Counts counts) {
    int batch = batchNumber.incrementAndGet();
    Instant now = Instant.now();
    List<PostedEvent> events = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      events.add(
          new PostedEvent(
              "b" + batch + "." + i,
              "journal",
              now,
              "{\"type\":\"door_opened\",\"door\":\"front\",\"by\":\"owner"
                  + index
                  + "\",\"via\":\"app\",\"n\":"
                  + i
                  + "}"));
    }
    try {
      EventBatchResult result = gateway.postEvents(events);
      counts.calls.incrementAndGet();
      counts.items.addAndGet(result.stored());
      if (result.stored() != size) {
        counts.failures.incrementAndGet();
      }
    } catch (RuntimeException e) {
      counts.failures.incrementAndGet();
    }
  }

  /** Reads all of this app's events from the start, page by page, until a page is not full. */
  private static void readAll(PortalClient app, long deadline, Counts counts) {
    Optional<String> cursor = Optional.empty();
    while (System.nanoTime() < deadline) {
      EventPage page;
      try {
        page = app.events(cursor, Optional.empty(), FETCH_LIMIT);
      } catch (RuntimeException e) {
        counts.failures.incrementAndGet();
        return;
      }
      counts.calls.incrementAndGet();
      counts.items.addAndGet(page.events().size());
      if (page.events().size() < FETCH_LIMIT) {
        return;
      }
      cursor = Optional.of(page.cursor());
    }
  }
}
