package io.doorpair.b2b.localsip;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.b2b.localsip.FloodGuard.Decision;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FloodGuardTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
  private final FloodGuard guard = new FloodGuard(nanos::get);

  @Test
  void one_source_gets_its_burst_then_503_then_silence_over_udp_and_refills() {
    for (int i = 0; i < FloodGuard.PER_SOURCE_BURST; i++) {
      assertThat(guard.admit("10.0.0.1", true)).isEqualTo(Decision.PASS);
    }
    for (int i = 0; i < FloodGuard.ANSWERED_REFUSALS; i++) {
      assertThat(guard.admit("10.0.0.1", true)).isEqualTo(Decision.BUSY);
    }
    assertThat(guard.admit("10.0.0.1", true)).isEqualTo(Decision.DROP);
    // over TCP the source cannot be forged: always answered
    assertThat(guard.admit("10.0.0.1", false)).isEqualTo(Decision.BUSY);
    // another source is not affected
    assertThat(guard.admit("10.0.0.2", true)).isEqualTo(Decision.PASS);
    nanos.addAndGet(1_000_000_000L);
    assertThat(guard.admit("10.0.0.1", true)).isEqualTo(Decision.PASS);
    assertThat(guard.counts()[2]).isEqualTo(1);
  }

  @Test
  void all_sources_together_are_bounded() {
    int passed = 0;
    for (int i = 0; i < 5_000; i++) {
      if (guard.admit("10.1." + (i / 250) + "." + (i % 250), true) == Decision.PASS) {
        passed++;
      }
    }
    assertThat(passed).isEqualTo((int) FloodGuard.GLOBAL_BURST);
  }

  @Test
  void the_sources_remembered_are_bounded() {
    for (int i = 0; i < 3 * FloodGuard.MAX_SOURCES; i++) {
      nanos.addAndGet(10_000_000L); // 100/s overall, under the global rate
      guard.admit("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), true);
      assertThat(guard.trackedSources()).isLessThanOrEqualTo(FloodGuard.MAX_SOURCES);
    }
    assertThat(guard.trackedSources()).isEqualTo(FloodGuard.MAX_SOURCES);
  }
}
