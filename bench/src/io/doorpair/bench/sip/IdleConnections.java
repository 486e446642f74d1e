package io.doorpair.bench.sip;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 4: idle mutual-TLS connections. Each is a distinct device: a fresh client context (a
 * full handshake, its own TLS session on the server), one OPTIONS answered 200, then silence. The
 * connections stay open (no thread per connection here) until {@link #close()}.
 */
final class IdleConnections implements AutoCloseable {
  private final ClientTls tls;
  private final InetSocketAddress server;
  private final int threads;
  private final List<SipConnection> open = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger failures = new AtomicInteger();
  private volatile String firstError = "";
  private final String run = Long.toHexString(System.nanoTime());
  private static final DeviceNames DEVICES = DeviceNames.SHARED;

  IdleConnections(ClientTls tls, InetSocketAddress server, int threads) {
    this.tls = tls;
    this.server = server;
    this.threads = threads;
  }

  /** Opens connections until {@code total} are open (or every attempt has been made once). */
  void growTo(int total) throws InterruptedException {
    int need = total - open.size();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    int base = open.size() + failures.get();
    for (int k = 0; k < need; k++) {
      int i = base + k;
      pool.execute(() -> openOne(i));
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
  }

  private void openOne(int i) {
    String user = "user" + (i % 10 + 1) + "@portal";
    SipConnection c = null;
    try {
      c = SipConnection.openFull(tls.context(user), DEVICES.next(), user, server, 10_000);
      String callId = run + "-idle-" + i;
      c.send(SipText.options(user, c.localPort, callId));
      SipMessage m = c.readMessage();
      if (!m.isResponse() || m.status() != 200) {
        throw new IOException("OPTIONS got " + m.startLine);
      }
      open.add(c);
    } catch (IOException | RuntimeException e) {
      if (c != null) {
        c.close();
      }
      if (failures.getAndIncrement() == 0) {
        firstError = e.toString();
      }
    }
  }

  int openCount() {
    return open.size();
  }

  int failures() {
    return failures.get();
  }

  String firstError() {
    return firstError;
  }

  @Override
  public void close() {
    synchronized (open) {
      open.forEach(SipConnection::close);
      open.clear();
    }
  }
}
