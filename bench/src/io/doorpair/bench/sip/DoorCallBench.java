package io.doorpair.bench.sip;

import io.doorpair.crypto.Pem;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.tls.TlsMaterial;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * Door calls through the whole chain on loopback: door stations ({@link DoorStation}, raw SIP over
 * UDP, digest) registered at the b2b's embedded internal server call {@code ipgw@DOMAIN}; the b2b
 * bridges each call through the portal's SIP edge to the owner's phone, played here by a TLS
 * connection with an app's certificate (registered with its {@code +sip.instance}) that answers
 * every INVITE at once with 180 and 200 (SDP). The door ACKs, hangs up with BYE and waits for its
 * 200.
 *
 * <p>First {@code SEQ} sequential calls from one door: door INVITE (from just before the first,
 * unauthenticated INVITE, so the internal server's 407 round trip counts) → the phone receiving its
 * INVITE (ringing), and the phone's 200 → the door receiving its 200. Then closed loops of {@code
 * C} doors calling back to back for {@code SECONDS} each, C climbing the list, stopping after the
 * first step with a failed call: calls completed per second and setup p50/p99 (door INVITE → door
 * 200).
 *
 * <p>Usage: {@code DoorCallBench PORTAL_SIP(host:port) PORTAL_CA PHONE_BASE(path without
 * .key/.crt/.uuid) INTERNAL(host:port) DOMAIN DOOR_PASSWORD SEQ SECONDS C1,C2,...}; doors are
 * {@code door1..doorN} with N the largest C, each with DOOR_PASSWORD in the password file.
 */
public final class DoorCallBench {
  private static final String PHONE_USER = "owner@portal.localhost";

  private final AtomicLong lastRing = new AtomicLong();
  private final AtomicLong lastAnswer = new AtomicLong();
  private final AtomicInteger phoneErrors = new AtomicInteger();
  private final ConcurrentHashMap<String, Boolean> seenInvites = new ConcurrentHashMap<>();

  private DoorCallBench() {}

  public static void main(String[] args) throws Exception {
    new DoorCallBench().run(args);
  }

  private void run(String[] args) throws Exception {
    InetSocketAddress portal = address(args[0]);
    var ca = Pem.parseCertificate(Files.readString(Path.of(args[1])));
    String base = args[2];
    InetSocketAddress internal = address(args[3]);
    String domain = args[4];
    SipPassword doorPassword = SipPassword.of(args[5]);
    int sequential = Integer.parseInt(args[6]);
    double seconds = Double.parseDouble(args[7]);
    List<Integer> levels = new ArrayList<>();
    for (String c : args[8].split(",")) {
      levels.add(Integer.parseInt(c.trim()));
    }

    SSLContext tls =
        TlsMaterial.context(
            Optional.of(
                TlsMaterial.keyManager(
                    Pem.parsePrivateKey(Files.readString(Path.of(base + ".key"))),
                    Pem.parseCertificates(Files.readString(Path.of(base + ".crt"))))),
            TlsMaterial.trustManager(List.of(ca)));
    String instance = Files.readString(Path.of(base + ".uuid")).trim();
    SipConnection phone = SipConnection.open(tls, PHONE_USER, portal, 10_000);
    String register =
        SipText.register(
                PHONE_USER, phone.localPort, "127.0.0.1:" + phone.localPort, "phone-reg", 1)
            .replace(
                ";transport=tls>\r\n",
                ";transport=tls>;+sip.instance=\"<urn:uuid:" + instance + ">\"\r\n");
    phone.send(register);
    while (true) {
      SipMessage m = phone.readMessage();
      if (m.isResponse() && m.status() >= 200) {
        if (m.status() != 200) {
          throw new IOException("phone REGISTER got " + m.startLine);
        }
        break;
      }
    }
    phone.startReader(m -> onPhoneMessage(phone, m), e -> phoneErrors.incrementAndGet());

    int maxDoors = Collections.max(levels);
    List<DoorStation> doors = new ArrayList<>();
    for (int i = 1; i <= Math.max(1, maxDoors); i++) {
      doors.add(DoorStation.register(internal, domain, "door" + i, doorPassword));
    }

    // Warm-up (the JVMs compile), not reported.
    for (int i = 0; i < 5; i++) {
      oneCall(doors.get(0));
    }
    List<Long> ring = new ArrayList<>();
    List<Long> answer = new ArrayList<>();
    List<Long> setup = new ArrayList<>();
    int seqFailures = 0;
    String seqError = "";
    for (int i = 0; i < sequential; i++) {
      try {
        long[] t = oneCall(doors.get(0));
        ring.add(t[0]);
        answer.add(t[1]);
        setup.add(t[2]);
      } catch (RuntimeException | IOException e) {
        seqFailures++;
        seqError = e.getMessage();
      }
    }
    Collections.sort(ring);
    Collections.sort(answer);
    Collections.sort(setup);
    out("seq_calls", ring.size());
    out("seq_failures", seqFailures);
    out("seq_error", seqError.replace('\n', ' '));
    out("ring_p50_ms", pct(ring, 50));
    out("ring_p99_ms", pct(ring, 99));
    out("answer_p50_ms", pct(answer, 50));
    out("answer_p99_ms", pct(answer, 99));
    out("setup_p50_ms", pct(setup, 50));
    out("setup_p99_ms", pct(setup, 99));

    StringBuilder steps = new StringBuilder();
    for (int c : levels) {
      Step step = closedLoop(doors.subList(0, c), seconds);
      String line =
          String.format(
              Locale.ROOT,
              "%d:%.1f:%d:%.1f:%.1f:%s",
              c,
              step.completed / seconds,
              step.failed.get(),
              pct(step.setup, 50),
              pct(step.setup, 99),
              step.error.replace(':', ' ').replace(';', ','));
      steps.append(steps.length() == 0 ? "" : ";").append(line);
      System.err.println("door calls: " + c + " doors: " + line);
      if (step.failed.get() > 0) {
        break;
      }
    }
    out("steps", steps.toString());
    out("phone_errors", phoneErrors.get());
    for (DoorStation d : doors) {
      d.close();
    }
    phone.close();
  }

  /** One call; returns {ring ns, answer ns, setup ns}. */
  private long[] oneCall(DoorStation door) throws IOException {
    lastRing.set(0);
    int mark = door.mark();
    long start = System.nanoTime();
    DoorStation.Outgoing call = door.call("ipgw");
    DoorStation.Received ok =
        door.await(
            "200 to the INVITE",
            mark,
            r ->
                r.status() >= 200
                    && r.isResponseTo("INVITE")
                    && r.header("CSeq").startsWith("2 ")
                    && r.header("Call-ID").equals(call.callId()));
    if (ok.status() != 200) {
      throw new IOException("door INVITE got " + ok.startLine());
    }
    door.ack(call, ok);
    int byeMark = door.mark();
    door.bye(call, ok);
    door.await(
        "200 to the BYE",
        byeMark,
        r ->
            r.status() >= 200
                && r.isResponseTo("BYE")
                && r.header("Call-ID").equals(call.callId()));
    long rang = lastRing.get();
    long answered = lastAnswer.get();
    return new long[] {rang - start, ok.nanos() - answered, ok.nanos() - start};
  }

  private static final class Step {
    final List<Long> setup = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger failed = new AtomicInteger();
    volatile String error = "";
    int completed;
  }

  private Step closedLoop(List<DoorStation> doors, double seconds) throws InterruptedException {
    Step step = new Step();
    AtomicInteger completed = new AtomicInteger();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    for (DoorStation door : doors) {
      Thread t =
          new Thread(
              () -> {
                while (System.nanoTime() < end && step.failed.get() == 0) {
                  try {
                    long start = System.nanoTime();
                    int mark = door.mark();
                    DoorStation.Outgoing call = door.call("ipgw");
                    DoorStation.Received ok =
                        door.await(
                            "200 to the INVITE",
                            mark,
                            r ->
                                r.status() >= 200
                                    && r.isResponseTo("INVITE")
                                    && r.header("CSeq").startsWith("2 ")
                                    && r.header("Call-ID").equals(call.callId()));
                    if (ok.status() != 200) {
                      throw new IOException("door INVITE got " + ok.startLine());
                    }
                    step.setup.add(ok.nanos() - start);
                    door.ack(call, ok);
                    int byeMark = door.mark();
                    door.bye(call, ok);
                    door.await(
                        "200 to the BYE",
                        byeMark,
                        r ->
                            r.status() >= 200
                                && r.isResponseTo("BYE")
                                && r.header("Call-ID").equals(call.callId()));
                    if (System.nanoTime() <= end) {
                      completed.incrementAndGet();
                    }
                  } catch (RuntimeException | IOException e) {
                    step.failed.incrementAndGet();
                    step.error = String.valueOf(e.getMessage());
                  }
                }
              },
              "door-loop");
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis((long) seconds + 30));
    }
    step.completed = completed.get();
    step.setup.sort(null);
    return step;
  }

  private void onPhoneMessage(SipConnection conn, SipMessage m) {
    if (m.isResponse() || m.method().equals("ACK")) {
      return;
    }
    if (m.method().equals("INVITE")) {
      if (seenInvites.putIfAbsent(m.header("call-id"), Boolean.TRUE) != null) {
        return; // a retransmission: the answer already went
      }
      lastRing.set(System.nanoTime());
    }
    try {
      String answer = SipText.answer(m, conn.user, conn.localPort);
      if (m.method().equals("INVITE")) {
        lastAnswer.set(System.nanoTime());
      }
      conn.send(answer);
    } catch (IOException e) {
      phoneErrors.incrementAndGet();
    }
  }

  private static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  private static double pct(List<Long> sorted, double p) {
    synchronized (sorted) {
      if (sorted.isEmpty()) {
        return Double.NaN;
      }
      int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
    }
  }

  private static void out(String key, Object value) {
    if (value instanceof Double d) {
      System.out.println(key + "=" + String.format(Locale.ROOT, "%.1f", d));
    } else {
      System.out.println(key + "=" + value);
    }
  }
}
