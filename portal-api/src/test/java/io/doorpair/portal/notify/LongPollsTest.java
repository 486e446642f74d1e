package io.doorpair.portal.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.portal.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LongPollsTest {
  private final LocalNotifier notifier = new LocalNotifier();
  private final LongPolls polls = new LongPolls(notifier, 4, 2);

  @AfterEach
  void close() {
    polls.close();
    notifier.close();
  }

  static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(30, TimeUnit.SECONDS);
  }

  @Test
  void a_ready_first_look_answers_at_once_and_releases_everything() throws Exception {
    CompletableFuture<String> answer =
        polls.await("k", List.of("a"), Duration.ofSeconds(60), () -> Poll.ready("now"));
    assertThat(answer).isCompletedWithValue("now");
    assertThat(polls.openCount()).isZero();
    assertThat(notifier.subscriptions()).isZero();
  }

  @Test
  void a_publication_wakes_the_poll_which_looks_again() throws Exception {
    AtomicReference<String> state = new AtomicReference<>("nothing");
    CompletableFuture<String> answer =
        polls.await(
            "k",
            List.of("channel:d"),
            Duration.ofSeconds(60),
            () -> "nothing".equals(state.get()) ? Poll.waiting("empty") : Poll.ready(state.get()));
    assertThat(answer).isNotDone();
    notifier.publish("channel:other");
    state.set("item");
    notifier.publish("channel:d");
    assertThat(get(answer)).isEqualTo("item");
    Await.until("the poll unsubscribed", () -> notifier.subscriptions() == 0);
  }

  @Test
  void the_deadline_answers_with_the_last_look() throws Exception {
    AtomicInteger looks = new AtomicInteger();
    CompletableFuture<Integer> answer =
        polls.await(
            "k", List.of("t"), Duration.ofMillis(50), () -> Poll.waiting(looks.incrementAndGet()));
    assertThat(get(answer)).isEqualTo(2);
    Await.until("the poll released", () -> polls.openCount() == 0);
  }

  @Test
  void the_revoked_topic_wakes_every_poll_and_a_failing_look_ends_it() {
    AtomicReference<Boolean> revoked = new AtomicReference<>(false);
    CompletableFuture<String> answer =
        polls.await(
            "k",
            List.of(),
            Duration.ofSeconds(60),
            () -> {
              if (revoked.get()) {
                throw new IllegalStateException("certificate revoked");
              }
              return Poll.waiting("x");
            });
    revoked.set(true);
    notifier.publish(Topics.REVOKED);
    assertThatThrownBy(() -> get(answer))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void limits_per_key_and_in_total_are_kept() {
    polls.await("a", List.of(), Duration.ofSeconds(60), () -> Poll.waiting(1));
    polls.await("a", List.of(), Duration.ofSeconds(60), () -> Poll.waiting(1));
    assertThatThrownBy(
            () -> polls.await("a", List.of(), Duration.ofSeconds(60), () -> Poll.waiting(1)))
        .isInstanceOf(TooManyWaitsException.class);
    polls.await("b", List.of(), Duration.ofSeconds(60), () -> Poll.waiting(1));
    polls.await("c", List.of(), Duration.ofSeconds(60), () -> Poll.waiting(1));
    assertThatThrownBy(
            () -> polls.await("d", List.of(), Duration.ofSeconds(60), () -> Poll.waiting(1)))
        .isInstanceOf(TooManyWaitsException.class);
    assertThat(polls.openCount()).isEqualTo(4);
  }

  @Test
  void closing_answers_every_open_poll_with_a_last_look() throws Exception {
    CompletableFuture<String> answer =
        polls.await("k", List.of("t"), Duration.ofSeconds(60), () -> Poll.waiting("final"));
    polls.close();
    assertThat(get(answer)).isEqualTo("final");
    assertThatThrownBy(
            () -> polls.await("k", List.of(), Duration.ofSeconds(1), () -> Poll.waiting(1)))
        .isInstanceOf(TooManyWaitsException.class);
  }

  @Test
  void many_wakes_never_run_looks_of_one_poll_at_the_same_time() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger looks = new AtomicInteger();
    CompletableFuture<Integer> answer =
        polls.await(
            "k",
            List.of("t"),
            Duration.ofSeconds(60),
            () -> {
              if (running.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
              }
              int n = looks.incrementAndGet();
              running.decrementAndGet();
              return n >= 50 ? Poll.ready(n) : Poll.waiting(n);
            });
    while (!answer.isDone()) {
      notifier.publish("t");
    }
    assertThat(get(answer)).isGreaterThanOrEqualTo(50);
    assertThat(overlaps).hasValue(0);
  }
}
