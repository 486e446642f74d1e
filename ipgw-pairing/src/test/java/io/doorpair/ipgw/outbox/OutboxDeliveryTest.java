package io.doorpair.ipgw.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.doorpair.ipgw.store.OutboxTable;
import io.doorpair.ipgw.store.QueuedEvent;
import io.doorpair.ipgw.testing.TcpRelay;
import io.doorpair.ipgw.testing.TestApp;
import io.doorpair.ipgw.testing.TestGateway;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.welcome.api.DeliveredEvent;
import io.doorpair.welcome.api.EventPage;
import io.doorpair.welcome.api.PostedEvent;
import io.doorpair.welcome.http.PortalClient;
import io.doorpair.welcome.http.PortalException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox against a real portal reached through a relay the test cuts: events queued while the
 * portal is unreachable all arrive once, in order, when it returns; also across a restart of the
 * sender after a batch whose answer was lost.
 */
class OutboxDeliveryTest {
  private static final String PASSWORD = "password1";
  private static final int EVENTS = 1000;

  @RegisterExtension static PortalExtension portal = new PortalExtension();

  @TempDir Path dir;

  private TestGateway gateway;
  private TestApp ownerApp;
  private String domain;

  @BeforeEach
  void pair() {
    String owner = Actors.newUser(portal, "owner", PASSWORD);
    gateway = new TestGateway(dir);
    domain = gateway.pair(portal, owner, PASSWORD).domain();
    ownerApp = TestApp.pair(portal, owner, PASSWORD);
  }

  @AfterEach
  void close() {
    gateway.close();
  }

  @Test
  void portal_down_a_thousand_events_portal_up_all_arrive_once_in_order() throws Exception {
    try (TcpRelay relay = new TcpRelay(portal.portal().apiPort())) {
      relay.setUp(false);
      PortalClient client = gateway.client(portal, relay.url());
      OutboxSender sender = sender(client);
      Outbox outbox = new Outbox(new SecureRandom(), sender.wakeup());
      sender.start();
      try {
        List<String> ids = queue(outbox, EVENTS);
        assertThatThrownBy(sender::sendOnce).isInstanceOf(PortalException.class);
        assertThat(gateway.store().transaction(OutboxTable::size)).isEqualTo(EVENTS);

        relay.setUp(true);
        awaitEmptyOutbox();
        assertThat(delivered()).isEqualTo(ids);
      } finally {
        sender.close();
      }
    }
  }

  @Test
  void a_restart_after_a_lost_answer_delivers_each_event_once_in_order() {
    PortalClient client = gateway.client(portal);
    List<String> ids = queue(new Outbox(new SecureRandom(), OutboxSender.Wakeup.NONE), 250);

    // The sender posted the first batch, then died before removing it (its answer lost).
    List<QueuedEvent> head = gateway.store().transaction(c -> OutboxTable.head(c, 100));
    List<PostedEvent> batch = new ArrayList<>();
    for (QueuedEvent e : head) {
      batch.add(new PostedEvent(e.id(), e.kind(), e.at(), e.payload()));
    }
    client.postEvents(batch);

    gateway.reopen();
    OutboxSender restarted = sender(client);
    int sent = 0;
    int calls = 0;
    int n;
    while ((n = restarted.sendOnce()) > 0) {
      sent += n;
      calls++;
    }
    assertThat(sent).isEqualTo(250);
    assertThat(calls).isEqualTo(3);
    assertThat(delivered()).isEqualTo(ids);
  }

  @Test
  void unknown_kinds_and_oversized_payloads_are_refused_when_queued() {
    Outbox outbox = new Outbox(new SecureRandom(), OutboxSender.Wakeup.NONE);
    assertThatThrownBy(
            () -> gateway.store().transaction(c -> outbox.queue(c, "ACL", Instant.now(), Map.of())))
        .isInstanceOf(IllegalArgumentException.class);
    String big = new String(new char[Outbox.MAX_PAYLOAD_BYTES]).replace('\0', 'x');
    assertThatThrownBy(
            () ->
                gateway
                    .store()
                    .transaction(c -> outbox.queue(c, "journal", Instant.now(), Map.of("a", big))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(gateway.store().transaction(OutboxTable::size)).isZero();
  }

  private OutboxSender sender(PortalClient client) {
    return new OutboxSender(
        gateway.store(), client, Duration.ofMillis(50), Duration.ofMillis(400), new SecureRandom());
  }

  private List<String> queue(Outbox outbox, int count) {
    return gateway
        .store()
        .transaction(
            c -> {
              List<String> ids = new ArrayList<>();
              for (int i = 0; i < count; i++) {
                ids.add(outbox.queue(c, "journal", Instant.now(), Map.of("call", i)));
              }
              return ids;
            });
  }

  private void awaitEmptyOutbox() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (gateway.store().transaction(OutboxTable::size) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(gateway.store().transaction(OutboxTable::size)).isZero();
  }

  /** Every event of the gateway as the portal serves it to the owner's app, in order. */
  private List<String> delivered() {
    List<String> ids = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    while (true) {
      EventPage page = ownerApp.client().events(cursor, Optional.empty(), 500);
      for (DeliveredEvent e : page.events()) {
        assertThat(e.domain()).isEqualTo(domain);
        ids.add(e.id());
      }
      if (page.events().isEmpty()) {
        return ids;
      }
      cursor = Optional.of(page.cursor());
    }
  }
}
