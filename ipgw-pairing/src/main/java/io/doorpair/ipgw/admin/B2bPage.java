package io.doorpair.ipgw.admin;

import static io.doorpair.ipgw.admin.Html.csrf;
import static io.doorpair.ipgw.admin.Html.escape;

import io.doorpair.ipgw.supervisor.B2bState;
import java.util.Optional;

/** The b2b page: the service's state and the kill switch (a POST form with the CSRF token). */
final class B2bPage {
  private B2bPage() {}

  static String render(Session s, B2bState state, Optional<String> flash) {
    StringBuilder b = new StringBuilder(1024);
    b.append("<p>State: <strong id=\"b2b-state\" class=\"b2b-")
        .append(state.status().name().toLowerCase(java.util.Locale.ROOT))
        .append("\">")
        .append(escape(state.label()))
        .append("</strong>");
    state
        .pid()
        .ifPresent(pid -> b.append(" (pid <span id=\"b2b-pid\">").append(pid).append("</span>)"));
    b.append("</p>\n<p id=\"b2b-detail\">").append(escape(state.detail())).append("</p>\n");
    switch (state.status()) {
      case NOT_MANAGED -> {
        // nothing to switch
      }
      case RUNNING, STARTING ->
          b.append(form(s, "/b2b/stop", "b2b-stop", "Stop the b2b (kill switch)"));
      default -> b.append(form(s, "/b2b/start", "b2b-start", "Start the b2b"));
    }
    b.append(
        "<p>Stopping the b2b ends every call through this gateway and stops door calls reaching"
            + " the apps until it is started again; it stays stopped across restarts of ipgw.</p>\n");
    boolean changing =
        state.status() == B2bState.Status.STARTING || state.status() == B2bState.Status.CRASHED;
    return Html.page("b2b", Optional.of(s), changing ? 2 : 0, flash, b.toString());
  }

  private static String form(Session s, String action, String id, String label) {
    return "<form method=\"post\" action=\""
        + action
        + "\">"
        + csrf(s)
        + "<button type=\"submit\" id=\""
        + id
        + "\">"
        + escape(label)
        + "</button></form>\n";
  }
}
