package io.doorpair.ipgw.admin;

import java.util.Optional;

/**
 * HTML text: escaping of every value that reaches a page, and the frame around each page (no
 * script, no inline style: the CSP allows neither).
 */
final class Html {
  private Html() {}

  /**
   * Escapes text for an HTML element or a quoted attribute; control characters (which a friendly
   * name may not hold, but hostile input might) become U+FFFD.
   */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(Character.isISOControl(c) ? '\uFFFD' : c);
      }
    }
    return out.toString();
  }

  /** A hidden CSRF field for a form. */
  static String csrf(Session session) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(session.csrf()) + "\">";
  }

  /**
   * A whole page.
   *
   * @param title the page title (escaped here)
   * @param session the session, for the navigation and the logout form; empty on the login page
   * @param refreshSeconds a plain meta refresh, 0 for none
   * @param flash a one-shot message (escaped here)
   * @param body the page's own HTML (already escaped)
   */
  static String page(
      String title,
      Optional<Session> session,
      int refreshSeconds,
      Optional<String> flash,
      String body) {
    StringBuilder out = new StringBuilder(4096);
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    if (refreshSeconds > 0) {
      out.append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append("\">\n");
    }
    out.append("<title>")
        .append(escape(title))
        .append(
            " - ipgw</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body>\n");
    session
        .filter(Session::authenticated)
        .ifPresent(
            s ->
                out.append("<header><nav>")
                    .append("<a href=\"/pairing\">Pairing</a> ")
                    .append("<a href=\"/requests\">Pending requests</a> ")
                    .append("<a href=\"/accounts\">Users and devices</a> ")
                    .append("<a href=\"/offline\">Offline accounts</a> ")
                    .append("<a href=\"/doors\">Doors</a> ")
                    .append("<a href=\"/b2b\">b2b</a> ")
                    .append("<form method=\"post\" action=\"/logout\" class=\"inline\">")
                    .append(csrf(s))
                    .append("<button type=\"submit\" id=\"logout\">Log out</button></form>")
                    .append("</nav></header>\n"));
    out.append("<main>\n<h1>").append(escape(title)).append("</h1>\n");
    flash.ifPresent(
        m -> out.append("<p class=\"flash\" id=\"flash\">").append(escape(m)).append("</p>\n"));
    out.append(body).append("</main>\n</body>\n</html>\n");
    return out.toString();
  }

  /** The site's only style sheet. */
  static final String STYLE =
      """
      body { font-family: sans-serif; margin: 0 auto; max-width: 60rem; padding: 0 1rem; }
      nav { display: flex; gap: 1rem; align-items: center; padding: .5rem 0;
            border-bottom: 1px solid #ccc; }
      form.inline { display: inline; }
      table { border-collapse: collapse; width: 100%; }
      th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #eee; }
      .flash { background: #eef6ff; padding: .5rem; }
      .error { background: #ffeeee; padding: .5rem; }
      label { display: block; margin: .3rem 0; }
      """;
}
