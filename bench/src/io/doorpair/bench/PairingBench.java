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
 * <p>Arguments: {@code <api base URL> <ca.pem> <user> <password> <label> <seconds> <raw signing
 * rate> <portal pid> [<cores of the portal, default 2>]}. Prints one markdown table row per run
 * (and what the closed loop saw on standard error); {@code --raw-signing} prints the raw signing
 * rates instead.
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
    // The cores the portal may use (2, or 1 when pinned): its capacity is that many CPU seconds.
    int serverCores = args.length > 8 ? Integer.parseInt(args[8]) : 2;
    // The CPU time one RSA-3072 signature takes on this machine (the best measured): a pairing's
    // server CPU against it is the server-only ratio, which other work on the machine disturbs
    // much less than the rates.
    double cpuPerSignature = args.length > 9 ? Double.parseDouble(args[9]) : Double.NaN;

    KeyPair keys = RsaKeys.generate(2048);
    int needed = 7_000;
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
            .eventListener(WIRE)
            .build();

    // Warm-up until the portal's JIT has settled: in windows of 5 s, until its compiler threads
    // take under 10% of its CPU (at least 10 s, at most 60 s, and never into the CSRs the
    // measurements need: the closed and the open loop at the last window's rate, 30% spare). A
    // JVM that still compiles charges its JIT to every pairing.
    int warmup = 0;
    double jitShare = 1;
    double reserve = 1_000;
    while (warmup < 60 && (warmup < 10 || jitShare >= 0.10) && bodies.size() > reserve) {
      ServerCpu before = ServerCpu.read(serverPid);
      Result window = closedLoop(base, url, user, password, bodies, 4, 5);
      reserve = Math.max(1_000, 1.3 * 1.8 * seconds * window.count / 5.0);
      ServerCpu used = ServerCpu.read(serverPid).minus(before);
      jitShare = used.jitMillis() / (double) Math.max(1, used.totalMillis());
      warmup += 5;
      System.err.printf(
          "%s warm-up %d s: portal JIT %.0f%% of its CPU%n", label, warmup, 100 * jitShare);
    }

    // The closed loop: the highest rate, with the CPU both sides spent on it.
    ServerCpu serverBefore = ServerCpu.read(serverPid);
    long generatorBefore = generatorCpuNanos();
    WIRE.reset();
    Result closed = closedLoop(base, url, user, password, bodies, 4, seconds);
    ServerCpu server = ServerCpu.read(serverPid).minus(serverBefore);
    double generatorCpuPerPairing =
        (generatorCpuNanos() - generatorBefore) / 1e6 / Math.max(1, closed.count);
    double connectionsPerPairing = WIRE.connections.get() / (double) Math.max(1, closed.count);
    double requestsPerPairing = WIRE.requests.get() / (double) Math.max(1, closed.count);
    double serverCpuPerPairing = server.totalMillis() / (double) closed.count;
    double jitPerPairing = server.jitMillis() / (double) closed.count;
    double rate = closed.count / (double) seconds;

    // The same portal answering bare TLS handshakes (a new client context each, as above): what
    // the handshake alone costs it.
    ServerCpu handshakeBefore = ServerCpu.read(serverPid);
    int handshakes = Handshakes.run(url, CA, 4, Math.min(seconds, 8));
    ServerCpu handshakeCpu = ServerCpu.read(serverPid).minus(handshakeBefore);
    double serverCpuPerHandshake =
        (handshakeCpu.totalMillis() - handshakeCpu.jitMillis()) / (double) handshakes;

    // The open loop at 80% of that rate: latency measured from each request's scheduled time.
    double target = rate * 0.8;
    List<Long> latencies = openLoop(base, url, user, password, bodies, target, seconds);
    Collections.sort(latencies);
    System.out.printf(
        "| %s | %.1f | %d | %.0f%% | %.1f | %.1f | %.1f | %.1f | %.0f%% | %.0f%% | %.0f%%"
            + " | %.1f | %.1f | %.1f |%n",
        label,
        rate,
        closed.failures,
        100 * rate / rawSigning,
        serverCpuPerPairing,
        jitPerPairing,
        serverCpuPerHandshake,
        generatorCpuPerPairing,
        // What the server alone could do on its cores, against the raw signing rate on as many
        // threads.
        100 * (serverCores * 1000 / serverCpuPerPairing) / rawSigning,
        100 * cpuPerSignature / serverCpuPerPairing,
        100 * cpuPerSignature / (serverCpuPerPairing - jitPerPairing),
        target,
        percentile(latencies, 50) / 1e6,
        percentile(latencies, 99) / 1e6);
    System.err.printf(
        "%s: warm-up %d s (portal JIT %.0f%% of its CPU in the last 5 s); closed loop %d pairings,"
            + " %.2f TLS connections and %.2f HTTP requests per pairing; %d bare handshakes"
            + " (and %.2f ms of portal JIT per handshake besides)%n",
        label,
        warmup,
        100 * jitShare,
        closed.count,
        connectionsPerPairing,
        requestsPerPairing,
        handshakes,
        handshakeCpu.jitMillis() / (double) handshakes);
  }

  /** Counts the TLS connections and the HTTP requests the clients make. */
  private static final class WireCounts extends okhttp3.EventListener {
    final AtomicLong connections = new AtomicLong();
    final AtomicLong requests = new AtomicLong();

    void reset() {
      connections.set(0);
      requests.set(0);
    }

    @Override
    public void secureConnectStart(okhttp3.Call call) {
      connections.incrementAndGet();
    }

    @Override
    public void requestHeadersStart(okhttp3.Call call) {
      requests.incrementAndGet();
    }
  }

  private static final WireCounts WIRE = new WireCounts();

  /** CPU time (user + system) of this load generator so far, in ns. */
  private static long generatorCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
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
        RawSigning.measure(provider, threads, keys.getPrivate(), tbs, 2); // warm-up
        RawSigning.Measured measured =
            RawSigning.measure(provider, threads, keys.getPrivate(), tbs, 5);
        System.out.printf(
            "| RSA-3072 sign, %s, %d thread(s) | %.1f | %.2f |%n",
            provider, threads, measured.perSecond(), measured.cpuMillisPerSignature());
      }
    }
  }
}
