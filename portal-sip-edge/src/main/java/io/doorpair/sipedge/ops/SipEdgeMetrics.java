package io.doorpair.sipedge.ops;

import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.metrics.EdgeObserver;
import io.doorpair.sipedge.metrics.HandshakeFailure;
import io.doorpair.sipedge.metrics.RegisterResult;
import io.doorpair.sipedge.registrar.NodeDirectory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The portal SIP server's meters, registered on the registry of the process that runs it: {@code
 * portal serve} (the SIP server in-process, next to the API's meters) or {@code portal-sip serve}.
 * The names are the same in both, listed in {@code docs/operations.md}. Every counter with a fixed
 * set of labels exists from the start at 0; labels are only these fixed sets (status class, reason
 * enums), never a user, a certificate subject or an address. Thread-safe.
 */
public final class SipEdgeMetrics implements EdgeObserver {
  /** The name of the TLS handshake failure counter, shared with the portal's API listener. */
  public static final String HANDSHAKE_FAILURES = "doorpair.portal.tls.handshake.failures";

  /** Its description (the same for every listener, as the registry wants). */
  public static final String HANDSHAKE_FAILURES_HELP =
      "TLS handshakes that failed, by listener and reason";

  private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", "6xx"};

  /** How long one reading of the node links is reused by the gauges of a scrape. */
  private static final long LINKS_CACHE_NANOS = 1_000_000_000L;

  private final Map<HandshakeFailure, Counter> handshakes = new EnumMap<>(HandshakeFailure.class);
  private final Map<RegisterResult, Counter> outcomes = new EnumMap<>(RegisterResult.class);
  private final Counter[] registers = new Counter[STATUS_CLASSES.length];
  private final Counter[] invites = new Counter[STATUS_CLASSES.length];
  private final Counter revokedConnections;
  private final Counter identityMismatches;
  private final Counter callsStarted;

  /** Registers the counters on {@code registry}; {@link #observe} also adds the gauges. */
  public SipEdgeMetrics(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    for (HandshakeFailure reason : HandshakeFailure.values()) {
      handshakes.put(reason, handshakeCounter(registry, "sip", reason));
    }
    for (RegisterResult result : RegisterResult.values()) {
      outcomes.put(
          result,
          Counter.builder("doorpair.portal.sip.register.outcomes")
              .description("REGISTERs answered: accepted, or refused by reason")
              .tag("outcome", result.label())
              .register(registry));
    }
    for (int i = 0; i < STATUS_CLASSES.length; i++) {
      registers[i] =
          Counter.builder("doorpair.portal.sip.register")
              .description("REGISTER requests answered, by status class")
              .tag("status", STATUS_CLASSES[i])
              .register(registry);
      invites[i] =
          Counter.builder("doorpair.portal.sip.invites")
              .description("INVITEs relayed or refused, by the status class of their final answer")
              .tag("status", STATUS_CLASSES[i])
              .register(registry);
    }
    revokedConnections =
        Counter.builder("doorpair.portal.sip.revoked.connections.closed")
            .description("open SIP connections closed because a new CRL revoked their certificate")
            .register(registry);
    identityMismatches =
        Counter.builder("doorpair.portal.sip.identity.mismatches")
            .description("requests whose From was not their certificate's (403 Bad tls client)")
            .register(registry);
    callsStarted =
        Counter.builder("doorpair.portal.sip.calls.started")
            .description("initial INVITEs from devices connected here, admitted to the proxy")
            .register(registry);
  }

  /** The handshake failure counter of {@code listener} ({@code api}, {@code sip}) and reason. */
  public static Counter handshakeCounter(
      MeterRegistry registry, String listener, HandshakeFailure reason) {
    return Counter.builder(HANDSHAKE_FAILURES)
        .description(HANDSHAKE_FAILURES_HELP)
        .tag("listener", listener)
        .tag("reason", reason.label())
        .register(registry);
  }

  /**
   * Meters for {@code edge} on {@code registry}: its counters (the edge reports to them from now
   * on) and gauges of its connections, its bindings (when counting them is cheap: in memory), the
   * age of its CRL and, when it routes to other nodes, the state of its links to them.
   */
  public static SipEdgeMetrics observe(RunningSipEdge edge, MeterRegistry registry, Clock clock) {
    Objects.requireNonNull(edge, "edge");
    Objects.requireNonNull(clock, "clock");
    SipEdgeMetrics metrics = new SipEdgeMetrics(registry);
    edge.observe(metrics);
    gauge(
        registry,
        "doorpair.portal.sip.connections",
        "open SIP over TLS connections",
        null,
        () -> edge.openConnections());
    if (edge.bindings().count(clock.instant()).isPresent()) {
      gauge(
          registry,
          "doorpair.portal.sip.registrations",
          "live SIP registrations (bindings) of this process",
          null,
          () -> edge.bindings().count(clock.instant()).orElse(0));
    }
    gauge(
        registry,
        "doorpair.portal.sip.crl.age.seconds",
        "seconds since the thisUpdate of the oldest CRL in force (NaN: none)",
        null,
        () -> crlAge(edge, clock.instant()));
    gauge(
        registry,
        "doorpair.portal.sip.crl.next.update.seconds",
        "seconds until the earliest nextUpdate of the CRLs in force (negative: stale; NaN: none)",
        null,
        () -> crlNextUpdate(edge, clock.instant()));
    Optional<NodeDirectory> nodes = edge.sharedNodes();
    if (edge.routesToNodes() && nodes.isPresent()) {
      LinkCensus census = new LinkCensus(edge, nodes.get());
      gauge(
          registry,
          "doorpair.portal.sip.node.links",
          "running SIP nodes by the state of this node's link to them (NaN: Redis down)",
          "up",
          () -> census.get()[0]);
      gauge(
          registry,
          "doorpair.portal.sip.node.links",
          "running SIP nodes by the state of this node's link to them (NaN: Redis down)",
          "down",
          () -> census.get()[1]);
    }
    return metrics;
  }

  private static void gauge(
      MeterRegistry registry,
      String name,
      String description,
      String state,
      java.util.function.Supplier<Number> value) {
    Gauge.Builder<java.util.function.Supplier<Number>> gauge =
        Gauge.builder(name, value).description(description).strongReference(true);
    if (state != null) {
      gauge.tag("state", state);
    }
    gauge.register(registry);
  }

  private static double crlAge(RunningSipEdge edge, Instant now) {
    double age = Double.NaN;
    for (X509CRL crl : edge.crls()) {
      double seconds = (now.toEpochMilli() - crl.getThisUpdate().getTime()) / 1000.0;
      age = Double.isNaN(age) ? seconds : Math.max(age, seconds);
    }
    return age;
  }

  private static double crlNextUpdate(RunningSipEdge edge, Instant now) {
    double left = Double.NaN;
    for (X509CRL crl : edge.crls()) {
      if (crl.getNextUpdate() != null) {
        double seconds = (crl.getNextUpdate().getTime() - now.toEpochMilli()) / 1000.0;
        left = Double.isNaN(left) ? seconds : Math.min(left, seconds);
      }
    }
    return left;
  }

  /** Links up and down to the running nodes, read at most once a second (a Redis read). */
  private static final class LinkCensus {
    private final RunningSipEdge edge;
    private final NodeDirectory nodes;
    private final AtomicReference<double[]> last = new AtomicReference<>();
    private volatile long readAt;

    LinkCensus(RunningSipEdge edge, NodeDirectory nodes) {
      this.edge = edge;
      this.nodes = nodes;
    }

    double[] get() {
      double[] reading = last.get();
      if (reading == null || System.nanoTime() - readAt > LINKS_CACHE_NANOS) {
        reading = read();
        last.set(reading);
        readAt = System.nanoTime();
      }
      return reading;
    }

    private double[] read() {
      try {
        double up = 0;
        double down = 0;
        for (String node : nodes.liveNodes().keySet()) {
          if (edge.linkTo(node).isPresent()) {
            up++;
          } else {
            down++;
          }
        }
        return new double[] {up, down};
      } catch (RuntimeException e) {
        return new double[] {Double.NaN, Double.NaN};
      }
    }
  }

  @Override
  public void handshakeFailed(HandshakeFailure reason) {
    handshakes.get(Objects.requireNonNull(reason, "reason")).increment();
  }

  @Override
  public void registerAnswered(int status) {
    classOf(registers, status).increment();
  }

  @Override
  public void inviteAnswered(int status) {
    classOf(invites, status).increment();
  }

  @Override
  public void revokedConnectionsClosed(int count) {
    revokedConnections.increment(count);
  }

  @Override
  public void registerOutcome(RegisterResult result) {
    outcomes.get(Objects.requireNonNull(result, "result")).increment();
  }

  @Override
  public void identityMismatch() {
    identityMismatches.increment();
  }

  @Override
  public void callStarted() {
    callsStarted.increment();
  }

  private static Counter classOf(Counter[] byClass, int status) {
    int index = Math.min(Math.max(status / 100, 1), 6) - 1;
    return byClass[index];
  }
}
