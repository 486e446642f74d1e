package io.doorpair.ipgw.admin;

import static io.doorpair.ipgw.admin.Html.csrf;
import static io.doorpair.ipgw.admin.Html.escape;

import io.doorpair.ipgw.store.Account;
import io.doorpair.ipgw.store.Pairing;
import io.doorpair.ipgw.store.RequestState;
import io.doorpair.ipgw.store.Rights;
import io.doorpair.ipgw.store.StoredRequest;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The admin site's pages as HTML. Every value from the store or the portal is escaped; the public
 * key hash of a request is never shown (the owner checks the app's security code instead).
 */
final class Pages {
  /** Seconds between reloads of the pending requests page. */
  static final int REQUESTS_REFRESH = 5;

  private Pages() {}

  static String login(Session anonymous, Optional<String> error) {
    String body =
        error.map(e -> "<p class=\"error\" id=\"error\">" + escape(e) + "</p>\n").orElse("")
            + "<form method=\"post\" action=\"/login\">"
            + csrf(anonymous)
            + "<label>Administrator password <input type=\"password\" name=\"password\""
            + " id=\"password\" autocomplete=\"current-password\" required maxlength=\"128\">"
            + "</label><button type=\"submit\" id=\"login\">Log in</button></form>\n";
    return Html.page("Log in", Optional.empty(), 0, Optional.empty(), body);
  }

  static String pairing(
      Session s, Optional<Pairing> pairing, Optional<String> flash, Optional<String> error) {
    StringBuilder b = new StringBuilder();
    error.ifPresent(
        e -> b.append("<p class=\"error\" id=\"error\">").append(escape(e)).append("</p>\n"));
    if (pairing.isPresent()) {
      Pairing p = pairing.get();
      b.append("<p>Paired as <strong id=\"domain\">")
          .append(escape(p.domain()))
          .append("</strong> (<span id=\"gateway-name\">")
          .append(escape(p.friendlyName()))
          .append("</span>) since ")
          .append(escape(p.pairedAt().toString()))
          .append(".</p>\n<h2>Pair again (a new owner)</h2>\n")
          .append("<p>Pairing again replaces the identity, every account and every file.</p>\n");
    } else {
      b.append("<p id=\"not-paired\">Not paired yet.</p>\n<h2>Pair with the portal</h2>\n");
    }
    b.append("<form method=\"post\" action=\"/pairing\">")
        .append(csrf(s))
        .append("<label>Portal username <input name=\"username\" id=\"username\" required")
        .append(" maxlength=\"64\" autocomplete=\"username\"></label>")
        .append("<label>Portal password <input type=\"password\" name=\"password\"")
        .append(" id=\"portal-password\" required maxlength=\"256\"")
        .append(" autocomplete=\"off\"></label>")
        .append("<label>Friendly name <input name=\"friendly_name\" id=\"friendly-name\" required")
        .append(" maxlength=\"64\" placeholder=\"Location: Loft\"></label>")
        .append("<button type=\"submit\" id=\"pair\">Pair</button></form>\n");
    return Html.page("Pairing", Optional.of(s), 0, flash, b.toString());
  }

  static String requests(
      Session s,
      List<StoredRequest> pending,
      List<StoredRequest> awaiting,
      Optional<String> flash) {
    StringBuilder b = new StringBuilder();
    b.append("<form method=\"get\" action=\"/requests\">")
        .append("<button type=\"submit\" id=\"reload\">Reload</button></form>\n")
        .append("<h2>Waiting for your decision</h2>\n");
    requestTable(b, pending, "pending", "Decide");
    b.append("<h2>Approved, waiting for the security code</h2>\n");
    requestTable(b, awaiting, "awaiting", "Enter the code");
    return Html.page("Pending requests", Optional.of(s), REQUESTS_REFRESH, flash, b.toString());
  }

  private static void requestTable(
      StringBuilder b, List<StoredRequest> requests, String id, String action) {
    if (requests.isEmpty()) {
      b.append("<p class=\"none\" id=\"").append(id).append("-none\">None.</p>\n");
      return;
    }
    b.append("<table id=\"")
        .append(id)
        .append("\"><tr><th>User</th><th>Device</th><th>Asked at</th><th></th></tr>\n");
    for (StoredRequest r : requests) {
      b.append("<tr class=\"request\"><td class=\"username\">")
          .append(escape(r.username()))
          .append("</td><td class=\"device\">")
          .append(escape(r.friendlyName()))
          .append("</td><td>")
          .append(escape(r.createdAt().toString()))
          .append("</td><td><a class=\"open\" href=\"/requests/")
          .append(r.requestId())
          .append("\">")
          .append(action)
          .append("</a></td></tr>\n");
    }
    b.append("</table>\n");
  }

  static String request(
      Session s, StoredRequest r, Optional<String> flash, Optional<String> error) {
    StringBuilder b = new StringBuilder();
    error.ifPresent(
        e -> b.append("<p class=\"error\" id=\"error\">").append(escape(e)).append("</p>\n"));
    b.append("<p>User <strong id=\"request-user\">")
        .append(escape(r.username()))
        .append("</strong>, device <strong id=\"request-device\">")
        .append(escape(r.friendlyName()))
        .append("</strong>, asked at ")
        .append(escape(r.createdAt().toString()))
        .append(".</p>\n");
    String base = "/requests/" + r.requestId();
    if (r.state() == RequestState.PENDING) {
      b.append("<h2>Approve</h2>\n<form method=\"post\" action=\"")
          .append(base)
          .append("/approve\">")
          .append(csrf(s))
          .append(rightsFields(Rights.ALL))
          .append("<button type=\"submit\" id=\"approve\">Approve</button></form>\n")
          .append("<h2>Deny</h2>\n<form method=\"post\" action=\"")
          .append(base)
          .append("/deny\">")
          .append(csrf(s))
          .append("<button type=\"submit\" id=\"deny\">Deny</button></form>\n");
    } else if (r.state() == RequestState.APPROVED) {
      b.append("<h2>Security code</h2>\n<p>Type the 8 characters the app shows")
          .append(" (ask its user to read them out). ")
          .append(io.doorpair.ipgw.requests.AccessDecisions.MAX_WRONG_CODES)
          .append(" wrong codes void the request.</p>\n<form method=\"post\" action=\"")
          .append(base)
          .append("/code\">")
          .append(csrf(s))
          .append("<label>Security code <input name=\"code\" id=\"code\" required")
          .append(" maxlength=\"16\" autocomplete=\"off\" spellcheck=\"false\"></label>")
          .append("<button type=\"submit\" id=\"check-code\">Check</button></form>\n");
    } else {
      b.append("<p id=\"request-state\">This request is ")
          .append(r.state().name().toLowerCase(java.util.Locale.ROOT))
          .append(".</p>\n");
    }
    return Html.page("Request from " + r.username(), Optional.of(s), 0, flash, b.toString());
  }

  static String accounts(
      Session s, List<Account> accounts, Set<Long> awaitingCode, Optional<String> flash) {
    StringBuilder b = new StringBuilder();
    if (accounts.isEmpty()) {
      b.append("<p id=\"accounts-none\">No devices yet.</p>\n");
    } else {
      b.append("<table id=\"accounts\"><tr><th>User</th><th>Device</th><th>SIP username</th>")
          .append("<th>State</th><th>Rights</th><th></th></tr>\n");
      for (Account a : accounts) {
        String base = "/accounts/" + escape(a.sipUsername());
        String state =
            a.enabled()
                ? "enabled"
                : awaitingCode.contains(a.requestId()) ? "waiting for code" : "disabled";
        b.append("<tr class=\"account\"><td class=\"username\">")
            .append(escape(a.username()))
            .append("</td><td class=\"device\">")
            .append(escape(a.friendlyName()))
            .append("</td><td class=\"sip-username\">")
            .append(escape(a.sipUsername()))
            .append("</td><td class=\"state\">")
            .append(state)
            .append("</td><td><form method=\"post\" action=\"")
            .append(base)
            .append("/rights\">")
            .append(csrf(s))
            .append(rightsFields(a.rights()))
            .append("<button type=\"submit\" class=\"change-rights\">Change rights</button>")
            .append("</form></td><td>");
        if (a.enabled()) {
          b.append(button(s, base + "/disable", "disable", "Disable"));
        } else if (!awaitingCode.contains(a.requestId())) {
          b.append(button(s, base + "/enable", "enable", "Enable"));
        }
        b.append(button(s, base + "/remove", "remove", "Remove")).append("</td></tr>\n");
      }
      b.append("</table>\n");
    }
    return Html.page("Users and devices", Optional.of(s), 0, flash, b.toString());
  }

  static String error(Optional<Session> s, String title, String message) {
    return Html.page(
        title,
        s,
        0,
        Optional.empty(),
        "<p class=\"error\" id=\"error\">" + escape(message) + "</p>\n");
  }

  private static String button(Session s, String action, String cssClass, String label) {
    return "<form method=\"post\" action=\""
        + action
        + "\" class=\"inline\">"
        + csrf(s)
        + "<button type=\"submit\" class=\""
        + cssClass
        + "\">"
        + label
        + "</button></form> ";
  }

  private static String rightsFields(Rights r) {
    return checkbox("door_calls", "Receives door calls", r.doorCalls())
        + checkbox("open_door", "May open the door", r.openDoor())
        + checkbox("cameras", "May view the cameras", r.cameras())
        + checkbox("gruu_only", "Door calls to this device only (its GRUU)", r.gruuOnly());
  }

  private static String checkbox(String name, String label, boolean checked) {
    return "<label><input type=\"checkbox\" name=\""
        + name
        + "\" value=\"on\""
        + (checked ? " checked" : "")
        + "> "
        + label
        + "</label>";
  }
}
