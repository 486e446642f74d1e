package io.doorpair.welcome.sip;

import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.SipEdge;
import io.doorpair.sipedge.SipEdgeConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** The real portal SIP server in-process, and phone configurations for it (SIP and CLI tests). */
public final class EdgeFixture {
  public static final String PORTAL_DOMAIN = "portal.test";
  public static final Duration DEADLINE = Duration.ofSeconds(30);
  public static final TestPki PKI = TestPki.shared();

  private EdgeFixture() {}

  /** An edge on {@code port} (0: any) whose certificate names {@code names}. */
  public static RunningSipEdge edge(int port, Leaf server) throws IOException {
    return SipEdge.start(
        SipEdgeConfig.of(
            new InetSocketAddress("127.0.0.1", port),
            PORTAL_DOMAIN,
            List.of(PKI.caCertificate()),
            server.keys().getPrivate(),
            List.of(server.certificate())));
  }

  /** A server certificate for {@code localhost} and 127.0.0.1 (Linphone checks DNS names only). */
  public static Leaf localServer() {
    return PKI.issueServer("localhost", "127.0.0.1");
  }

  /** A device of {@code user}: certificate, key, instance. */
  public record Device(Leaf leaf, UUID instance) {
    public static Device of(String user) {
      UUID instance = UUID.randomUUID();
      return new Device(
          PKI.issueClient(user + "@" + PORTAL_DOMAIN, Optional.of(instance)), instance);
    }

    /** A phone configuration towards {@code host:port}, with fast retries. */
    public SipPhoneConfig config(String host, int port) {
      return SipPhoneConfig.of(
              leaf.keys().getPrivate(),
              List.of(leaf.certificate()),
              PKI.caCertificate(),
              instance,
              host,
              port)
          .withTimings(
              Duration.ofSeconds(600),
              Duration.ofSeconds(1),
              new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)));
    }
  }

  public static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError(what + ": not true within " + DEADLINE);
      }
      Thread.sleep(50);
    }
  }

  /** A listener that keeps what it was told. */
  static final class Recorder implements CallListener {
    final java.util.concurrent.BlockingQueue<IncomingCall> rings =
        new java.util.concurrent.LinkedBlockingQueue<>();
    final java.util.concurrent.BlockingQueue<Call> ends =
        new java.util.concurrent.LinkedBlockingQueue<>();

    @Override
    public void ringing(IncomingCall call) {
      rings.add(call);
    }

    @Override
    public void ended(Call call) {
      ends.add(call);
    }

    IncomingCall nextRing() throws InterruptedException {
      IncomingCall call =
          rings.poll(DEADLINE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      if (call == null) {
        throw new AssertionError("no call rang within " + DEADLINE);
      }
      return call;
    }
  }
}
