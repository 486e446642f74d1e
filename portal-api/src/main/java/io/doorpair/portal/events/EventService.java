package io.doorpair.portal.events;

import io.doorpair.portal.access.Gateways;
import io.doorpair.portal.auth.Principal;
import io.doorpair.portal.http.ApiException;
import io.doorpair.portal.notify.Notifier;
import io.doorpair.portal.notify.Topics;
import io.doorpair.portal.store.GatewayRecord;
import io.doorpair.portal.store.NewEvent;
import io.doorpair.portal.store.PortalStore;
import io.doorpair.portal.store.StoredEvent;
import io.doorpair.welcome.api.DeliveredEvent;
import io.doorpair.welcome.api.EventBatch;
import io.doorpair.welcome.api.EventBatchResult;
import io.doorpair.welcome.api.EventPage;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events: gateways post batches (stored once per id, in order); apps read the events of the
 * gateways they see (owned, or as a guest with an approved account) after an opaque cursor.
 */
public final class EventService {
  private static final Logger LOG = LoggerFactory.getLogger(EventService.class);

  private final PortalStore store;
  private final Gateways gateways;
  private final Notifier notifier;
  private final Clock clock;

  public EventService(PortalStore store, Notifier notifier, Clock clock) {
    this.store = store;
    this.gateways = new Gateways(store);
    this.notifier = notifier;
    this.clock = clock;
  }

  /** {@code POST /api/gateway/events}: all or nothing; ids stored before are skipped. */
  public EventBatchResult post(Principal.Gateway gateway, EventBatch batch) {
    List<NewEvent> events = EventBatches.check(batch);
    int stored = store.appendEvents(gateway.domain(), events, clock.instant());
    if (stored > 0) {
      notifier.publish(Topics.events(gateway.domain()));
    }
    LOG.info("events domain={} posted={} stored={}", gateway.domain(), events.size(), stored);
    return new EventBatchResult(stored, events.size() - stored);
  }

  /**
   * The DOMAINs whose events this user sees now, owned first, at most {@link
   * EventCursors#MAX_DOMAINS} of them (so that every cursor issued can be read back).
   */
  public List<String> visibleDomains(Principal.AppDevice app) {
    return gateways.withEventsFor(app.username()).stream()
        .map(GatewayRecord::domain)
        .limit(EventCursors.MAX_DOMAINS)
        .toList();
  }

  /**
   * {@code GET /api/events}: at most {@code limit} events of the visible gateways after the cursor
   * (from the beginning without one), merged in the order the portal received them while keeping
   * each gateway's seq order, and the cursor to pass next time.
   */
  public EventPage page(Principal.AppDevice app, Optional<String> cursor, int limit) {
    SortedMap<String, Long> given = cursor.map(EventCursors::decode).orElse(new TreeMap<>());
    Map<String, Long> positions = new LinkedHashMap<>();
    Map<String, Deque<StoredEvent>> queues = new LinkedHashMap<>();
    for (String domain : visibleDomains(app)) {
      long after = given.getOrDefault(domain, 0L);
      List<StoredEvent> events = store.eventsAfter(domain, after, limit);
      if (events.isEmpty() && after > 0 && after > store.eventHead(domain)) {
        throw ApiException.badRequest(
            "bad_cursor", "the cursor names events of gateway " + domain + " not posted yet");
      }
      positions.put(domain, after);
      queues.put(domain, new ArrayDeque<>(events));
    }
    List<DeliveredEvent> page = new ArrayList<>();
    Comparator<StoredEvent> order =
        Comparator.comparing(StoredEvent::receivedAt)
            .thenComparing(StoredEvent::domain)
            .thenComparingLong(StoredEvent::seq);
    while (page.size() < limit) {
      Deque<StoredEvent> next = null;
      for (Deque<StoredEvent> queue : queues.values()) {
        if (!queue.isEmpty()
            && (next == null || order.compare(queue.peekFirst(), next.peekFirst()) < 0)) {
          next = queue;
        }
      }
      if (next == null) {
        break;
      }
      StoredEvent event = next.pollFirst();
      positions.put(event.domain(), event.seq());
      page.add(view(event));
    }
    return new EventPage(page, EventCursors.encode(positions));
  }

  private static DeliveredEvent view(StoredEvent stored) {
    NewEvent event = stored.event();
    return new DeliveredEvent(
        stored.domain(),
        stored.seq(),
        event.eventId(),
        event.kind(),
        event.occurredAt(),
        event.payloadJson());
  }
}
