package io.doorpair.portal.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LocalNotifierTest {
  @Test
  void a_topic_reaches_its_subscribers_until_they_unsubscribe() {
    try (LocalNotifier notifier = new LocalNotifier()) {
      AtomicInteger a = new AtomicInteger();
      AtomicInteger b = new AtomicInteger();
      Notifier.Subscription first = notifier.subscribe("channel:x", a::incrementAndGet);
      Notifier.Subscription second = notifier.subscribe("channel:x", b::incrementAndGet);
      notifier.subscribe("channel:y", () -> a.addAndGet(100));

      notifier.publish("channel:x");
      assertThat(a).hasValue(1);
      assertThat(b).hasValue(1);

      first.close();
      notifier.publish("channel:x");
      assertThat(a).hasValue(1);
      assertThat(b).hasValue(2);
      second.close();
      assertThat(notifier.subscriptions()).isEqualTo(1);

      notifier.wakeAll();
      assertThat(a).hasValue(101);
    }
  }

  @Test
  void the_same_listener_subscribed_twice_is_two_subscriptions() {
    try (LocalNotifier notifier = new LocalNotifier()) {
      AtomicInteger count = new AtomicInteger();
      Runnable listener = count::incrementAndGet;
      Notifier.Subscription one = notifier.subscribe("t", listener);
      notifier.subscribe("t", listener);
      notifier.publish("t");
      assertThat(count).hasValue(2);
      one.close();
      notifier.publish("t");
      assertThat(count).hasValue(3);
    }
  }

  @Test
  void a_failing_listener_does_not_stop_the_others() {
    try (LocalNotifier notifier = new LocalNotifier()) {
      AtomicInteger count = new AtomicInteger();
      notifier.subscribe(
          "t",
          () -> {
            throw new IllegalStateException("boom");
          });
      notifier.subscribe("t", count::incrementAndGet);
      notifier.publish("t");
      assertThat(count).hasValue(1);
    }
  }
}
