package io.doorpair.b2b.stack;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's call timers ({@code b2b.conf}'s {@code ring-timeout} and {@code max-call-duration})
 * on one daemon thread: a call schedules its ring timeout when it starts and its maximum duration
 * when answered, and cancels what is left when it ends.
 */
final class CallTimers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CallTimers.class);

  private final GatewayStack.CallLimits limits;
  private final ScheduledThreadPoolExecutor timer = LegScheduler.create("b2b-call-timers");

  CallTimers(GatewayStack.CallLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** How long a call rings before it ends unanswered. */
  Duration ring() {
    return limits.ringTimeout();
  }

  /**
   * How long a 2xx we sent may wait for its ACK (64*T1 by default, RFC 3261 §13.3.1.4). jain-sip
   * tells a {@code SipListenerExt} so itself for a door over UDP, but not for a phone on the TLS
   * leg (seen in {@code PhoneToDoorTest}): the calls keep their own watch.
   */
  Duration ackWait() {
    return limits.ackWait();
  }

  /** How long an answered call may last. */
  Duration maxCall() {
    return limits.maxCallDuration();
  }

  /**
   * Runs {@code task} once after {@code delay}; a failure is logged, never thrown at the timer.
   *
   * @return the scheduled task (to cancel), or null once closed
   */
  ScheduledFuture<?> after(Duration delay, Runnable task) {
    try {
      return timer.schedule(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.warn("call timer failed: {}", e.toString());
            }
          },
          delay.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  /** Cancels a task {@link #after} returned (null is fine). */
  static void cancel(ScheduledFuture<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
