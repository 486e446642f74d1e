package io.doorpair.b2b.conf;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The names that go into the gateway's files, checked before anything is written: a name that
 * passes cannot break {@code acl.list} (whitespace-separated) or the password file ({@code
 * user@domain clrtxt:PASSWORD ;}).
 */
public final class AccountNames {
  private static final Pattern PORTAL_USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern SIP_USERNAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern GATEWAY_DOMAIN = Pattern.compile("[a-z0-9]{12}");
  private static final Pattern SIP_DOMAIN =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");

  private AccountNames() {}

  /**
   * A portal username (DESIGN §2), as {@code acl.list} holds it.
   *
   * @param username the name
   * @return the name, lowercased
   * @throws FileFormatException when it is not {@code [a-z0-9][a-z0-9._-]{0,63}}
   */
  public static String portalUsername(String username) {
    String lower = username == null ? "" : username.toLowerCase(Locale.ROOT);
    if (!PORTAL_USERNAME.matcher(lower).matches()) {
      throw new FileFormatException(
          "portal username must be 1-64 characters of [a-z0-9._-], starting with a letter or"
              + " digit");
    }
    return lower;
  }

  /**
   * A SIP username of the gateway's accounts (the portal's {@code sip_username} rule).
   *
   * @param username the name
   * @return the name
   * @throws FileFormatException when it is not 1-64 characters of {@code [A-Za-z0-9._-]}
   */
  public static String sipUsername(String username) {
    if (username == null || !SIP_USERNAME.matcher(username).matches()) {
      throw new FileFormatException("SIP username must be 1-64 characters of [A-Za-z0-9._-]");
    }
    return username;
  }

  /**
   * A gateway DOMAIN (DESIGN §2).
   *
   * @param domain the DOMAIN
   * @return the DOMAIN
   * @throws FileFormatException when it is not 12 characters of {@code [a-z0-9]}
   */
  public static String gatewayDomain(String domain) {
    if (domain == null || !GATEWAY_DOMAIN.matcher(domain).matches()) {
      throw new FileFormatException("gateway DOMAIN must be 12 characters of [a-z0-9]");
    }
    return domain;
  }

  /**
   * Whether {@code domain} may be the domain part of a password-file identity: letters, digits,
   * dots and dashes, starting and ending with a letter or digit, at most 253 characters.
   *
   * @param domain the text
   * @return true when acceptable
   */
  static boolean isSipDomain(String domain) {
    return SIP_DOMAIN.matcher(domain).matches();
  }

  /**
   * Whether {@code username} may be the user part of a password-file identity.
   *
   * @param username the text
   * @return true when acceptable
   */
  static boolean isSipUsername(String username) {
    return SIP_USERNAME.matcher(username).matches();
  }

  /**
   * Whether a friendly name is acceptable as the portal accepts it: 1-64 printable characters (no
   * control, format, separator, surrogate, private-use or unassigned code points). It is stored as
   * given and never written into a gateway file; pages must escape it.
   *
   * @param name the text
   * @return true when acceptable
   */
  public static boolean isFriendlyName(String name) {
    return name != null
        && !name.isBlank()
        && name.codePointCount(0, name.length()) <= 64
        && name.codePoints()
            .allMatch(
                c ->
                    !Character.isISOControl(c)
                        && Character.getType(c) != Character.FORMAT
                        && Character.getType(c) != Character.UNASSIGNED
                        && Character.getType(c) != Character.LINE_SEPARATOR
                        && Character.getType(c) != Character.PARAGRAPH_SEPARATOR
                        && Character.getType(c) != Character.SURROGATE
                        && Character.getType(c) != Character.PRIVATE_USE);
  }
}
