package io.doorpair.b2b.metrics;

import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears what the b2b does, for metrics. Called on the stack's threads: implementations are
 * thread-safe, quick and never block. Every method does nothing by default.
 */
public interface B2bObserver {
  /** An observer that hears nothing. */
  B2bObserver NONE = new B2bObserver() {};

  /** Which way a call goes. */
  enum Direction {
    /**
     * A door station calls {@code ipgw@DOMAIN}: the b2b forks it to the phones through the portal.
     */
    DOOR_TO_PHONE,
    /** A phone calls a door station through the portal. */
    PHONE_TO_DOOR;

    /** The label value: {@code door_to_phone}, {@code phone_to_door}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What became of a call. */
  enum Outcome {
    /** Admitted and bridged: the other leg is being called. */
    STARTED,
    /** Answered on the other leg. */
    ANSWERED,
    /** Ended unanswered (a door call: nobody answered, or every phone refused). */
    MISSED,
    /** Refused before the other leg was called ({@code 403}, {@code 404}, {@code 503}). */
    REFUSED;

    /** The label value: {@code started}, {@code answered}, .... */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A call went this way and had this outcome. */
  default void call(Direction direction, Outcome outcome) {}

  /**
   * A phone's door-open command (DTMF INFO) was forwarded to the door ({@code true}) or refused
   * ({@code false}: no open-door right).
   */
  default void doorOpen(boolean forwarded) {}

  /** A SIGHUP reload of the access files was taken ({@code true}) or refused ({@code false}). */
  default void reloaded(boolean ok) {}

  /**
   * An observer set once it is known (the stack is built before the metrics are plugged in); a
   * failing observer is logged and never disturbs SIP.
   */
  final class Slot implements B2bObserver {
    private static final Logger LOG = LoggerFactory.getLogger(Slot.class);
    private volatile B2bObserver observer = NONE;

    /** Reports to {@code observer} from now on. */
    public void set(B2bObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
    }

    @Override
    public void call(Direction direction, Outcome outcome) {
      try {
        observer.call(direction, outcome);
      } catch (RuntimeException e) {
        LOG.warn("metrics observer failed: {}", e.toString());
      }
    }

    @Override
    public void doorOpen(boolean forwarded) {
      try {
        observer.doorOpen(forwarded);
      } catch (RuntimeException e) {
        LOG.warn("metrics observer failed: {}", e.toString());
      }
    }

    @Override
    public void reloaded(boolean ok) {
      try {
        observer.reloaded(ok);
      } catch (RuntimeException e) {
        LOG.warn("metrics observer failed: {}", e.toString());
      }
    }
  }
}
