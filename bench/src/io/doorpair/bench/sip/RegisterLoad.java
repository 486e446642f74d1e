package io.doorpair.bench.sip;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 2: REGISTER refreshes on persistent connections. Each user ({@code loadtest}, {@code
 * callee}, {@code user1..10}, all {@code @portal}) keeps one connection and refreshes its binding
 * (same Call-ID and Contact, CSeq + 1) in turn; latency is REGISTER (scheduled) to 200.
 */
final class RegisterLoad implements AutoCloseable {
  private final List<Flow> flows = new ArrayList<>();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final String run = Long.toHexString(System.nanoTime());
  private final AtomicInteger readerErrors = new AtomicInteger();
  private volatile String readerError = "";
  private int stepNumber;

  private static final class Flow {
    final SipConnection connection;
    final String callId;
    long cseq = 1;

    Flow(SipConnection connection, String callId) {
      this.connection = connection;
      this.callId = callId;
    }
  }

  private static final class Step {
    final long[] latency;
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    volatile String firstError;

    Step(int capacity) {
      latency = new long[capacity];
    }
  }

  private record Pending(Step step, int index, long due) {}

  RegisterLoad(ClientTls tls, InetSocketAddress server) throws IOException {
    List<String> users = new ArrayList<>(List.of("loadtest@portal", "callee@portal"));
    for (int i = 1; i <= 10; i++) {
      users.add("user" + i + "@portal");
    }
    for (String user : users) {
      SipConnection c = SipConnection.open(tls.context(user), user, server, 10_000);
      Flow f = new Flow(c, run + "-refresh-" + user);
      flows.add(f);
      c.send(register(f));
      SipMessage first = c.readMessage();
      if (!first.isResponse() || first.status() != 200) {
        throw new IOException("REGISTER of " + user + " got " + first.startLine);
      }
      c.startReader(this::onMessage, this::onReaderError);
    }
  }

  private static String register(Flow f) {
    SipConnection c = f.connection;
    return SipText.register(c.user, c.localPort, "127.0.0.1:" + c.localPort, f.callId, f.cseq);
  }

  private void onReaderError(IOException e) {
    readerErrors.incrementAndGet();
    readerError = e.toString();
  }

  private void onMessage(SipMessage m) {
    if (!m.isResponse() || m.status() < 200) {
      return;
    }
    String cseq = m.header("cseq");
    Pending p = pending.remove(m.header("call-id") + " " + cseq.substring(0, cseq.indexOf(' ')));
    if (p == null) {
      return;
    }
    if (m.status() < 300) {
      p.step.latency[p.index] = Math.max(1, System.nanoTime() - p.due);
      p.step.ok.incrementAndGet();
    } else {
      if (p.step.firstError == null) {
        p.step.firstError = "REGISTER got " + m.startLine.substring(8);
      }
      p.step.failed.incrementAndGet();
    }
  }

  /** Runs one step of {@code seconds} at {@code rate} REGISTERs/s. */
  StepResult step(int rate, double seconds, ServerProcess server, double drainSeconds) {
    Step step = new Step((int) Math.round(rate * seconds) + 1);
    int errorsBefore = readerErrors.get();
    ++stepNumber;
    double cpu0 = server.cpuMs();
    int started =
        OpenLoop.run(
            rate,
            seconds,
            (i, due) -> {
              Flow f = flows.get(i % flows.size());
              synchronized (f) {
                f.cseq++;
                pending.put(f.callId + " " + f.cseq, new Pending(step, i, due));
                try {
                  f.connection.send(register(f));
                } catch (IOException e) {
                  if (pending.remove(f.callId + " " + f.cseq) != null) {
                    step.failed.incrementAndGet();
                    step.firstError = "send: " + e;
                  }
                }
              }
            });
    long deadline = System.nanoTime() + (long) (drainSeconds * 1e9);
    while (step.ok.get() + step.failed.get() < started && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    pending.values().removeIf(p -> p.step == step);
    int failed = started - step.ok.get();
    double cpu = server.cpuMs() - cpu0;
    String error = step.firstError;
    if (error == null && failed > step.failed.get()) {
      error = "no answer within the drain time";
    }
    if (readerErrors.get() > errorsBefore) {
      error = (error == null ? "" : error + "; ") + "connection lost: " + readerError;
    }
    return StepResult.of(rate, started, step.ok.get(), failed, step.latency, cpu, error);
  }

  @Override
  public void close() {
    flows.forEach(f -> f.connection.close());
  }
}
