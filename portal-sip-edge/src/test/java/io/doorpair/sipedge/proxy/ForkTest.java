package io.doorpair.sipedge.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.sipedge.proxy.Fork.Step;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ForkTest {
  @Test
  void provisional_goes_upstream_but_100_does_not() {
    Fork<String> fork = new Fork<>(2);
    assertThat(fork.provisional(0, 100, "trying").upstream()).isEmpty();
    Step<String> ringing = fork.provisional(1, 180, "ringing");
    assertThat(ringing.upstream().orElseThrow().response()).contains("ringing");
    assertThat(ringing.upstream().orElseThrow().isFinal()).isFalse();
  }

  @Test
  void first_2xx_wins_and_cancels_the_ringing_branches() {
    Fork<String> fork = new Fork<>(3);
    fork.provisional(0, 180, "r0");
    fork.provisional(1, 183, "r1");
    Step<String> ok = fork.fin(1, 200, Optional.of("ok1"));
    assertThat(ok.upstream().orElseThrow().response()).contains("ok1");
    assertThat(ok.upstream().orElseThrow().afterFinal()).isFalse();
    assertThat(ok.cancel()).containsExactly(0);
    // branch 2 had not answered yet: its CANCEL waits for its first provisional response
    assertThat(fork.provisional(2, 180, "r2").cancel()).containsExactly(2);
    assertThat(fork.provisional(2, 180, "r2").upstream()).isEmpty();
    assertThat(fork.fin(0, 487, Optional.of("terminated")).upstream()).isEmpty();
  }

  @Test
  void a_second_2xx_is_relayed_after_the_final() {
    Fork<String> fork = new Fork<>(2);
    fork.fin(0, 200, Optional.of("a"));
    Step<String> late = fork.fin(1, 200, Optional.of("b"));
    assertThat(late.upstream().orElseThrow().afterFinal()).isTrue();
  }

  @Test
  void a_6xx_ends_the_search() {
    Fork<String> fork = new Fork<>(2);
    fork.provisional(1, 180, "r");
    Step<String> decline = fork.fin(0, 603, Optional.of("decline"));
    assertThat(decline.upstream().orElseThrow().status()).isEqualTo(603);
    assertThat(decline.cancel()).containsExactly(1);
    assertThat(fork.fin(1, 486, Optional.of("busy")).upstream()).isEmpty();
  }

  @Test
  void best_response_waits_for_every_branch() {
    Fork<String> fork = new Fork<>(3);
    assertThat(fork.fin(0, 480, Optional.empty()).upstream()).isEmpty();
    assertThat(fork.fin(1, 486, Optional.of("busy")).upstream()).isEmpty();
    Step<String> done = fork.fin(2, 408, Optional.empty());
    assertThat(done.upstream().orElseThrow().status()).isEqualTo(486);
    assertThat(done.upstream().orElseThrow().response()).contains("busy");
  }

  @Test
  void a_503_is_answered_500() {
    Fork<String> fork = new Fork<>(1);
    Step<String> done = fork.fin(0, 503, Optional.of("unavailable"));
    assertThat(done.upstream().orElseThrow().status()).isEqualTo(500);
    assertThat(done.upstream().orElseThrow().response()).isEmpty();
  }

  @Test
  void timer_c_ends_pending_branches_as_408_and_cancels_them() {
    Fork<String> fork = new Fork<>(2);
    fork.provisional(0, 180, "r");
    Step<String> fired = fork.timerC();
    assertThat(fired.upstream().orElseThrow().status()).isEqualTo(408);
    assertThat(fired.cancel()).containsExactly(0);
    // branch 1 never answered: it is cancelled when it first does
    assertThat(fork.provisional(1, 180, "late").cancel()).containsExactly(1);
    assertThat(fork.fin(0, 487, Optional.of("t")).upstream()).isEmpty();
    // a 2xx racing the timer still goes upstream
    assertThat(fork.fin(1, 200, Optional.of("ok")).upstream().orElseThrow().afterFinal()).isTrue();
  }

  @Test
  void caller_cancel_answers_487_and_cancels_every_pending_branch() {
    Fork<String> fork = new Fork<>(2);
    fork.provisional(0, 180, "r");
    Step<String> cancel = fork.callerCancel();
    assertThat(cancel.upstream().orElseThrow().status()).isEqualTo(487);
    assertThat(cancel.upstream().orElseThrow().response()).isEmpty();
    assertThat(cancel.cancel()).containsExactly(0);
    assertThat(fork.callerCancel().upstream()).isEmpty();
    assertThat(fork.fin(0, 487, Optional.of("t")).upstream()).isEmpty();
  }

  @Test
  void a_branch_that_could_not_be_sent_counts_as_its_local_status() {
    Fork<String> fork = new Fork<>(1);
    Step<String> gone = fork.fin(0, 480, Optional.empty());
    assertThat(gone.upstream().orElseThrow().status()).isEqualTo(480);
    assertThat(gone.upstream().orElseThrow().response()).isEmpty();
    assertThat(fork.finalSent()).isTrue();
  }

  @ParameterizedTest(name = "{0} -> index {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "486,480; 0",
        "480,486; 1",
        "408,302,486; 1",
        "404,403; 0",
        "500,487; 1",
        "503,600,486; 1",
        "408,480,487; 0"
      })
  void best_prefers_6xx_then_lowest_class_then_a_specific_answer(String statuses, int index) {
    String[] parts = statuses.split(",");
    int[] codes = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      codes[i] = Integer.parseInt(parts[i].trim());
    }
    assertThat(Fork.best(codes)).isEqualTo(index);
  }
}
