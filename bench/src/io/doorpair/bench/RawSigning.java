package io.doorpair.bench;

import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Raw SHA256withRSA signing rate of this JVM: the ceiling of anything that signs once per operation
 * (a pairing, the two sides of a full TLS handshake). Used by {@code pairing.sh} and {@code
 * nodes.sh}.
 */
public final class RawSigning {
  private RawSigning() {}

  /**
   * Signs {@code tbs} again and again on {@code threads} threads for {@code seconds}.
   *
   * @param provider {@code "BC"} for Bouncy Castle, else a JDK provider name ({@code SunRsaSign})
   * @return signatures per second
   */
  public static double rate(String provider, int threads, PrivateKey key, byte[] tbs, int seconds)
      throws Exception {
    return measure(provider, threads, key, tbs, seconds).perSecond();
  }

  /**
   * A signing measurement.
   *
   * @param perSecond signatures per second (wall clock, all threads)
   * @param cpuMillisPerSignature the signing threads' CPU time per signature: what other work on
   *     the machine disturbs much less than the rate
   */
  public record Measured(double perSecond, double cpuMillisPerSignature) {}

  /** As {@link #rate}, also measuring the signing threads' CPU time. */
  public static Measured measure(
      String provider, int threads, PrivateKey key, byte[] tbs, int seconds) throws Exception {
    java.lang.management.ThreadMXBean cpu =
        java.lang.management.ManagementFactory.getThreadMXBean();
    AtomicLong cpuNanos = new AtomicLong();
    Provider p =
        provider.equals("BC")
            ? new org.bouncycastle.jce.provider.BouncyCastleProvider()
            : Security.getProvider(provider);
    AtomicLong count = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      new Thread(
              () -> {
                long cpuStart = cpu.getCurrentThreadCpuTime();
                try {
                  Signature signature = Signature.getInstance("SHA256withRSA", p);
                  while (System.nanoTime() < end) {
                    signature.initSign(key);
                    signature.update(tbs);
                    signature.sign();
                    count.incrementAndGet();
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                } finally {
                  cpuNanos.addAndGet(cpu.getCurrentThreadCpuTime() - cpuStart);
                  done.countDown();
                }
              })
          .start();
    }
    done.await();
    return new Measured(
        count.get() / (double) seconds, cpuNanos.get() / 1e6 / Math.max(1, count.get()));
  }
}
