package io.doorpair.portal.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.portal.testing.Await;
import io.doorpair.portal.testing.TestPostgres;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two notifiers on one PostgreSQL database, as two portal processes: topics cross, a process skips
 * its own echo, and a lost listening connection is reopened. Skipped without a reachable server
 * unless {@code CI=true}.
 */
class PostgresNotifierTest {
  private PostgresNotifier one;
  private PostgresNotifier two;

  @BeforeEach
  void start() throws Exception {
    TestPostgres.Schema schema = TestPostgres.createSchema();
    if (schema.unreachable().isPresent() && !TestPostgres.required()) {
      Assumptions.abort(schema.unreachable().get());
    }
    TestPostgres.dropSchema(schema.name().orElseThrow());
    one = PostgresNotifier.start(TestPostgres.serverUrl(), new SecureRandom());
    two = PostgresNotifier.start(TestPostgres.serverUrl(), new SecureRandom());
  }

  @AfterEach
  void stop() {
    if (one != null) {
      one.close();
    }
    if (two != null) {
      two.close();
    }
  }

  @Test
  void a_topic_published_by_one_process_reaches_the_other_and_not_its_own_echo() {
    AtomicInteger atOne = new AtomicInteger();
    AtomicInteger atTwo = new AtomicInteger();
    AtomicInteger markers = new AtomicInteger();
    one.subscribe("channel:abcdefghijkl", atOne::incrementAndGet);
    two.subscribe("channel:abcdefghijkl", atTwo::incrementAndGet);
    one.subscribe("marker", markers::incrementAndGet);

    one.publish("channel:abcdefghijkl");
    assertThat(atOne).hasValue(1); // delivered locally at once
    Await.until("the other process got the topic", () -> atTwo.get() == 1);

    // Notifications arrive in commit order: once the later marker is in, an echo would be too.
    two.publish("marker");
    Await.until("the marker arrived", () -> markers.get() == 1);
    assertThat(atOne).hasValue(1);
  }

  @Test
  void a_lost_listening_connection_is_reopened_and_everyone_woken() throws Exception {
    AtomicInteger received = new AtomicInteger();
    AtomicInteger quiet = new AtomicInteger();
    one.subscribe("events:abcdefghijkl", received::incrementAndGet);
    one.subscribe("request:42", quiet::incrementAndGet);

    TestPostgres.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
            + one.applicationName()
            + "'");

    Await.until("woken after reconnecting", () -> quiet.get() > 0);
    Await.until(
        "a topic from the other process arrives again",
        () -> {
          two.publish("events:abcdefghijkl");
          return received.get() > 0;
        });
  }
}
