package io.doorpair.ipgw.ops;

import io.doorpair.b2b.ops.JvmMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The gateway agent's metrics, in one Prometheus registry: counters with a known set of labels
 * exist from the start at 0. Thread-safe. The names are listed in {@code docs/operations.md}.
 */
public final class GatewayMetrics {
  /** Outcomes of a security code typed by the owner. */
  public static final List<String> CODE_OUTCOMES = List.of("enabled", "wrong", "malformed", "void");

  /** Kinds of door-call journal records taken from the b2b. */
  public static final List<String> DOOR_CALL_OUTCOMES =
      List.of("answered", "missed", "door_opened");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Counter> codes = new ConcurrentHashMap<>();
  private final Map<String, Counter> doorCalls = new ConcurrentHashMap<>();
  private final Counter eventsSent;
  private final Counter approvals;
  private final Counter denials;

  /** Metrics without the JVM's; see {@link #withJvm()}. */
  public GatewayMetrics() {
    for (String outcome : CODE_OUTCOMES) {
      codes.put(
          outcome,
          Counter.builder("doorpair.gateway.security.codes")
              .description(
                  "security codes typed for approved requests, by outcome (wrong and void are"
                      + " failures)")
              .tag("outcome", outcome)
              .register(registry));
    }
    for (String outcome : DOOR_CALL_OUTCOMES) {
      doorCalls.put(outcome, doorCallCounter(outcome));
    }
    eventsSent =
        Counter.builder("doorpair.gateway.events.sent")
            .description("events the portal acknowledged from the outbox")
            .register(registry);
    approvals =
        Counter.builder("doorpair.gateway.approvals")
            .description("access requests approved by the owner")
            .register(registry);
    denials =
        Counter.builder("doorpair.gateway.denials")
            .description("access requests denied by the owner")
            .register(registry);
  }

  private Counter doorCallCounter(String outcome) {
    return Counter.builder("doorpair.gateway.door.calls")
        .description("door calls journaled by the b2b, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** Adds the JVM's memory, threads, CPU and uptime; returns this. */
  public GatewayMetrics withJvm() {
    JvmMeters.bindTo(registry);
    return this;
  }

  /** The portal acknowledged {@code count} events. */
  public void eventsSent(int count) {
    eventsSent.increment(count);
  }

  /** The owner approved a request. */
  public void approved() {
    approvals.increment();
  }

  /** The owner denied a request. */
  public void denied() {
    denials.increment();
  }

  /** A security code was typed, with this outcome ({@link #CODE_OUTCOMES}). */
  public void securityCode(String outcome) {
    Counter counter = codes.get(Objects.requireNonNull(outcome, "outcome"));
    if (counter == null) {
      throw new IllegalArgumentException("unknown security code outcome: " + outcome);
    }
    counter.increment();
  }

  /** A door call record of this kind ({@code answered}, ...) was taken from the b2b. */
  public void doorCall(String outcome) {
    String label = Objects.requireNonNull(outcome, "outcome").toLowerCase(Locale.ROOT);
    if (!label.matches("[a-z_]{1,32}")) {
      throw new IllegalArgumentException("bad door call outcome: " + outcome);
    }
    doorCalls.computeIfAbsent(label, this::doorCallCounter).increment();
  }

  /**
   * A gauge read at each scrape; {@code value} must be quick and must not throw (return NaN when it
   * cannot tell).
   */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).strongReference(true).register(registry);
  }

  /** A gauge with one label, read at each scrape. */
  public void gauge(
      String name, String description, String tag, String tagValue, Supplier<Number> value) {
    Gauge.builder(name, value)
        .description(description)
        .tag(tag, tagValue)
        .strongReference(true)
        .register(registry);
  }

  /** Every metric in the Prometheus text format (version 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }
}
