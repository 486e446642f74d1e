package io.doorpair.welcome.flow;

import io.doorpair.welcome.api.AccessStatus;
import java.time.Duration;

/** Told how a wait for an account goes, e.g. to draw a spinner. Called on the waiting thread. */
public interface WaitProgress {
  /** Ignores everything. */
  WaitProgress NONE = new WaitProgress() {};

  /**
   * The portal answered: still pending.
   *
   * @param status the answer
   * @param elapsed since the wait began
   */
  default void pending(AccessStatus status, Duration elapsed) {}

  /**
   * A poll failed and will be retried after {@code retryIn}.
   *
   * @param problem the failure, e.g. {@code io}
   * @param retryIn the backoff
   */
  default void retrying(RuntimeException problem, Duration retryIn) {}
}
