package io.doorpair.b2b.localsip;

import io.doorpair.b2b.conf.FileFormatException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The internal SIP server as {@code b2b.conf}'s {@code internal-sip-uri} names it: {@code
 * sip:host[:port][;transport=udp|tcp]}. The embedded server listens there on UDP and TCP; the b2b
 * registers there over the transport named (UDP when none).
 *
 * @param host an IP literal or a name (IPv6 without brackets)
 * @param port the port, 5060 when not given
 * @param transport {@code udp} or {@code tcp}
 */
public record InternalTarget(String host, int port, String transport) {
  private static final Pattern URI =
      Pattern.compile(
          "sip:(?:[A-Za-z0-9._-]{1,64}@)?(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]{1,253})(?::([0-9]{1,5}))?(?:;transport=(udp|tcp|UDP|TCP))?");

  /** Checks the values. */
  public InternalTarget {
    if (port < 1 || port > 65535) {
      throw new FileFormatException("internal-sip-uri: port out of range");
    }
    if (!transport.equals("udp") && !transport.equals("tcp")) {
      throw new FileFormatException("internal-sip-uri: transport must be udp or tcp");
    }
  }

  /**
   * Parses {@code internal-sip-uri}.
   *
   * @param uri the URI
   * @return the target
   * @throws FileFormatException when it is not {@code sip:host[:port][;transport=udp|tcp]}
   */
  public static InternalTarget parse(String uri) {
    Matcher m = URI.matcher(uri);
    if (!m.matches()) {
      throw new FileFormatException("internal-sip-uri must be sip:host[:port][;transport=udp|tcp]");
    }
    String host = m.group(1);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = m.group(2) == null ? 5060 : Integer.parseInt(m.group(2));
    String transport = m.group(3) == null ? "udp" : m.group(3).toLowerCase(Locale.ROOT);
    return new InternalTarget(host.toLowerCase(Locale.ROOT), port, transport);
  }

  /**
   * The host as it goes into a SIP URI.
   *
   * @return the host, an IPv6 literal in brackets
   */
  public String uriHost() {
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
