package io.doorpair.sipedge.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LimitedLogTest {
  private final AtomicLong now = new AtomicLong(5_000_000_000L);
  private final LimitedLog limited =
      new LimitedLog(LoggerFactory.getLogger(LimitedLogTest.class), 3, now::get);

  @Test
  void writes_the_share_of_a_second_then_leaves_lines_out() {
    assertThat(limited.admit()).isZero();
    assertThat(limited.admit()).isZero();
    assertThat(limited.admit()).isZero();
    assertThat(limited.admit()).isEqualTo(-1);
    assertThat(limited.admit()).isEqualTo(-1);
    now.addAndGet(999_000_000L);
    assertThat(limited.admit()).as("still the same second").isEqualTo(-1);
  }

  @Test
  void the_next_second_reports_how_many_were_left_out() {
    for (int i = 0; i < 10; i++) {
      limited.admit();
    }
    now.addAndGet(1_000_000_000L);
    assertThat(limited.admit()).isEqualTo(7);
    assertThat(limited.admit()).isZero();
  }

  @Test
  void a_flood_writes_a_bounded_number_of_lines() {
    int written = 0;
    for (int i = 0; i < 100_000; i++) {
      if (limited.admit() >= 0) {
        written++;
      }
      now.addAndGet(100_000L); // 100,000 lines over 10 seconds
    }
    assertThat(written).isBetween(30, 33);
  }

  @Test
  void refuses_a_share_under_one() {
    assertThatThrownBy(() -> new LimitedLog(LoggerFactory.getLogger(LimitedLogTest.class), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
