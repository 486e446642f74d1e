package io.doorpair.sipedge.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class HealthChecksTest {
  @Test
  void a_failing_or_hanging_check_is_down_and_the_others_still_run() {
    CountDownLatch never = new CountDownLatch(1);
    Map<String, HealthChecks.Check> checks = new LinkedHashMap<>();
    checks.put("store", () -> {});
    checks.put("hangs", never::await);
    checks.put(
        "fails",
        () -> {
          throw new java.io.IOException("connection to db.internal:5432 refused");
        });
    try (HealthChecks health = new HealthChecks(checks, Duration.ofMillis(200))) {
      HealthChecks.Report report = health.check();
      assertThat(report.up()).isFalse();
      assertThat(report.httpStatus()).isEqualTo(503);
      assertThat(report.json())
          .isEqualTo(
              "{\"status\":\"down\",\"checks\":{\"store\":\"up\",\"hangs\":\"down\",\"fails\":\"down\"}}")
          .doesNotContain("db.internal");
    }
  }

  @Test
  void all_up_is_200() {
    try (HealthChecks health = new HealthChecks(Map.of("ca", () -> {}), Duration.ofSeconds(30))) {
      assertThat(health.check().httpStatus()).isEqualTo(200);
      assertThat(health.check().json()).isEqualTo("{\"status\":\"up\",\"checks\":{\"ca\":\"up\"}}");
    }
  }

  @Test
  void check_names_cannot_break_the_json() {
    assertThatThrownBy(() -> new HealthChecks(Map.of("a\"b", () -> {}), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
