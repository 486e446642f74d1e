package io.doorpair.bench;

import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.crypto.tls.TlsMaterial;
import io.doorpair.welcome.http.DigestAuthenticator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Pairings per second through the real HTTPS endpoint of a running portal (new TLS connection,
 * digest round trip, CSR check, signing, database write), then p50/p99 latency in an open loop at
 * 80% of that rate, beside the raw RSA-3072 signing rate of this JVM on the same machine.
 *
 * <p>Arguments: {@code <api base URL> <ca.pem> <user> <password> <label> <seconds>}. Prints one
 * markdown table row per run; {@code --raw-signing} prints the raw signing rates instead.
 */
public final class PairingBench {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static X509Certificate CA;
  private static final MediaType JSON = MediaType.get("application/json");

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--raw-signing")) {
      rawSigning();
      return;
    }
    String url = args[0];
    X509Certificate ca =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(Path.of(args[1])));
    String user = args[2];
    char[] password = args[3].toCharArray();
    String label = args[4];
    int seconds = Integer.parseInt(args[5]);
    double rawSigning = Double.parseDouble(args[6]);
    long serverPid = Long.parseLong(args[7]);

    KeyPair keys = RsaKeys.generate(2048);
    int needed = 6_000;
    ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
    ExecutorService makers = Executors.newFixedThreadPool(2);
    List<Runnable> tasks = new ArrayList<>();
    for (int i = 0; i < needed; i++) {
      tasks.add(
          () ->
              bodies.add(
                  "{\"csr\":"
                      + quote(
                          CertificateRequest.create(
                                  keys, user + "@portal.localhost", Optional.of(UUID.randomUUID()))
                              .pem())
                      + ",\"friendly_name\":\"bench\"}"));
    }
    for (Runnable task : tasks) {
      makers.execute(task);
    }
    makers.shutdown();
    makers.awaitTermination(10, TimeUnit.MINUTES);

    CA = ca;
    OkHttpClient base =
        new OkHttpClient.Builder()
            .socketFactory(new io.doorpair.welcome.http.NoDelaySocketFactory())
            .retryOnConnectionFailure(false)
            .build();

    // Warm-up, then the closed loop: the highest rate.
    closedLoop(base, url, user, password, bodies, 4, 10); // JIT-compiled before measuring
    long cpuBefore = cpuMillis(serverPid);
    Result closed = closedLoop(base, url, user, password, bodies, 4, seconds);
    double serverCpuPerPairing = (cpuMillis(serverPid) - cpuBefore) / (double) closed.count;
    double rate = closed.count / (double) seconds;

    // The open loop at 80% of that rate: latency measured from each request's scheduled time.
    double target = rate * 0.8;
    List<Long> latencies = openLoop(base, url, user, password, bodies, target, seconds);
    Collections.sort(latencies);
    System.out.printf(
        "| %s | %.1f | %d | %.0f%% | %.1f | %.0f%% | %.1f | %.1f | %.1f |%n",
        label,
        rate,
        closed.failures,
        100 * rate / rawSigning,
        serverCpuPerPairing,
        // What the server alone could do on 2 cores, against the raw signing rate on 2 threads.
        100 * (2000 / serverCpuPerPairing) / rawSigning,
        target,
        percentile(latencies, 50) / 1e6,
        percentile(latencies, 99) / 1e6);
  }

  private record Result(int count, int failures) {}

  private static Result closedLoop(
      OkHttpClient base,
      String url,
      String user,
      char[] password,
      ConcurrentLinkedQueue<String> bodies,
      int threads,
      int seconds)
      throws InterruptedException {
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      Thread thread =
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  if (pairOnce(base, url, user, password, bodies)) {
                    ok.incrementAndGet();
                  } else {
                    failed.incrementAndGet();
                  }
                }
                done.countDown();
              });
      thread.start();
    }
    done.await();
    return new Result(ok.get(), failed.get());
  }

  private static List<Long> openLoop(
      OkHttpClient base,
      String url,
      String user,
      char[] password,
      ConcurrentLinkedQueue<String> bodies,
      double rate,
      int seconds)
      throws InterruptedException {
    ExecutorService workers = Executors.newFixedThreadPool(64);
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicLong failures = new AtomicLong();
    long interval = (long) (1e9 / rate);
    long start = System.nanoTime();
    long total = (long) (rate * seconds);
    for (long i = 0; i < total; i++) {
      long scheduled = start + i * interval;
      long wait = scheduled - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      workers.execute(
          () -> {
            boolean ok = pairOnce(base, url, user, password, bodies);
            latencies.add(System.nanoTime() - scheduled);
            if (!ok) {
              failures.incrementAndGet();
            }
          });
    }
    workers.shutdown();
    workers.awaitTermination(5, TimeUnit.MINUTES);
    if (failures.get() > 0) {
      System.err.println("open loop failures: " + failures.get());
    }
    return new ArrayList<>(latencies);
  }

  /** One pairing on a new connection: TLS handshake, 401 challenge, digest, 201. */
  private static boolean pairOnce(
      OkHttpClient base,
      String url,
      String user,
      char[] password,
      ConcurrentLinkedQueue<String> bodies) {
    String body = bodies.poll();
    if (body == null) {
      throw new IllegalStateException("ran out of prepared CSRs: raise 'needed'");
    }
    // A pool of its own: a new TLS connection for each pairing, kept for the digest retry (as a
    // real client does: the 401 and the authenticated request share the connection).
    // A TLS context of its own too: no session to resume, a full handshake as a new device makes.
    ConnectionPool pool = new ConnectionPool(1, 10, TimeUnit.SECONDS);
    X509TrustManager trust = TlsMaterial.trustManager(List.of(CA));
    SSLContext context = TlsMaterial.context(Optional.empty(), trust);
    OkHttpClient client =
        base.newBuilder()
            .sslSocketFactory(context.getSocketFactory(), trust)
            .connectionPool(pool)
            .authenticator(new DigestAuthenticator(user, password, RANDOM))
            .build();
    Request request =
        new Request.Builder().url(url + "/api/pair").post(RequestBody.create(body, JSON)).build();
    try (Response response = client.newCall(request).execute()) {
      response.body().bytes();
      return response.code() == 201;
    } catch (IOException e) {
      return false;
    } finally {
      pool.evictAll();
    }
  }

  /** CPU time (user + system) of a process so far, in ms, from /proc (Linux). */
  private static long cpuMillis(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 10; // USER_HZ is 100 on Linux
  }

  private static double percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static String quote(String pem) {
    return "\"" + pem.replace("\n", "\\n") + "\"";
  }

  /** RSA-3072 SHA256withRSA signatures per second with 1 and 2 threads, JDK and Bouncy Castle. */
  private static void rawSigning() throws Exception {
    KeyPair keys = RsaKeys.generate(3072, new SecureRandom());
    byte[] tbs = new byte[800];
    new SecureRandom().nextBytes(tbs);
    for (String provider : List.of("SunRsaSign", "BC")) {
      for (int threads : new int[] {1, 2}) {
        measureSigning(provider, threads, keys.getPrivate(), tbs, 2); // warm-up
        double rate = measureSigning(provider, threads, keys.getPrivate(), tbs, 5);
        System.out.printf("| RSA-3072 sign, %s, %d thread(s) | %.1f |%n", provider, threads, rate);
      }
    }
  }

  private static double measureSigning(
      String provider, int threads, PrivateKey key, byte[] tbs, int seconds) throws Exception {
    return RawSigning.rate(provider, threads, key, tbs, seconds);
  }
}
