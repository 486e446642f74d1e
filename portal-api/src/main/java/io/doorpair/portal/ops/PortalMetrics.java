package io.doorpair.portal.ops;

import io.doorpair.sipedge.RunningSipEdge;
import io.doorpair.sipedge.metrics.HandshakeFailure;
import io.doorpair.sipedge.ops.JvmMeters;
import io.doorpair.sipedge.ops.SipEdgeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The portal's metrics, in one Prometheus registry per process; every counter with a known set of
 * labels exists from the start at 0, so that a rate is defined before the first event. Thread-safe.
 * The SIP server's meters ({@link SipEdgeMetrics}, the same as a separate SIP node's) go to the
 * same registry ({@link #observe}), so one scrape has both. The names are listed in {@code
 * docs/operations.md}.
 */
public final class PortalMetrics {
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

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<PairingKind, Counter> pairingsOk = new EnumMap<>(PairingKind.class);
  private final Map<PairingKind, Counter> pairingsFailed = new EnumMap<>(PairingKind.class);
  private final Map<Decision, Counter> decisions = new EnumMap<>(Decision.class);
  private final Map<HandshakeFailure, Counter> apiHandshakes =
      new EnumMap<>(HandshakeFailure.class);
  private final Counter renewals;
  private final Counter accessRequests;
  private final Counter revocations;
  private final Counter crls;

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
    for (HandshakeFailure reason : HandshakeFailure.values()) {
      apiHandshakes.put(reason, SipEdgeMetrics.handshakeCounter(registry, "api", reason));
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
    JvmMeters.bindTo(registry);
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

  /** A TLS handshake failed on the API listener (the SIP server counts its own). */
  public void apiHandshakeFailed(HandshakeFailure reason) {
    apiHandshakes.get(Objects.requireNonNull(reason, "reason")).increment();
  }

  /** Adds the meters of the SIP server {@code sip} (which reports to them from now on). */
  public void observe(RunningSipEdge sip, Clock clock) {
    SipEdgeMetrics.observe(sip, registry, clock);
  }

  /** Every metric in the Prometheus text format (version 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }
}
