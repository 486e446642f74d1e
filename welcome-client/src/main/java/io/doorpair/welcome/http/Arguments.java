package io.doorpair.welcome.http;

import io.doorpair.welcome.api.PostedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks what a caller passes to {@link PortalClient} before anything reaches the network: values
 * that go into a path or a query are validated here, so that no argument can change the request's
 * shape. Every refusal is an {@link IllegalArgumentException} with an exact message.
 */
final class Arguments {
  static final int MAX_WAIT_SECONDS = 60;
  static final int MAX_LIMIT = 500;
  static final int MAX_EVENTS = 100;
  static final int MAX_PAYLOAD_BYTES = 4096;
  static final int MAX_CURSOR_CHARS = 16 * 1024;

  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]{12}");
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern CURSOR = Pattern.compile("[A-Za-z0-9_-]+");

  private Arguments() {}

  /** A gateway DOMAIN: 12 characters of {@code [a-z0-9]}, as is. */
  static String domain(String domain) {
    Objects.requireNonNull(domain, "domain");
    if (!DOMAIN.matcher(domain).matches()) {
      throw new IllegalArgumentException("domain must be 12 characters of [a-z0-9]");
    }
    return domain;
  }

  /** A portal username, lowercased. */
  static String username(String username) {
    String user = Objects.requireNonNull(username, "username").toLowerCase(Locale.ROOT);
    if (!USERNAME.matcher(user).matches()) {
      throw new IllegalArgumentException("username must match [a-z0-9][a-z0-9._-]{0,63}");
    }
    return user;
  }

  /** A request id: positive. */
  static long requestId(long requestId) {
    if (requestId <= 0) {
      throw new IllegalArgumentException("requestId must be positive");
    }
    return requestId;
  }

  /** A page size: 1 to 500. */
  static int limit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
    return limit;
  }

  /** A channel cursor: not negative. */
  static long channelCursor(long cursor) {
    if (cursor < 0) {
      throw new IllegalArgumentException("cursor must not be negative");
    }
    return cursor;
  }

  /** An events cursor: base64url text, as the portal returned it. */
  static Optional<String> eventsCursor(Optional<String> cursor) {
    Objects.requireNonNull(cursor, "cursor");
    if (cursor.isPresent()
        && (cursor.get().length() > MAX_CURSOR_CHARS || !CURSOR.matcher(cursor.get()).matches())) {
      throw new IllegalArgumentException(
          "cursor must be the base64url text the portal returned (at most 16384 characters)");
    }
    return cursor;
  }

  /**
   * A long-poll wait: whole seconds, 1 to 60; a fraction of a second is rounded up.
   *
   * @return the seconds to send, if any
   */
  static Optional<Integer> waitSeconds(Optional<Duration> wait) {
    Objects.requireNonNull(wait, "wait");
    if (!wait.isPresent()) {
      return Optional.empty();
    }
    Duration d = wait.get();
    // getSeconds/getNano rather than toSeconds: Android API 26 has only the Java 8 methods.
    long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    if (d.isNegative() || seconds < 1 || seconds > MAX_WAIT_SECONDS) {
      throw new IllegalArgumentException("wait must be between 1 and 60 seconds");
    }
    return Optional.of((int) seconds);
  }

  /** A batch of events: 1 to 100, ids of the portal's alphabet, payloads of at most 4096 bytes. */
  static List<PostedEvent> events(List<PostedEvent> events) {
    List<PostedEvent> batch = List.copyOf(Objects.requireNonNull(events, "events"));
    if (batch.isEmpty() || batch.size() > MAX_EVENTS) {
      throw new IllegalArgumentException("a batch holds 1 to " + MAX_EVENTS + " events");
    }
    for (PostedEvent e : batch) {
      if (!EVENT_ID.matcher(e.id()).matches()) {
        throw new IllegalArgumentException(
            "event id must be 1 to 64 characters of [A-Za-z0-9._:-]: " + e.id());
      }
      if (e.payload().getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
        throw new IllegalArgumentException(
            "event " + e.id() + ": payload larger than " + MAX_PAYLOAD_BYTES + " bytes");
      }
    }
    return batch;
  }
}
