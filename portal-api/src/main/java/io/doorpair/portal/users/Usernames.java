package io.doorpair.portal.users;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The one rule for portal usernames (DESIGN §2): {@code [a-z0-9][a-z0-9._-]{0,63}}, lowercase. */
public final class Usernames {
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /** Reserved: {@code ipgw@...} is the CN of every gateway. */
  public static final String RESERVED_GATEWAY = "ipgw";

  private Usernames() {}

  /** The canonical (lowercase) form, or empty if the text cannot be a username. */
  public static Optional<String> canonical(String text) {
    if (text == null || text.length() > 64) {
      return Optional.empty();
    }
    String lower = text.toLowerCase(Locale.ROOT);
    return VALID.matcher(lower).matches() ? Optional.of(lower) : Optional.empty();
  }

  /** The canonical form of a username an operator wants to create, or an exact refusal. */
  public static String requireNew(String text) {
    String name =
        canonical(text)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "a username is 1-64 characters of a-z, 0-9, '.', '_' and '-', starting"
                            + " with a letter or digit"));
    if (name.equals(RESERVED_GATEWAY)) {
      throw new IllegalArgumentException("'ipgw' is reserved for gateway certificates");
    }
    return name;
  }
}
