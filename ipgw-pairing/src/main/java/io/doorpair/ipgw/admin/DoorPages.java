package io.doorpair.ipgw.admin;

import static io.doorpair.ipgw.admin.Html.csrf;
import static io.doorpair.ipgw.admin.Html.escape;

import io.doorpair.ipgw.store.DoorTable;
import java.util.List;
import java.util.Optional;

/**
 * The door stations page: each door's SIP username, display name and registration at the internal
 * SIP server (as the b2b last reported it), with a form to rename it (its display name). Doors are
 * added and removed with {@code ipgw door add|remove} (the password is shown once, on the console).
 */
final class DoorPages {
  private DoorPages() {}

  static String list(
      Session s, List<DoorTable.Listed> doors, Optional<String> flash, Optional<String> error) {
    StringBuilder b = new StringBuilder();
    error.ifPresent(
        e -> b.append("<p class=\"error\" id=\"error\">").append(escape(e)).append("</p>\n"));
    b.append("<p>The door stations registering on this gateway's internal SIP server. Add or")
        .append(" remove one with <code>ipgw door add NAME</code> / <code>ipgw door remove")
        .append(" NAME</code> on the gateway; a new name here is what the apps show.</p>\n");
    if (doors.isEmpty()) {
      b.append("<p class=\"none\" id=\"doors-none\">None.</p>\n");
      return Html.page("Doors", Optional.of(s), 0, flash, b.toString());
    }
    b.append("<table id=\"doors\"><tr><th>SIP username</th><th>Name</th><th>State</th>")
        .append("<th>Rename</th></tr>\n");
    for (DoorTable.Listed d : doors) {
      b.append("<tr class=\"door\"><td class=\"sip\">")
          .append(escape(d.name()))
          .append("</td><td class=\"display\">")
          .append(escape(d.displayName().orElse("")))
          .append("</td><td class=\"state\">")
          .append(escape(state(d)))
          .append("</td><td><form method=\"post\" action=\"/doors/")
          .append(escape(d.name()))
          .append("/rename\">")
          .append(csrf(s))
          .append("<input name=\"display_name\" required maxlength=\"64\" aria-label=\"New name\"")
          .append(" value=\"")
          .append(escape(d.displayName().orElse("")))
          .append("\"><button type=\"submit\">Rename</button></form></td></tr>\n");
    }
    b.append("</table>\n");
    return Html.page("Doors", Optional.of(s), 0, flash, b.toString());
  }

  private static String state(DoorTable.Listed d) {
    String state =
        d.registered().map(r -> r ? "registered" : "not registered").orElse("not seen yet");
    return state + d.since().map(t -> " since " + t).orElse("");
  }
}
