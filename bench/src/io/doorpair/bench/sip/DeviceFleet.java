package io.doorpair.bench.sip;

import io.doorpair.ca.CaKeyFiles;
import io.doorpair.ca.CaSettings;
import io.doorpair.ca.CertificateAuthority;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.crypto.tls.TlsMaterial;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * Devices of the nodes bench: each its own SIP user {@code NAME@DOMAIN} with its own certificate
 * from the portal CA (issued here with {@link CertificateAuthority#issueClient}, as pairing does; a
 * few RSA-2048 keys shared by all to save key generation), each registered over a mutual-TLS
 * connection of its own (a full handshake) that then stays open, silent. No thread per connection.
 *
 * <p>Run as a program ({@code DeviceFleet data-dir domain prefix first count host:port threads}),
 * it holds one share of the devices in a JVM of its own (a process has at most {@code ulimit -n}
 * sockets), registers them, prints {@code registered OK FAILED SECONDS}, then reads commands on
 * standard input: {@code storm SECONDS} (every device reconnects at once, each retrying until it is
 * registered or the deadline passes; prints {@code storm OK FAILED SECONDS ATTEMPTS}) and {@code
 * quit}.
 */
final class DeviceFleet implements AutoCloseable {
  private static final int KEYS = 8;
  private static final int TIMEOUT_MS = 20_000;
  private final List<String> users;
  private final List<SSLContext> contexts;
  private final AtomicReferenceArray<SipConnection> open;
  private final String run = Long.toHexString(System.nanoTime());
  private final AtomicInteger attempts = new AtomicInteger();
  private volatile String firstError = "";

  /** A few RSA-2048 device keys, shared by the devices of the fleets made with them. */
  static List<KeyPair> keys() {
    SecureRandom random = new SecureRandom();
    List<KeyPair> keys = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      keys.add(RsaKeys.generate(2048, random));
    }
    return keys;
  }

  /** Issues one certificate per user on two threads (the CA's signing). */
  DeviceFleet(CertificateAuthority ca, List<KeyPair> keys, List<String> users) throws Exception {
    X509TrustManager trust = TlsMaterial.trustManager(List.of(ca.certificate()));
    this.users = List.copyOf(users);
    ExecutorService signers = Executors.newFixedThreadPool(2);
    List<Future<SSLContext>> futures = new ArrayList<>();
    for (int i = 0; i < users.size(); i++) {
      KeyPair key = keys.get(i % KEYS);
      String user = users.get(i);
      futures.add(
          signers.submit(
              () -> {
                X509Certificate cert =
                    Pem.parseCertificate(
                        ca.issueClient(key.getPublic(), user, Optional.empty()).pem());
                SSLContext c =
                    TlsMaterial.context(
                        Optional.of(TlsMaterial.keyManager(key.getPrivate(), List.of(cert))),
                        trust);
                c.getClientSessionContext().setSessionCacheSize(1);
                return c;
              }));
    }
    List<SSLContext> made = new ArrayList<>();
    for (Future<SSLContext> f : futures) {
      made.add(f.get());
    }
    signers.shutdown();
    this.contexts = made;
    this.open = new AtomicReferenceArray<>(users.size());
  }

  static CertificateAuthority ca(Path dataDir) {
    return CaKeyFiles.loadOrCreate(
        dataDir, CaSettings.defaults(), Clock.systemUTC(), new SecureRandom());
  }

  static List<String> names(String prefix, int first, int count, String domain) {
    List<String> names = new ArrayList<>(count);
    for (int i = first; i < first + count; i++) {
      names.add(String.format(Locale.ROOT, "%s%05d@%s", prefix, i, domain));
    }
    return names;
  }

  int size() {
    return users.size();
  }

  /** The open connection of device {@code i} (null when it is not registered). */
  SipConnection connection(int i) {
    return open.get(i);
  }

  String firstError() {
    return firstError;
  }

  int attempts() {
    return attempts.get();
  }

  /**
   * Connects and registers every device on {@code threads} threads, each device retrying until
   * {@code deadlineSeconds} from now (a restarting node refuses connections for a while).
   *
   * @return how many are registered
   */
  int registerAll(InetSocketAddress server, int threads, double deadlineSeconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + (long) (deadlineSeconds * 1e9);
    AtomicInteger ok = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (int i = 0; i < users.size(); i++) {
      int index = i;
      pool.execute(
          () -> {
            if (registerOne(index, server, deadline)) {
              ok.incrementAndGet();
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination((long) deadlineSeconds + 60, TimeUnit.SECONDS);
    pool.shutdownNow();
    return ok.get();
  }

  private boolean registerOne(int i, InetSocketAddress server, long deadline) {
    String user = users.get(i);
    while (System.nanoTime() < deadline) {
      attempts.incrementAndGet();
      SipConnection c = null;
      try {
        c =
            SipConnection.openFull(
                contexts.get(i), DeviceNames.SHARED.next(), user, server, TIMEOUT_MS);
        int status = SipText.registerBlocking(c, run + "-" + attempts.get() + "-" + i);
        if (status != 200) {
          throw new IOException("REGISTER of " + user + " got " + status);
        }
        open.set(i, c);
        return true;
      } catch (IOException | RuntimeException e) {
        if (c != null) {
          c.close();
        }
        if (firstError.isEmpty()) {
          firstError = e.toString();
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException stop) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }

  /** Closes every connection (the devices notice their node is gone). */
  @Override
  public void close() {
    for (int i = 0; i < open.length(); i++) {
      SipConnection c = open.getAndSet(i, null);
      if (c != null) {
        c.close();
      }
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 7) {
      System.err.println("usage: DeviceFleet data-dir domain prefix first count host:port threads");
      System.exit(2);
    }
    List<String> names =
        names(args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), args[1]);
    DeviceFleet fleet = new DeviceFleet(ca(Path.of(args[0])), keys(), names);
    String[] hp = args[5].split(":");
    InetSocketAddress server = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
    int threads = Integer.parseInt(args[6]);
    System.out.println("issued " + fleet.size());
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    String line;
    while ((line = in.readLine()) != null) {
      String[] cmd = line.trim().split(" ");
      if (cmd[0].equals("register") || cmd[0].equals("storm")) {
        fleet.close();
        int before = fleet.attempts();
        long t0 = System.nanoTime();
        int ok = fleet.registerAll(server, threads, Double.parseDouble(cmd[1]));
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "%s %d %d %.3f %d %s%n",
            cmd[0],
            ok,
            fleet.size() - ok,
            s,
            fleet.attempts() - before,
            fleet.firstError().replace(' ', '_'));
        System.out.flush();
      } else if (cmd[0].equals("quit")) {
        break;
      }
    }
    fleet.close();
    System.exit(0);
  }
}
