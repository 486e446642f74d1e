package io.doorpair.portal.store.jdbc;

import io.doorpair.portal.store.ApprovedAccount;
import io.doorpair.portal.store.NewEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The shape rules of the access flow's arguments, each failing with an exact {@link
 * IllegalArgumentException} message that quotes no secret (never the encrypted password or a
 * payload).
 */
final class AccessChecks {

  /** Most events in one {@code appendEvents} batch. */
  static final int MAX_BATCH = 100;

  /** Most items or events one read returns. */
  static final int MAX_LIMIT = 500;

  /** Most UTF-8 bytes of an event payload. */
  static final int MAX_PAYLOAD_BYTES = 4096;

  static final Set<String> EVENT_KINDS = Set.of("journal", "topology", "acl", "accounts");

  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]{12}");
  private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern SIP_USERNAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern BASE64 =
      Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");
  private static final Pattern GRUU = Pattern.compile("sip:[!-~]{1,508}");
  private static final int MAX_CIPHERTEXT_CHARS = 1024;
  private static final int MAX_FRIENDLY_NAME = 256;
  private static final int MAX_PEM = 16_384;

  private AccessChecks() {}

  static void domain(String domain) {
    if (!DOMAIN.matcher(domain).matches()) {
      throw new IllegalArgumentException("domain must be 12 characters of [a-z0-9]");
    }
  }

  static void friendlyName(String friendlyName) {
    text(friendlyName, "friendlyName", MAX_FRIENDLY_NAME);
  }

  static void certificatePem(String pem) {
    text(pem, "certificatePem", MAX_PEM);
  }

  static void account(ApprovedAccount account) {
    if (!SIP_USERNAME.matcher(account.sipUsername()).matches()) {
      throw new IllegalArgumentException("sipUsername must be 1-64 characters of [A-Za-z0-9._-]");
    }
    String ciphertext = account.encryptedPassword();
    if (ciphertext.isEmpty()
        || ciphertext.length() > MAX_CIPHERTEXT_CHARS
        || !BASE64.matcher(ciphertext).matches()) {
      throw new IllegalArgumentException(
          "encryptedPassword must be standard padded base64 of 1-1024 characters");
    }
    if (!GRUU.matcher(account.gruu()).matches()) {
      throw new IllegalArgumentException(
          "gruu must be a sip: URI of at most 512 printable ASCII characters without spaces");
    }
  }

  static void events(List<NewEvent> events) {
    if (events.isEmpty() || events.size() > MAX_BATCH) {
      throw new IllegalArgumentException("a batch holds 1-" + MAX_BATCH + " events");
    }
    for (NewEvent event : events) {
      event(event);
    }
  }

  static void event(NewEvent event) {
    if (!EVENT_ID.matcher(event.eventId()).matches()) {
      throw new IllegalArgumentException("event id must be 1-64 characters of [A-Za-z0-9._:-]");
    }
    if (!EVENT_KINDS.contains(event.kind())) {
      throw new IllegalArgumentException(
          "event kind must be one of journal, topology, acl, accounts");
    }
    millis(event.occurredAt(), "occurredAt");
    String payload = event.payloadJson();
    if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "event payload must be at most " + MAX_PAYLOAD_BYTES + " bytes in UTF-8");
    }
    if (payload.isBlank() || payload.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("event payload must be a JSON text, without NUL");
    }
  }

  static void limit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT);
    }
  }

  static void cursor(long cursor) {
    if (cursor < 0) {
      throw new IllegalArgumentException("cursor must not be negative");
    }
  }

  /** The instant in epoch milliseconds (finer parts dropped), or a refusal if it does not fit. */
  static long millis(Instant instant, String name) {
    try {
      return instant.toEpochMilli();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(name + " is out of range", e);
    }
  }

  private static void text(String value, String name, int maxLength) {
    if (value.isBlank() || value.length() > maxLength || value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          name + " must be 1-" + maxLength + " characters, not blank, without NUL");
    }
  }
}
