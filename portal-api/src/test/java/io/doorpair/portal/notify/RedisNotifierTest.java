package io.doorpair.portal.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.portal.testing.Await;
import io.doorpair.sipedge.redis.RedisSettings;
import io.doorpair.sipedge.testing.TestRedis;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two notifiers on one Redis, as two portal processes started with {@code --redis}: topics cross, a
 * process skips its own echo, another prefix hears nothing. Skipped without a reachable Redis
 * unless {@code CI=true}.
 */
class RedisNotifierTest {
  private String prefix;
  private Notifier one;
  private Notifier two;
  private Notifier elsewhere;

  @BeforeEach
  void start() {
    RedisSettings settings = RedisSettings.of(TestRedis.require());
    prefix = TestRedis.uniquePrefix();
    one =
        Notifiers.forStore(
            "jdbc:sqlite:x", new SecureRandom(), Optional.of(settings.withKeyPrefix(prefix)));
    two = RedisNotifier.start(settings.withKeyPrefix(prefix), new SecureRandom());
    elsewhere = RedisNotifier.start(settings.withKeyPrefix(prefix + "other:"), new SecureRandom());
  }

  @AfterEach
  void stop() {
    for (Notifier n : new Notifier[] {one, two, elsewhere}) {
      if (n != null) {
        n.close();
      }
    }
    TestRedis.deleteKeys(prefix);
  }

  @Test
  void a_topic_published_by_one_process_reaches_the_other_and_not_its_own_echo() {
    assertThat(one).isInstanceOf(RedisNotifier.class);
    AtomicInteger atOne = new AtomicInteger();
    AtomicInteger atTwo = new AtomicInteger();
    AtomicInteger atElsewhere = new AtomicInteger();
    AtomicInteger markers = new AtomicInteger();
    one.subscribe("channel:abcdefghijkl", atOne::incrementAndGet);
    two.subscribe("channel:abcdefghijkl", atTwo::incrementAndGet);
    elsewhere.subscribe("channel:abcdefghijkl", atElsewhere::incrementAndGet);
    one.subscribe("marker", markers::incrementAndGet);
    elsewhere.subscribe("marker", markers::incrementAndGet);

    one.publish("channel:abcdefghijkl");
    assertThat(atOne).hasValue(1); // delivered locally at once
    Await.until("the other process got the topic", () -> atTwo.get() == 1);

    // one channel, one order: once the later marker is in, an echo would be too
    two.publish("marker");
    Await.until("the marker arrived", () -> markers.get() == 1);
    assertThat(atOne).hasValue(1);
    assertThat(atElsewhere).as("another prefix").hasValue(0);
  }
}
