package io.doorpair.ipgw.supervisor;

import java.util.Objects;
import java.util.Optional;

/**
 * What the admin site shows of the b2b service.
 *
 * @param status running, stopped, crashed, ...
 * @param pid the running process, when known
 * @param detail one line for the owner (no secrets: exit codes, waits, the unit's name)
 */
public record B2bState(Status status, Optional<Long> pid, String detail) {
  /** The service's state. */
  public enum Status {
    /** No b2b is managed by this ipgw ({@code --no-b2b}). */
    NOT_MANAGED,
    /** Started, not yet ready (its ready file not written yet). */
    STARTING,
    /** Running and ready. */
    RUNNING,
    /** Stopped by the owner, or waiting for the gateway to be paired. */
    STOPPED,
    /** Died without being asked to; restarted after a backoff. */
    CRASHED
  }

  /** Checks the fields. */
  public B2bState {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(pid, "pid");
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * The lowercase name the page shows: {@code starting}, {@code running}, {@code stopped}, {@code
   * crashed}, {@code not managed}.
   *
   * @return the name
   */
  public String label() {
    return status.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }
}
