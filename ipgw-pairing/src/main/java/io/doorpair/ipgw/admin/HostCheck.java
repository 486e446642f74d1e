package io.doorpair.ipgw.admin;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which {@code Host} headers the admin site answers: IP literals, {@code localhost}, and the names
 * the operator listed. A page of another site whose name was rebound to the gateway's address (DNS
 * rebinding) names its own host, and is refused before anything else happens.
 */
final class HostCheck {
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]+\\]");
  private static final Pattern PORT = Pattern.compile(":[0-9]{1,5}$");

  private final Set<String> names;

  HostCheck(List<String> names) {
    this.names =
        names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }

  boolean allows(String hostHeader) {
    if (hostHeader == null || hostHeader.length() > 255) {
      return false;
    }
    String host = PORT.matcher(hostHeader).replaceFirst("");
    if (IPV4.matcher(host).matches() || IPV6.matcher(host).matches()) {
      return true;
    }
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    return name.equals("localhost") || names.contains(name);
  }
}
