package io.doorpair.bench;

import io.doorpair.crypto.tls.TlsMaterial;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;

/**
 * Bare TLS handshakes against the portal's HTTPS port, each from a new client context (no session
 * to resume: a full handshake, as every pairing makes) on a new connection that is closed as soon
 * as the handshake completed. What the portal spends on them is what the handshake costs a pairing.
 */
final class Handshakes {
  private Handshakes() {}

  /** Handshakes completed by {@code threads} clients in a closed loop for {@code seconds}. */
  static int run(String url, X509Certificate ca, int threads, int seconds)
      throws InterruptedException {
    URI uri = URI.create(url);
    InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
    X509TrustManager trust = TlsMaterial.trustManager(List.of(ca));
    AtomicInteger done = new AtomicInteger();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    CountDownLatch finished = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      new Thread(
              () -> {
                try {
                  while (System.nanoTime() < end) {
                    SSLContext context = TlsMaterial.context(Optional.empty(), trust);
                    try (SSLSocket socket =
                        (SSLSocket)
                            context
                                .getSocketFactory()
                                .createSocket(address.getHostString(), address.getPort())) {
                      socket.setTcpNoDelay(true);
                      javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
                      parameters.setEndpointIdentificationAlgorithm("HTTPS");
                      socket.setSSLParameters(parameters);
                      socket.startHandshake();
                      done.incrementAndGet();
                    } catch (java.io.IOException e) {
                      System.err.println("handshake failed: " + e);
                    }
                  }
                } finally {
                  finished.countDown();
                }
              })
          .start();
    }
    finished.await();
    return done.get();
  }
}
