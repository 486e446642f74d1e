package io.doorpair.b2b.ops;

import io.doorpair.b2b.RunningB2b;
import io.doorpair.b2b.journal.SpoolJournal;
import io.doorpair.b2b.metrics.B2bObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The b2b's meters: calls by direction and outcome, door-open commands, reloads (counters that
 * exist from the start at 0), and gauges of its registrations (at the portal, at the internal SIP
 * server, the door stations there), calls in progress and its spool. Labels are only these fixed
 * sets: never a user, a door or an address. Thread-safe. Names in {@code docs/operations.md}.
 */
public final class B2bMetrics implements B2bObserver {
  private final Map<Direction, Map<Outcome, Counter>> calls = new EnumMap<>(Direction.class);
  private final Counter doorOpenForwarded;
  private final Counter doorOpenRefused;
  private final Counter reloadsOk;
  private final Counter reloadsRefused;

  /**
   * Registers the counters on {@code registry}.
   *
   * @param registry where
   */
  public B2bMetrics(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    for (Direction direction : Direction.values()) {
      Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
      for (Outcome outcome : Outcome.values()) {
        byOutcome.put(
            outcome,
            Counter.builder("doorpair.b2b.calls")
                .description("calls bridged by the b2b, by direction and outcome")
                .tag("direction", direction.label())
                .tag("outcome", outcome.label())
                .register(registry));
      }
      calls.put(direction, byOutcome);
    }
    doorOpenForwarded = doorOpen(registry, "forwarded");
    doorOpenRefused = doorOpen(registry, "refused");
    reloadsOk = reloads(registry, "ok");
    reloadsRefused = reloads(registry, "refused");
  }

  private static Counter doorOpen(MeterRegistry registry, String outcome) {
    return Counter.builder("doorpair.b2b.door.open")
        .description("door-open commands (DTMF INFO) from phones, forwarded or refused (no right)")
        .tag("outcome", outcome)
        .register(registry);
  }

  private static Counter reloads(MeterRegistry registry, String outcome) {
    return Counter.builder("doorpair.b2b.reloads")
        .description("SIGHUP reloads of the access files, taken (ok) or refused")
        .tag("outcome", outcome)
        .register(registry);
  }

  /**
   * Meters for {@code b2b} on {@code registry}: its counters (the b2b reports to them from now on)
   * and its gauges.
   *
   * @param b2b the running b2b
   * @param registry where
   * @param spool the call journal's spool folder
   * @return the meters
   */
  public static B2bMetrics observe(RunningB2b b2b, MeterRegistry registry, Path spool) {
    Objects.requireNonNull(b2b, "b2b");
    Objects.requireNonNull(spool, "spool");
    B2bMetrics metrics = new B2bMetrics(registry);
    b2b.observe(metrics);
    gauge(
        registry,
        "doorpair.b2b.portal.registered",
        "1 while ipgw@DOMAIN is registered at the portal SIP server, else 0",
        () -> b2b.portalRegistered() ? 1 : 0);
    FunctionCounter.builder(
            "doorpair.b2b.portal.registrations", b2b, RunningB2b::portalRegistrations)
        .description("REGISTERs the portal accepted (first ones and refreshes)")
        .register(registry);
    gauge(
        registry,
        "doorpair.b2b.internal.registered",
        "1 while ipgw@DOMAIN is registered at the internal SIP server, else 0",
        () -> b2b.internalRegistered() ? 1 : 0);
    gauge(
        registry,
        "doorpair.b2b.door.stations.registered",
        "door stations registered at the embedded internal SIP server",
        b2b::doorStationsRegistered);
    gauge(registry, "doorpair.b2b.calls.in.progress", "calls bridged now", b2b::calls);
    gauge(
        registry,
        "doorpair.b2b.spool.depth",
        "call and door records in the spool, not yet taken by ipgw (NaN: unreadable)",
        () -> {
          try {
            return SpoolJournal.recordFiles(spool).size();
          } catch (IOException | RuntimeException e) {
            return Double.NaN;
          }
        });
    return metrics;
  }

  private static void gauge(
      MeterRegistry registry, String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).strongReference(true).register(registry);
  }

  @Override
  public void call(Direction direction, Outcome outcome) {
    calls
        .get(Objects.requireNonNull(direction, "direction"))
        .get(Objects.requireNonNull(outcome, "outcome"))
        .increment();
  }

  @Override
  public void doorOpen(boolean forwarded) {
    (forwarded ? doorOpenForwarded : doorOpenRefused).increment();
  }

  @Override
  public void reloaded(boolean ok) {
    (ok ? reloadsOk : reloadsRefused).increment();
  }
}
