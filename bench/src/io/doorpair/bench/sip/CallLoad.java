package io.doorpair.bench.sip;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 1: calls INVITE/180/200/ACK/BYE through the server, both legs mutual TLS. Callers
 * ({@code loadtest@portal} on several connections) and callees ({@code callee@portal} and {@code
 * user1..10@portal}, one connection each) register first; each callee answers what the server sends
 * over its registered connection (180 and 200 in one write, then 200 to the BYE). A call succeeds
 * when its BYE gets a 2xx; its latency is INVITE (scheduled) to 200.
 */
final class CallLoad implements AutoCloseable {
  static final String CALLER = "loadtest@portal";

  private final List<SipConnection> callers = new ArrayList<>();
  private final List<SipConnection> callees = new ArrayList<>();
  private final Map<String, Call> calls = new ConcurrentHashMap<>();
  private final String run = Long.toHexString(System.nanoTime());
  private final AtomicInteger readerErrors = new AtomicInteger();
  private volatile String readerError = "";
  private int stepNumber;
  private volatile List<SipConnection> targets = callees;

  private static final class Step {
    final long[] latency;
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    volatile String firstError;

    Step(int capacity) {
      latency = new long[capacity];
    }

    void fail(String error) {
      if (firstError == null) {
        firstError = error;
      }
      failed.incrementAndGet();
    }
  }

  private static final class Call {
    final Step step;
    final int index;
    final long due;
    final String callee;
    volatile boolean answered;

    Call(Step step, int index, long due, String callee) {
      this.step = step;
      this.index = index;
      this.due = due;
      this.callee = callee;
    }
  }

  /** Opens and registers the callers' and callees' connections. */
  CallLoad(ClientTls tls, InetSocketAddress server, int callerConnections) throws IOException {
    List<String> calleeUsers = new ArrayList<>();
    calleeUsers.add("callee@portal");
    for (int i = 1; i <= 10; i++) {
      calleeUsers.add("user" + i + "@portal");
    }
    for (String user : calleeUsers) {
      SipConnection c = SipConnection.open(tls.context(user), user, server, 10_000);
      callees.add(c);
      check(SipText.registerBlocking(c, run + "-reg-" + user), user);
      c.startReader(m -> onCalleeMessage(c, m), this::onReaderError);
    }
    for (int i = 0; i < callerConnections; i++) {
      SipConnection c = SipConnection.open(tls.context(CALLER), CALLER, server, 10_000);
      callers.add(c);
      check(SipText.registerBlocking(c, run + "-reg-" + CALLER + "-" + i), CALLER);
      c.startReader(m -> onCallerMessage(c, m), this::onReaderError);
    }
  }

  /**
   * Takes connections already opened and registered (each SIP user its connection's {@code user}):
   * the callers call, the callees answer; {@link #target} chooses which callees a step calls.
   */
  CallLoad(List<SipConnection> callers, List<SipConnection> callees) throws IOException {
    for (SipConnection c : callees) {
      this.callees.add(c);
      c.startReader(m -> onCalleeMessage(c, m), this::onReaderError);
    }
    for (SipConnection c : callers) {
      this.callers.add(c);
      c.startReader(m -> onCallerMessage(c, m), this::onReaderError);
    }
  }

  /** Adds callees (connections opened and registered since), answering from now on. */
  void addCallees(List<SipConnection> more) throws IOException {
    for (SipConnection c : more) {
      callees.add(c);
      c.startReader(m -> onCalleeMessage(c, m), this::onReaderError);
    }
  }

  /** The callees the next steps call in turn (some of those given at construction). */
  void target(List<SipConnection> some) {
    targets = List.copyOf(some);
  }

  /** Connections lost so far (their reader thread ended with an error). */
  int lostConnections() {
    return readerErrors.get();
  }

  private static void check(int status, String user) throws IOException {
    if (status != 200) {
      throw new IOException("REGISTER of " + user + " got " + status);
    }
  }

  private void onReaderError(IOException e) {
    readerErrors.incrementAndGet();
    readerError = e.toString();
  }

  /** Runs one step of {@code seconds} at {@code rate} calls/s. */
  StepResult step(int rate, double seconds, ServerProcess server, double drainSeconds) {
    int capacity = (int) Math.round(rate * seconds) + 1;
    Step step = new Step(capacity);
    String prefix = run + "-" + (++stepNumber) + "-";
    int errorsBefore = readerErrors.get();
    double cpu0 = server.cpuMs();
    int started =
        OpenLoop.run(
            rate,
            seconds,
            (i, due) -> {
              SipConnection caller = callers.get(i % callers.size());
              List<SipConnection> to = targets;
              String callee = to.get(i % to.size()).user;
              String callId = prefix + i;
              calls.put(callId, new Call(step, i, due, callee));
              try {
                caller.send(SipText.invite(caller.user, callee, caller.localPort, callId));
              } catch (IOException e) {
                finish(callId, false, "send INVITE: " + e);
              }
            });
    long deadline = System.nanoTime() + (long) (drainSeconds * 1e9);
    while (step.ok.get() + step.failed.get() < started && System.nanoTime() < deadline) {
      sleep(20);
    }
    for (Map.Entry<String, Call> e : calls.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        finish(e.getKey(), false, "no answer within the drain time");
      }
    }
    double cpu = server.cpuMs() - cpu0;
    String error = step.firstError;
    if (readerErrors.get() > errorsBefore) {
      error = (error == null ? "" : error + "; ") + "connection lost: " + readerError;
    }
    return StepResult.of(rate, started, step.ok.get(), step.failed.get(), step.latency, cpu, error);
  }

  private void finish(String callId, boolean ok, String error) {
    Call c = calls.remove(callId);
    if (c == null) {
      return;
    }
    if (ok) {
      c.step.ok.incrementAndGet();
    } else {
      c.step.fail(error);
    }
  }

  private void onCallerMessage(SipConnection conn, SipMessage m) {
    if (!m.isResponse()) {
      answerOther(conn, m);
      return;
    }
    String callId = m.header("call-id");
    Call c = calls.get(callId);
    int status = m.status();
    if (c == null || status < 200) {
      return;
    }
    String method = m.cseqMethod();
    try {
      if (method.equals("INVITE")) {
        if (status < 300) {
          if (!c.answered) {
            c.answered = true;
            c.step.latency[c.index] = Math.max(1, System.nanoTime() - c.due);
            conn.send(SipText.ackAndBye(conn.user, conn.localPort, callId, m));
          }
        } else {
          conn.send(SipText.ackError(conn.user, c.callee, conn.localPort, callId, m));
          finish(callId, false, "INVITE got " + m.startLine.substring(8));
        }
      } else if (method.equals("BYE")) {
        finish(callId, status < 300, "BYE got " + m.startLine.substring(8));
      }
    } catch (IOException e) {
      finish(callId, false, "send ACK/BYE: " + e);
    }
  }

  private void onCalleeMessage(SipConnection conn, SipMessage m) {
    if (m.isResponse()) {
      return;
    }
    answerOther(conn, m);
  }

  private static void answerOther(SipConnection conn, SipMessage m) {
    if (m.method().equals("ACK")) {
      return;
    }
    try {
      conn.send(SipText.answer(m, conn.user, conn.localPort));
    } catch (IOException e) {
      // the reader thread of this connection reports the loss
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    callers.forEach(SipConnection::close);
    callees.forEach(SipConnection::close);
  }
}
