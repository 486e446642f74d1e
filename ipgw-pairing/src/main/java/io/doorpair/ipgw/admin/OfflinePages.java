package io.doorpair.ipgw.admin;

import static io.doorpair.ipgw.admin.Html.csrf;
import static io.doorpair.ipgw.admin.Html.escape;

import io.doorpair.ipgw.offline.OfflineAccounts;
import io.doorpair.ipgw.store.OfflineAccountRow;
import io.doorpair.ipgw.store.OfflineState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The offline accounts pages (DESIGN §9): the form, the list, and one account with its QR code and
 * the confirmation-code form. The QR code's image is served only to the logged-in session ({@link
 * OfflineRoutes}); the password is never written into the HTML.
 */
final class OfflinePages {
  private OfflinePages() {}

  static String list(
      Session s, List<OfflineAccountRow> accounts, Optional<String> flash, Optional<String> error) {
    StringBuilder b = new StringBuilder();
    error.ifPresent(
        e -> b.append("<p class=\"error\" id=\"error\">").append(escape(e)).append("</p>\n"));
    b.append("<p>For a phone that cannot reach the portal: it gets its account from a QR code")
        .append(" shown here, and works on the local network at once. Show the code only to the")
        .append(" person it is for: anyone who photographs it can read the password.</p>\n")
        .append("<h2>New offline account</h2>\n")
        .append("<form method=\"post\" action=\"/offline\">")
        .append(csrf(s))
        .append("<label>Name (their portal username, if they have one) <input name=\"name\"")
        .append(" id=\"name\" required maxlength=\"64\" pattern=\"[a-z0-9][a-z0-9._\\-]{0,63}\"")
        .append(" autocomplete=\"off\"></label>")
        .append(checkbox("door_calls", "Receives door calls", true))
        .append(checkbox("open_door", "May open the door", true))
        .append(checkbox("cameras", "May view the cameras", true))
        .append(
            checkbox(
                "external", "Also reachable through the portal (door calls away from home)", false))
        .append("<button type=\"submit\" id=\"create\">Create and show the QR code</button>")
        .append("</form>\n<h2>Offline accounts</h2>\n");
    if (accounts.isEmpty()) {
      b.append("<p class=\"none\" id=\"offline-none\">None.</p>\n");
      return Html.page("Offline accounts", Optional.of(s), 0, flash, b.toString());
    }
    b.append("<table id=\"offline\"><tr><th>Name</th><th>SIP username</th><th>Rights</th>")
        .append("<th>Portal</th><th>State</th><th></th></tr>\n");
    for (OfflineAccountRow a : accounts) {
      b.append("<tr class=\"offline-account\"><td class=\"name\">")
          .append(escape(a.name()))
          .append("</td><td class=\"sip\">")
          .append(escape(a.sipUsername()))
          .append("</td><td>")
          .append(escape(rights(a)))
          .append("</td><td>")
          .append(a.external() ? "yes" : "no")
          .append("</td><td class=\"state\">")
          .append(state(a))
          .append("</td><td>");
      if (a.state() != OfflineState.VOID) {
        b.append("<a href=\"/offline/").append(a.id()).append("\">Open</a>");
      }
      b.append("</td></tr>\n");
    }
    b.append("</table>\n");
    return Html.page("Offline accounts", Optional.of(s), 0, flash, b.toString());
  }

  static String account(
      Session s,
      OfflineAccountRow a,
      boolean showQr,
      Instant now,
      Optional<String> flash,
      Optional<String> error) {
    StringBuilder b = new StringBuilder();
    error.ifPresent(
        e -> b.append("<p class=\"error\" id=\"error\">").append(escape(e)).append("</p>\n"));
    b.append("<p>Name <strong id=\"offline-name\">")
        .append(escape(a.name()))
        .append("</strong>, SIP username <strong id=\"offline-sip\">")
        .append(escape(a.sipUsername()))
        .append("</strong>, rights: ")
        .append(escape(rights(a)))
        .append(", through the portal: ")
        .append(a.external() ? "yes" : "no")
        .append(". State: <strong id=\"offline-state\">")
        .append(state(a))
        .append("</strong>.</p>\n");
    String base = "/offline/" + a.id();
    if (a.state() == OfflineState.PENDING && showQr) {
      long minutes = Math.max(0, java.time.Duration.between(now, a.expiresAt()).toMinutes());
      b.append("<p>Scan this code with the Welcome app. It works once, until ")
          .append(escape(a.expiresAt().toString()))
          .append(" (about ")
          .append(minutes)
          .append(" min).</p>\n<p><img id=\"qr\" src=\"")
          .append(base)
          .append("/qr.png\" alt=\"QR code of the offline account\" width=\"400\"")
          .append(" height=\"400\"></p>\n")
          .append("<p>The app then shows a 6-digit confirmation code: type it here.")
          .append(" Only then does the account work. ")
          .append(OfflineAccounts.MAX_WRONG_CODES)
          .append(" wrong codes void it.</p>\n")
          .append("<form method=\"post\" action=\"")
          .append(base)
          .append("/code\">")
          .append(csrf(s))
          .append("<label>Confirmation code <input name=\"code\" id=\"code\" required")
          .append(" maxlength=\"16\" inputmode=\"numeric\" autocomplete=\"off\"></label>")
          .append("<button type=\"submit\" id=\"confirm\">Confirm</button></form>\n");
    } else if (a.state() == OfflineState.PENDING) {
      b.append("<p id=\"expired\">This QR code has expired: create a new account.</p>\n");
    }
    if (a.state() != OfflineState.VOID) {
      b.append("<form method=\"post\" action=\"")
          .append(base)
          .append("/remove\">")
          .append(csrf(s))
          .append("<button type=\"submit\" id=\"remove\">")
          .append(a.state() == OfflineState.ACTIVE ? "Remove the account" : "Cancel")
          .append("</button></form>\n");
    }
    return Html.page("Offline account", Optional.of(s), 0, flash, b.toString());
  }

  private static String state(OfflineAccountRow a) {
    return switch (a.state()) {
      case PENDING -> "waiting for the confirmation code";
      case ACTIVE -> "active";
      case VOID -> "void";
    };
  }

  private static String rights(OfflineAccountRow a) {
    StringBuilder b = new StringBuilder();
    if (a.rights().doorCalls()) {
      b.append("door calls");
    }
    if (a.rights().openDoor()) {
      b.append(b.length() > 0 ? ", " : "").append("open door");
    }
    if (a.rights().cameras()) {
      b.append(b.length() > 0 ? ", " : "").append("cameras");
    }
    return b.length() == 0 ? "none" : b.toString();
  }

  private static String checkbox(String name, String label, boolean checked) {
    return "<label><input type=\"checkbox\" name=\""
        + name
        + "\" id=\""
        + name.replace('_', '-')
        + "\""
        + (checked ? " checked" : "")
        + "> "
        + escape(label)
        + "</label>";
  }
}
