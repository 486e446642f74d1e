package io.doorpair.portal.ops;

import io.doorpair.sipedge.metrics.EdgeObserver;
import io.doorpair.sipedge.metrics.HandshakeFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The portal's metrics, in one Prometheus registry per process; every counter with a known set of
 * labels exists from the start at 0, so that a rate is defined before the first event. Thread-safe.
 * The names are listed in {@code docs/operations.md}.
 */
public final class PortalMetrics implements EdgeObserver {
  /** What was paired: from the CSR's CN, {@code unknown} when the CSR could not be read. */
  public enum PairingKind {
    APP,
    GATEWAY,
    UNKNOWN;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A gateway's answer to an access request. */
  public enum Decision {
    APPROVED,
    DENIED,
    VOIDED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Which TLS listener a handshake failed on. */
  public enum Listener {
    API,
    SIP;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", "6xx"};

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<PairingKind, Counter> pairingsOk = new EnumMap<>(PairingKind.class);
  private final Map<PairingKind, Counter> pairingsFailed = new EnumMap<>(PairingKind.class);
  private final Map<Decision, Counter> decisions = new EnumMap<>(Decision.class);
  private final Map<Listener, Map<HandshakeFailure, Counter>> handshakes =
      new EnumMap<>(Listener.class);
  private final Counter renewals;
  private final Counter accessRequests;
  private final Counter revocations;
  private final Counter crls;
  private final Counter revokedConnections;
  private final Counter[] registers = new Counter[STATUS_CLASSES.length];
  private final Counter[] invites = new Counter[STATUS_CLASSES.length];

  public PortalMetrics() {
    for (PairingKind kind : PairingKind.values()) {
      pairingsOk.put(kind, pairing(kind, "success"));
      pairingsFailed.put(kind, pairing(kind, "failure"));
    }
    for (Decision decision : Decision.values()) {
      decisions.put(
          decision,
          Counter.builder("doorpair.portal.access.decisions")
              .description("access requests answered by their gateway (approved, denied, voided)")
              .tag("decision", decision.label())
              .register(registry));
    }
    for (Listener listener : Listener.values()) {
      Map<HandshakeFailure, Counter> byReason = new EnumMap<>(HandshakeFailure.class);
      for (HandshakeFailure reason : HandshakeFailure.values()) {
        byReason.put(
            reason,
            Counter.builder("doorpair.portal.tls.handshake.failures")
                .description("TLS handshakes that failed, by listener and reason")
                .tag("listener", listener.label())
                .tag("reason", reason.label())
                .register(registry));
      }
      handshakes.put(listener, byReason);
    }
    renewals =
        Counter.builder("doorpair.portal.renewals")
            .description("certificates renewed over mutual TLS")
            .register(registry);
    accessRequests =
        Counter.builder("doorpair.portal.access.requests")
            .description("access requests made by apps (a repeated request is counted once)")
            .register(registry);
    revocations =
        Counter.builder("doorpair.portal.revocations")
            .description("certificates revoked by their owner")
            .register(registry);
    crls =
        Counter.builder("doorpair.portal.crl.published")
            .description("CRLs signed and published")
            .register(registry);
    revokedConnections =
        Counter.builder("doorpair.portal.sip.revoked.connections.closed")
            .description("open SIP connections closed because a new CRL revoked their certificate")
            .register(registry);
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
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  private Counter pairing(PairingKind kind, String outcome) {
    return Counter.builder("doorpair.portal.pairings")
        .description("POST /api/pair answered, by kind (app, gateway) and outcome")
        .tag("kind", kind.label())
        .tag("outcome", outcome)
        .register(registry);
  }

  /** A pairing was answered. */
  public void paired(PairingKind kind, boolean success) {
    (success ? pairingsOk : pairingsFailed).get(Objects.requireNonNull(kind, "kind")).increment();
  }

  /** A certificate was renewed. */
  public void renewed() {
    renewals.increment();
  }

  /** An app made a new access request. */
  public void accessRequested() {
    accessRequests.increment();
  }

  /** A gateway answered an access request. */
  public void decided(Decision decision) {
    decisions.get(Objects.requireNonNull(decision, "decision")).increment();
  }

  /** An owner revoked a certificate. */
  public void revoked() {
    revocations.increment();
  }

  /** A CRL was published. */
  public void crlPublished() {
    crls.increment();
  }

  /** A TLS handshake failed on {@code listener}. */
  public void handshakeFailed(Listener listener, HandshakeFailure reason) {
    handshakes
        .get(Objects.requireNonNull(listener, "listener"))
        .get(Objects.requireNonNull(reason, "reason"))
        .increment();
  }

  /**
   * A gauge read at each scrape; {@code value} must be quick and must not throw (a NaN is shown as
   * such).
   */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).strongReference(true).register(registry);
  }

  @Override
  public void handshakeFailed(HandshakeFailure reason) {
    handshakeFailed(Listener.SIP, reason);
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

  private static Counter classOf(Counter[] byClass, int status) {
    int index = Math.min(Math.max(status / 100, 1), 6) - 1;
    return byClass[index];
  }

  /** Every metric in the Prometheus text format (version 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }
}
