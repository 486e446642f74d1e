package io.doorpair.portal.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.doorpair.portal.access.Gateways;
import io.doorpair.portal.http.ApiException;
import io.doorpair.portal.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The events cursor: base64url without padding of a JSON object mapping each gateway DOMAIN to the
 * last seq delivered, e.g. {@code {"k3x9abcd1234":17}}. Opaque to apps; decoded strictly: only
 * canonical base64url, a JSON object of at most {@value #MAX_DOMAINS} DOMAIN keys with integer
 * values from 0, at most {@value #MAX_CHARS} characters. Anything else is {@code 400 bad_cursor}.
 */
public final class EventCursors {
  /** Longest cursor text (128 entries with 19-digit seqs fit; the URI stays below 8 KiB). */
  public static final int MAX_CHARS = 6200;

  /** Most gateways in one cursor: an app sees the events of its first 128 gateways. */
  public static final int MAX_DOMAINS = 128;

  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");

  private EventCursors() {}

  /** Encodes positions (DOMAIN to last seq delivered), keys in order. */
  public static String encode(Map<String, Long> positions) {
    ObjectNode object = Json.MAPPER.createObjectNode();
    new TreeMap<>(positions).forEach(object::put);
    try {
      byte[] json = Json.MAPPER.writeValueAsBytes(object);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Decodes a cursor an app sent back, or throws {@code 400 bad_cursor}. */
  public static SortedMap<String, Long> decode(String cursor) {
    if (cursor == null
        || cursor.isEmpty()
        || cursor.length() > MAX_CHARS
        || !BASE64URL.matcher(cursor).matches()) {
      throw bad("not a cursor this portal issued");
    }
    byte[] json;
    try {
      json = Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      throw bad("not base64url");
    }
    if (!Base64.getUrlEncoder().withoutPadding().encodeToString(json).equals(cursor)) {
      throw bad("not canonical base64url");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(new String(json, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw bad("not JSON");
    }
    if (node == null || !node.isObject()) {
      throw bad("not a JSON object");
    }
    if (node.size() > MAX_DOMAINS) {
      throw bad("more than " + MAX_DOMAINS + " gateways");
    }
    SortedMap<String, Long> positions = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      JsonNode value = entry.getValue();
      if (!Gateways.isDomain(entry.getKey())
          || !value.isIntegralNumber()
          || !value.canConvertToLong()
          || value.asLong() < 0) {
        throw bad("each entry maps a gateway DOMAIN to a seq from 0");
      }
      positions.put(entry.getKey(), value.asLong());
    }
    return Collections.unmodifiableSortedMap(positions);
  }

  private static ApiException bad(String why) {
    return ApiException.badRequest("bad_cursor", "malformed events cursor: " + why);
  }
}
