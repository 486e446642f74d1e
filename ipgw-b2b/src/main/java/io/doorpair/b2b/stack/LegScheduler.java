package io.doorpair.b2b.stack;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/** The one daemon scheduler thread on which a registration leg runs its attempts and refreshes. */
final class LegScheduler {
  private LegScheduler() {}

  /**
   * A single daemon thread named {@code name}; cancelled tasks leave its queue at once (a leg
   * cancels and replaces its next attempt often).
   */
  static ScheduledThreadPoolExecutor create(String name) {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
