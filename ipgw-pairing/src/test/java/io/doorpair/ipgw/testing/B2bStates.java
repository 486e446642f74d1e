package io.doorpair.ipgw.testing;

import io.doorpair.ipgw.supervisor.B2bService;
import io.doorpair.ipgw.supervisor.B2bState;
import java.time.Duration;

/** Waits on the kill switch's b2b. */
public final class B2bStates {
  private B2bStates() {}

  /**
   * The pid of a b2b that stays ready for 2 s. The files' own reloads (pairing, an enabled account)
   * may end a child just started: today's b2b has no SIGHUP handler, and the supervisor restarts it
   * at once.
   */
  public static long awaitSteadyRunning(B2bService b2b) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    long seen = -1;
    long since = System.nanoTime();
    while (System.nanoTime() < deadline) {
      B2bState s = b2b.state();
      long pid = s.status() == B2bState.Status.RUNNING ? s.pid().orElse(-1L) : -1;
      if (pid != seen) {
        seen = pid;
        since = System.nanoTime();
      } else if (pid > 0 && System.nanoTime() - since > Duration.ofSeconds(2).toNanos()) {
        return pid;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the b2b never stayed running: " + b2b.state());
  }
}
