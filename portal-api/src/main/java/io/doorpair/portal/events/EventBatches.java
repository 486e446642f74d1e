package io.doorpair.portal.events;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import io.doorpair.portal.http.ApiException;
import io.doorpair.portal.store.NewEvent;
import io.doorpair.welcome.api.EventBatch;
import io.doorpair.welcome.api.PostedEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a posted batch as a whole before anything is stored: 1-{@value #MAX_EVENTS} events, ids of
 * {@code [A-Za-z0-9._:-]{1,64}} without repeats in the batch, a known kind, and a payload of at
 * most {@value #MAX_PAYLOAD_BYTES} bytes (compact UTF-8). One bad event refuses the batch.
 *
 * <p>The wire records check the rest while the body is read: a {@code null} event, an {@code at}
 * that is not RFC 3339 with {@code T}, seconds and an offset, and a payload that is not a JSON
 * object; {@link #readProblem} gives those their codes.
 */
public final class EventBatches {
  /** Most events in one batch. */
  public static final int MAX_EVENTS = 100;

  /** Largest payload, in bytes of its compact JSON in UTF-8. */
  public static final int MAX_PAYLOAD_BYTES = 4096;

  /** The kinds of events (DESIGN §8). */
  public static final Set<String> KINDS = Set.of("journal", "topology", "acl", "accounts");

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private EventBatches() {}

  /** The events to store, in order, or a {@code 400} naming the first bad event. */
  public static List<NewEvent> check(EventBatch batch) {
    List<PostedEvent> events = batch.events();
    if (events.isEmpty() || events.size() > MAX_EVENTS) {
      throw ApiException.badRequest(
          "bad_batch", "a batch holds 1 to " + MAX_EVENTS + " events, not " + events.size());
    }
    List<NewEvent> checked = new ArrayList<>(events.size());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < events.size(); i++) {
      PostedEvent event = events.get(i);
      String where = where(i);
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
      int bytes = event.payload().getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_PAYLOAD_BYTES) {
        throw ApiException.badRequest(
            "payload_too_large",
            where + ".payload is " + bytes + " bytes; at most " + MAX_PAYLOAD_BYTES);
      }
      checked.add(new NewEvent(event.id(), event.kind(), event.at(), event.payload()));
    }
    return checked;
  }

  /**
   * The code of a problem the wire records found while the body was read: {@code bad_event} for a
   * {@code null} event, {@code bad_time} for an {@code at} that is not RFC 3339, {@code
   * bad_payload} for a payload that is not a JSON object; empty for any other problem (which is
   * {@code bad_json}).
   */
  public static Optional<ApiException> readProblem(JsonMappingException e) {
    List<JsonMappingException.Reference> path = e.getPath();
    if (path.size() < 2
        || !"events".equals(path.get(0).getFieldName())
        || path.get(1).getIndex() < 0) {
      return Optional.empty();
    }
    String where = where(path.get(1).getIndex());
    if (path.size() == 2 && e instanceof InvalidNullException) {
      return Optional.of(ApiException.badRequest("bad_event", where + " is null"));
    }
    if (path.size() != 3 || !(e instanceof InvalidFormatException)) {
      return Optional.empty();
    }
    String field = path.get(2).getFieldName();
    if ("at".equals(field)) {
      return Optional.of(
          ApiException.badRequest(
              "bad_time", where + ".at must be an RFC 3339 time such as 2026-12-04T10:00:00Z"));
    }
    if ("payload".equals(field)) {
      return Optional.of(
          ApiException.badRequest("bad_payload", where + ".payload must be a JSON object"));
    }
    return Optional.empty();
  }

  private static String where(int index) {
    return "events[" + index + "]";
  }
}
