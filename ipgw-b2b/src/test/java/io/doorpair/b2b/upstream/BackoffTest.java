package io.doorpair.b2b.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
  private final SecureRandom random = new SecureRandom();

  @Test
  void doubles_within_half_to_full_and_stays_under_the_cap() {
    long[] full = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
    for (int attempt = 0; attempt < full.length; attempt++) {
      for (int i = 0; i < 200; i++) {
        long millis = backoff.delay(attempt, random).toMillis();
        assertThat(millis).isBetween(full[attempt] / 2, full[attempt]);
      }
    }
    assertThat(backoff.delay(Integer.MAX_VALUE, random).toMillis()).isBetween(15000L, 30000L);
  }

  @Test
  void jitter_spreads_the_waits() {
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      seen.add(backoff.delay(3, random).toMillis());
    }
    assertThat(seen.size()).isGreaterThan(20);
  }

  @Test
  void refuses_a_cap_below_the_base() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
