package io.doorpair.portal.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.doorpair.portal.http.ApiException;
import io.doorpair.portal.http.Json;
import io.doorpair.portal.store.NewEvent;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a posted batch as a whole before anything is stored: 1-{@value #MAX_EVENTS} events, ids of
 * {@code [A-Za-z0-9._:-]{1,64}} without repeats in the batch, a known kind, an RFC 3339 time, and a
 * JSON object payload of at most {@value #MAX_PAYLOAD_BYTES} bytes (compact UTF-8). One bad event
 * refuses the batch.
 */
public final class EventBatches {
  /** Most events in one batch. */
  public static final int MAX_EVENTS = 100;

  /** Largest payload, in bytes of its compact JSON in UTF-8. */
  public static final int MAX_PAYLOAD_BYTES = 4096;

  /** The kinds of events (DESIGN §8). */
  public static final Set<String> KINDS = Set.of("journal", "topology", "acl", "accounts");

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern RFC3339 =
      Pattern.compile(
          "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?"
              + "(Z|[+-][0-9]{2}:[0-9]{2})");

  private EventBatches() {}

  /** The events to store, in order, or a {@code 400} naming the first bad event. */
  public static List<NewEvent> check(EventBatch batch) {
    List<EventBatch.Event> events = batch.events();
    if (events.isEmpty() || events.size() > MAX_EVENTS) {
      throw ApiException.badRequest(
          "bad_batch", "a batch holds 1 to " + MAX_EVENTS + " events, not " + events.size());
    }
    List<NewEvent> checked = new ArrayList<>(events.size());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < events.size(); i++) {
      EventBatch.Event event = events.get(i);
      String where = "events[" + i + "]";
      if (event == null) {
        throw ApiException.badRequest("bad_event", where + " is null");
      }
      if (!ID.matcher(event.id()).matches()) {
        throw ApiException.badRequest(
            "bad_event_id", where + ".id is 1-64 characters of A-Z, a-z, 0-9, '.', '_', ':', '-'");
      }
      if (!ids.add(event.id())) {
        throw ApiException.badRequest(
            "duplicate_event_id", where + ".id appears twice in the batch: " + event.id());
      }
      if (!KINDS.contains(event.kind())) {
        throw ApiException.badRequest(
            "unknown_kind", where + ".kind must be one of journal, topology, acl, accounts");
      }
      Instant at = time(event.at(), where);
      checked.add(new NewEvent(event.id(), event.kind(), at, payload(event.payload(), where)));
    }
    return checked;
  }

  private static Instant time(String text, String where) {
    if (text.length() > 40 || !RFC3339.matcher(text).matches()) {
      throw badTime(where);
    }
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeException e) {
      throw badTime(where);
    }
  }

  private static String payload(JsonNode payload, String where) {
    if (payload == null || !payload.isObject()) {
      throw ApiException.badRequest("bad_payload", where + ".payload must be a JSON object");
    }
    String json;
    try {
      json = Json.MAPPER.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("bad_payload", where + ".payload cannot be serialised");
    }
    int bytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_PAYLOAD_BYTES) {
      throw ApiException.badRequest(
          "payload_too_large",
          where + ".payload is " + bytes + " bytes; at most " + MAX_PAYLOAD_BYTES);
    }
    return json;
  }

  private static ApiException badTime(String where) {
    return ApiException.badRequest(
        "bad_time", where + ".at must be an RFC 3339 time such as 2026-12-04T10:00:00Z");
  }
}
