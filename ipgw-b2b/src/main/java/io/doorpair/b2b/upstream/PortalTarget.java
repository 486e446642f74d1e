package io.doorpair.b2b.upstream;

import io.doorpair.b2b.conf.FileFormatException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The portal SIP server as {@code b2b.conf}'s {@code portal-sip-uri} names it: {@code
 * sips:host[:port]} or {@code sip:host[:port];transport=tls} (the portal leg is TLS only). The host
 * is also the name the portal's certificate must carry.
 *
 * @param host a DNS name or an IP literal (IPv6 without brackets)
 * @param port the TLS port, 5061 when not given
 */
public record PortalTarget(String host, int port) {
  private static final Pattern URI =
      Pattern.compile(
          "(sips|sip):(?:ipgw@)?(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]{1,253})(?::([0-9]{1,5}))?((?:;[!-~&&[^;]]+)*)");

  /** Checks the port. */
  public PortalTarget {
    if (port < 1 || port > 65535) {
      throw new FileFormatException("port out of range");
    }
  }

  /**
   * Parses {@code portal-sip-uri}.
   *
   * @param uri the URI
   * @return the target
   * @throws FileFormatException when it is not a TLS SIP URI of a host
   */
  public static PortalTarget parse(String uri) {
    Matcher m = URI.matcher(uri);
    if (!m.matches()) {
      throw new FileFormatException("portal-sip-uri must be sips:host[:port]");
    }
    String params = m.group(4).toLowerCase(Locale.ROOT);
    boolean tls = m.group(1).equals("sips") || params.contains(";transport=tls");
    if (!tls || (params.contains(";transport=") && !params.contains(";transport=tls"))) {
      throw new FileFormatException(
          "portal-sip-uri must be sips:host[:port] or sip:host[:port];transport=tls");
    }
    String host = m.group(2);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = m.group(3) == null ? 5061 : Integer.parseInt(m.group(3));
    return new PortalTarget(host.toLowerCase(Locale.ROOT), port);
  }

  /**
   * The host as it goes into a SIP URI: an IPv6 literal in brackets.
   *
   * @return the host part
   */
  public String uriHost() {
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
