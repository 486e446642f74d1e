package io.doorpair.crypto.internal;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Device instance URIs, {@code urn:uuid:<version-4 uuid>} (RFC 4122, DESIGN §2). */
public final class UuidUris {
  /** The URI prefix, as written by this library. */
  public static final String PREFIX = "urn:uuid:";

  private static final Pattern VERSION_4 =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}");

  private UuidUris() {}

  /** Whether {@code uri} starts with {@code urn:uuid:}, compared case-insensitively (RFC 8141). */
  public static boolean isUuidUri(String uri) {
    return uri.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
  }

  /** The version-4 UUID of a {@code urn:uuid:} URI, or empty if it is anything else. */
  public static Optional<UUID> version4(String uri) {
    if (!isUuidUri(uri)) {
      return Optional.empty();
    }
    String text = uri.substring(PREFIX.length());
    if (!VERSION_4.matcher(text).matches()) {
      return Optional.empty();
    }
    return Optional.of(UUID.fromString(text));
  }

  /** Whether {@code uuid} is a version-4 (random) UUID of the RFC 4122 variant. */
  public static boolean isVersion4(UUID uuid) {
    return uuid.version() == 4 && uuid.variant() == 2;
  }

  /** The URI {@code urn:uuid:<uuid>}, lowercase. */
  public static String uri(UUID uuid) {
    return PREFIX + uuid;
  }
}
