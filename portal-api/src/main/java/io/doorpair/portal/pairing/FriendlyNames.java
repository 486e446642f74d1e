package io.doorpair.portal.pairing;

import io.doorpair.portal.http.ApiException;

/** Friendly names: 1-64 printable characters, stored as given and never interpreted. */
public final class FriendlyNames {
  /** Longest friendly name, in characters. */
  public static final int MAX_LENGTH = 64;

  private FriendlyNames() {}

  /** Returns the name if acceptable, else throws {@code 400 bad_friendly_name}. */
  public static String require(String name) {
    if (name == null || name.isBlank()) {
      throw ApiException.badRequest("bad_friendly_name", "friendly_name is required");
    }
    int length = name.codePointCount(0, name.length());
    if (length > MAX_LENGTH) {
      throw ApiException.badRequest(
          "bad_friendly_name", "friendly_name is at most " + MAX_LENGTH + " characters");
    }
    boolean printable =
        name.codePoints()
            .allMatch(
                c ->
                    !Character.isISOControl(c)
                        && Character.getType(c) != Character.FORMAT
                        && Character.getType(c) != Character.UNASSIGNED
                        && Character.getType(c) != Character.LINE_SEPARATOR
                        && Character.getType(c) != Character.PARAGRAPH_SEPARATOR
                        && Character.getType(c) != Character.SURROGATE
                        && Character.getType(c) != Character.PRIVATE_USE);
    if (!printable) {
      throw ApiException.badRequest(
          "bad_friendly_name", "friendly_name may contain printable characters only");
    }
    return name;
  }
}
