package io.doorpair.ipgw.admin;

import io.doorpair.crypto.tls.TlsMaterial;
import io.doorpair.ipgw.GatewayCore;
import io.doorpair.ipgw.pairing.PairingException;
import io.doorpair.ipgw.requests.AccessDecisions;
import io.doorpair.ipgw.requests.CodeOutcome;
import io.doorpair.ipgw.requests.DecisionException;
import io.doorpair.ipgw.store.Account;
import io.doorpair.ipgw.store.Pairing;
import io.doorpair.ipgw.store.Rights;
import io.doorpair.ipgw.store.StoredRequest;
import io.doorpair.ipgw.supervisor.B2bService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local admin site on Javalin: login, pairing, pending requests, approval with rights or
 * denial, the security code, users and devices, the b2b state. Server-rendered HTML that works
 * without JavaScript. Every page but the login form needs a logged-in session; every POST needs the
 * session's CSRF token; every answer carries the security headers of {@link #HEADERS}.
 */
public final class AdminSite implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminSite.class);

  /** The session cookie's name. */
  public static final String COOKIE = "ipgw_session";

  /** Content-Security-Policy: no script at all, styles from the site only, no framing. */
  public static final String CSP =
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
          + "frame-ancestors 'none'; base-uri 'none'";

  /** The headers sent with every answer. */
  static final List<String[]> HEADERS =
      List.of(
          new String[] {"Content-Security-Policy", CSP},
          new String[] {"X-Content-Type-Options", "nosniff"},
          new String[] {"X-Frame-Options", "DENY"},
          new String[] {"Referrer-Policy", "no-referrer"},
          new String[] {"Cross-Origin-Opener-Policy", "same-origin"},
          new String[] {"Cache-Control", "no-store"});

  /** Largest request body accepted (forms are small). */
  static final long MAX_BODY_BYTES = 16 * 1024;

  /** The request attribute holding the session (set by the guard). */
  static final String SESSION = "ipgw.session";

  private final Javalin app;
  private final Sessions sessions;
  private final boolean https;

  private AdminSite(Javalin app, Sessions sessions, boolean https) {
    this.app = app;
    this.sessions = sessions;
    this.https = https;
  }

  /**
   * Starts the site.
   *
   * @param address where to listen (port 0 for any free port)
   * @param hosts host names answered besides IP literals and {@code localhost}
   * @param tls serve HTTPS with this context (TLS 1.2 and 1.3); empty: plain HTTP
   * @param password the administrator password's hash
   * @param core the gateway
   * @param random for session ids and CSRF tokens
   * @param clock for sessions and throttling
   * @return the running site
   */
  public static AdminSite start(
      InetSocketAddress address,
      List<String> hosts,
      Optional<SSLContext> tls,
      AdminPassword password,
      GatewayCore core,
      SecureRandom random,
      Clock clock) {
    return start(address, hosts, tls, password, core, B2bService.NONE, random, clock);
  }

  /**
   * Starts the site with the b2b's kill switch.
   *
   * @param address where to listen (port 0 for any free port)
   * @param hosts host names answered besides IP literals and {@code localhost}
   * @param tls serve HTTPS with this context (TLS 1.2 and 1.3); empty: plain HTTP
   * @param password the administrator password's hash
   * @param core the gateway
   * @param b2b the b2b service the kill switch stops and starts
   * @param random for session ids and CSRF tokens
   * @param clock for sessions and throttling
   * @return the running site
   */
  public static AdminSite start(
      InetSocketAddress address,
      List<String> hosts,
      Optional<SSLContext> tls,
      AdminPassword password,
      GatewayCore core,
      B2bService b2b,
      SecureRandom random,
      Clock clock) {
    Objects.requireNonNull(address, "address");
    Sessions sessions = new Sessions(random, clock);
    Handlers handlers =
        new Handlers(
            Objects.requireNonNull(password, "password"),
            Objects.requireNonNull(core, "core"),
            sessions,
            new LoginThrottle(clock),
            new HostCheck(hosts),
            Objects.requireNonNull(b2b, "b2b"));
    Javalin app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.startupWatcherEnabled = false;
              config.http.maxRequestSize = MAX_BODY_BYTES;
              config.jetty.addConnector(
                  (server, httpConfig) -> {
                    httpConfig.setSendServerVersion(false);
                    httpConfig.setSendXPoweredBy(false);
                    ServerConnector connector;
                    if (tls.isPresent()) {
                      httpConfig.addCustomizer(
                          new SecureRequestCustomizer(false, false, -1, false));
                      SslContextFactory.Server ssl = new SslContextFactory.Server();
                      ssl.setSslContext(tls.get());
                      ssl.setIncludeProtocols(TlsMaterial.protocols());
                      ssl.setRenegotiationAllowed(false);
                      connector =
                          new ServerConnector(
                              server,
                              new SslConnectionFactory(ssl, "http/1.1"),
                              new HttpConnectionFactory(httpConfig));
                    } else {
                      connector =
                          new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                    }
                    connector.setHost(address.getHostString());
                    connector.setPort(address.getPort());
                    connector.setIdleTimeout(30_000);
                    return connector;
                  });
            });
    handlers.register(app);
    app.start();
    AdminSite site = new AdminSite(app, sessions, tls.isPresent());
    LOG.info("admin site listening url={}", site.url());
    return site;
  }

  /**
   * The port the site listens on.
   *
   * @return the port
   */
  public int port() {
    return ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
  }

  /**
   * The site's base URL, e.g. {@code http://127.0.0.1:8080} ({@code https} with TLS).
   *
   * @return the URL
   */
  public String url() {
    ServerConnector connector = (ServerConnector) app.jettyServer().server().getConnectors()[0];
    String host = connector.getHost();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return (https ? "https://" : "http://") + host + ":" + connector.getLocalPort();
  }

  /** Logs every session out (after the password changed). */
  public void logoutAll() {
    sessions.clear();
  }

  /** Stops the server. */
  @Override
  public void close() {
    app.stop();
  }

  /** The routes and their handlers. */
  private static final class Handlers {
    private final AdminPassword password;
    private final GatewayCore core;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final HostCheck hosts;
    private final B2bService b2b;

    Handlers(
        AdminPassword password,
        GatewayCore core,
        Sessions sessions,
        LoginThrottle throttle,
        HostCheck hosts,
        B2bService b2b) {
      this.b2b = b2b;
      this.password = password;
      this.core = core;
      this.sessions = sessions;
      this.throttle = throttle;
      this.hosts = hosts;
    }

    void register(Javalin app) {
      app.before(this::guard);
      app.get("/style.css", ctx -> ctx.contentType("text/css; charset=utf-8").result(Html.STYLE));
      app.get("/login", this::loginForm);
      app.post("/login", this::login);
      app.post("/logout", this::logout);
      app.get("/", ctx -> see(ctx, core.pairing().isPresent() ? "/requests" : "/pairing"));
      app.get("/pairing", this::pairingPage);
      app.post("/pairing", this::pair);
      app.get("/requests", this::requestsPage);
      app.get("/requests/{id}", this::requestPage);
      app.post("/requests/{id}/approve", this::approve);
      app.post("/requests/{id}/deny", this::deny);
      app.post("/requests/{id}/code", this::code);
      app.get("/accounts", this::accountsPage);
      app.post("/accounts/{sip}/rights", this::rights);
      app.post("/accounts/{sip}/disable", ctx -> account(ctx, "disabled"));
      app.post("/accounts/{sip}/enable", ctx -> account(ctx, "enabled"));
      app.post("/accounts/{sip}/remove", ctx -> account(ctx, "removed"));
      app.get(
          "/b2b",
          ctx -> ctx.html(B2bPage.render(session(ctx), b2b.state(), session(ctx).takeFlash())));
      app.post("/b2b/{action}", this::switchB2b);
      OfflineRoutes.register(app, core, Clock.systemUTC());
      app.exception(DecisionException.class, this::decisionFailed);
      app.exception(
          Exception.class,
          (e, ctx) -> {
            LOG.warn("admin site failed method={} path={}", ctx.method(), ctx.path(), e);
            ctx.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .html(Pages.error(current(ctx), "Error", "Something went wrong; see the log."));
          });
      app.error(
          HttpStatus.NOT_FOUND,
          ctx -> {
            if (ctx.result() == null
                || ctx.result().isEmpty()
                || "Not Found".equals(ctx.result())) {
              ctx.html(Pages.error(current(ctx), "Not found", "No such page."));
            }
          });
    }

    /** Headers on everything; a session for every page but the login form; CSRF on every POST. */
    private void guard(Context ctx) {
      for (String[] header : HEADERS) {
        ctx.header(header[0], header[1]);
      }
      if (!hosts.allows(ctx.header("Host"))) {
        refuse(
            ctx,
            HttpStatus.MISDIRECTED_REQUEST,
            "Unknown host name",
            "This admin site answers to its IP address, localhost, and the names given with"
                + " --admin-host.");
        return;
      }
      Optional<Session> session = sessions.find(ctx.cookie(COOKIE));
      session.ifPresent(s -> ctx.attribute(SESSION, s));
      boolean post = "POST".equals(ctx.method().name());
      String path = ctx.path();
      boolean open = path.equals("/login") || path.equals("/style.css");
      if (!open && session.filter(Session::authenticated).isEmpty()) {
        if (post) {
          refuse(ctx, HttpStatus.FORBIDDEN, "Not logged in", "Log in first.");
        } else {
          see(ctx, "/login");
          ctx.skipRemainingHandlers();
        }
        return;
      }
      if (post && (session.isEmpty() || !session.get().csrfMatches(ctx.formParam("csrf")))) {
        refuse(
            ctx,
            HttpStatus.FORBIDDEN,
            "Form refused",
            "The form's security token is missing, forged or stale: reload the page and try again.");
      }
    }

    private void refuse(Context ctx, HttpStatus status, String title, String message) {
      LOG.info("admin site refused method={} path={} reason={}", ctx.method(), ctx.path(), title);
      ctx.status(status).html(Pages.error(current(ctx), title, message));
      ctx.skipRemainingHandlers();
    }

    private void loginForm(Context ctx) {
      Optional<Session> current = current(ctx);
      if (current.filter(Session::authenticated).isPresent()) {
        see(ctx, "/");
        return;
      }
      Session anonymous = current.orElseGet(sessions::anonymous);
      setCookie(ctx, anonymous);
      ctx.html(Pages.login(anonymous, Optional.empty()));
    }

    private void login(Context ctx) {
      Session old = session(ctx);
      String address = ctx.req().getRemoteAddr();
      Optional<Duration> wait = throttle.lockedOut(address);
      if (wait.isPresent()) {
        LOG.warn("admin login refused address={} reason=throttled", address);
        ctx.status(HttpStatus.TOO_MANY_REQUESTS)
            .header("Retry-After", Long.toString(wait.get().toSeconds() + 1))
            .html(
                Pages.login(
                    old,
                    Optional.of(
                        "Too many wrong passwords: try again in "
                            + (wait.get().toSeconds() + 1)
                            + " seconds.")));
        return;
      }
      String typed = Optional.ofNullable(ctx.formParam("password")).orElse("");
      if (!password.matches(typed.toCharArray())) {
        throttle.failed(address);
        LOG.warn("admin login refused address={} reason=wrong_password", address);
        ctx.status(HttpStatus.UNAUTHORIZED).html(Pages.login(old, Optional.of("Wrong password.")));
        return;
      }
      throttle.succeeded(address);
      Session fresh = sessions.login(old);
      setCookie(ctx, fresh);
      LOG.info("admin logged in address={}", address);
      see(ctx, "/");
    }

    private void logout(Context ctx) {
      sessions.logout(session(ctx));
      ctx.header(
          "Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + secure(ctx));
      see(ctx, "/login");
    }

    private void pairingPage(Context ctx) {
      Session s = session(ctx);
      ctx.html(Pages.pairing(s, core.pairing(), s.takeFlash(), Optional.empty()));
    }

    private void pair(Context ctx) {
      Session s = session(ctx);
      String username = form(ctx, "username");
      String portalPassword = form(ctx, "password");
      String friendlyName = form(ctx, "friendly_name");
      try {
        Pairing pairing = core.pair(username, portalPassword.toCharArray(), friendlyName);
        s.flash(
            "Paired: this gateway is " + pairing.domain() + " (" + pairing.friendlyName() + ").");
        see(ctx, "/pairing");
      } catch (PairingException e) {
        LOG.info("admin site: pairing failed: {}", e.code());
        ctx.status(HttpStatus.BAD_REQUEST)
            .html(
                Pages.pairing(
                    s,
                    core.pairing(),
                    Optional.empty(),
                    Optional.of("Pairing failed (" + e.code() + "): " + e.getMessage())));
      }
    }

    private void requestsPage(Context ctx) {
      Session s = session(ctx);
      if (core.pairing().isEmpty()) {
        s.flash("Pair the gateway first.");
        see(ctx, "/pairing");
        return;
      }
      AccessDecisions d = core.decisions();
      ctx.html(Pages.requests(s, d.pending(), d.awaitingCode(), s.takeFlash()));
    }

    private void requestPage(Context ctx) {
      Session s = session(ctx);
      StoredRequest r = request(ctx);
      ctx.html(Pages.request(s, r, s.takeFlash(), Optional.empty()));
    }

    private void approve(Context ctx) {
      StoredRequest r = request(ctx);
      Rights rights =
          new Rights(
              checked(ctx, "door_calls"),
              checked(ctx, "open_door"),
              checked(ctx, "cameras"),
              checked(ctx, "gruu_only"));
      Account account = core.decisions().approve(r.requestId(), rights);
      session(ctx)
          .flash(
              "Approved as "
                  + account.sipUsername()
                  + ". Ask "
                  + r.username()
                  + " to read out the security code the app now shows, and type it here.");
      see(ctx, "/requests/" + r.requestId());
    }

    private void deny(Context ctx) {
      StoredRequest r = request(ctx);
      core.decisions().deny(r.requestId());
      session(ctx).flash("Denied the request of " + r.username() + " (" + r.friendlyName() + ").");
      see(ctx, "/requests");
    }

    private void code(Context ctx) {
      Session s = session(ctx);
      StoredRequest r = request(ctx);
      String typed = form(ctx, "code");
      if (typed.length() > 64) {
        typed = "";
      }
      CodeOutcome outcome = core.decisions().enterCode(r.requestId(), typed);
      switch (outcome.result()) {
        case ENABLED -> {
          s.flash(
              "The right code: the device "
                  + r.friendlyName()
                  + " of "
                  + r.username()
                  + " is enabled.");
          see(ctx, "/accounts");
        }
        case VOID -> {
          s.flash(
              "Too many wrong codes: the request of "
                  + r.username()
                  + " is void; the app must ask again.");
          see(ctx, "/requests");
        }
        case WRONG ->
            ctx.status(HttpStatus.UNPROCESSABLE_CONTENT)
                .html(
                    Pages.request(
                        s,
                        r,
                        Optional.empty(),
                        Optional.of(
                            "Wrong code: "
                                + outcome.attemptsLeft()
                                + (outcome.attemptsLeft() == 1 ? " attempt" : " attempts")
                                + " left.")));
        case MALFORMED ->
            ctx.status(HttpStatus.UNPROCESSABLE_CONTENT)
                .html(
                    Pages.request(
                        s,
                        r,
                        Optional.empty(),
                        Optional.of(
                            "A security code is 8 characters: 4 digits then 4 of 0-9 and a-f."
                                + " Nothing was counted.")));
      }
    }

    /**
     * The kill switch: {@code POST /b2b/stop} or {@code /b2b/start} (CSRF checked by the guard).
     */
    private void switchB2b(Context ctx) {
      String action = ctx.pathParam("action");
      Session s = session(ctx);
      try {
        switch (action) {
          case "stop" -> {
            b2b.stop();
            s.flash("The b2b is stopped; it stays stopped until you start it.");
          }
          case "start" -> {
            b2b.start();
            s.flash("The b2b is started.");
          }
          default -> {
            ctx.status(HttpStatus.NOT_FOUND)
                .html(Pages.error(current(ctx), "Not found", "No such page."));
            return;
          }
        }
      } catch (IllegalStateException e) {
        LOG.warn("admin site: b2b {} failed: {}", action, e.getMessage());
        s.flash("The b2b could not be switched: " + e.getMessage());
      }
      see(ctx, "/b2b");
    }

    private void accountsPage(Context ctx) {
      Session s = session(ctx);
      if (core.pairing().isEmpty()) {
        s.flash("Pair the gateway first.");
        see(ctx, "/pairing");
        return;
      }
      AccessDecisions d = core.decisions();
      Set<Long> awaiting = new HashSet<>();
      d.awaitingCode().forEach(r -> awaiting.add(r.requestId()));
      ctx.html(Pages.accounts(s, d.accounts(), awaiting, s.takeFlash()));
    }

    private void rights(Context ctx) {
      String sip = ctx.pathParam("sip");
      Rights rights =
          new Rights(
              checked(ctx, "door_calls"),
              checked(ctx, "open_door"),
              checked(ctx, "cameras"),
              checked(ctx, "gruu_only"));
      core.decisions().setRights(sip, rights);
      session(ctx).flash("Rights of " + sip + " changed.");
      see(ctx, "/accounts");
    }

    private void account(Context ctx, String action) {
      String sip = ctx.pathParam("sip");
      AccessDecisions d = core.decisions();
      switch (action) {
        case "disabled" -> d.disable(sip);
        case "enabled" -> d.enable(sip);
        default -> d.remove(sip);
      }
      session(ctx).flash("Account " + sip + " " + action + ".");
      see(ctx, "/accounts");
    }

    private void decisionFailed(DecisionException e, Context ctx) {
      Optional<Session> s = current(ctx);
      if (DecisionException.NOT_PAIRED.equals(e.code())) {
        s.ifPresent(x -> x.flash("Pair the gateway first."));
        see(ctx, "/pairing");
        return;
      }
      HttpStatus status =
          switch (e.code()) {
            case DecisionException.UNKNOWN_REQUEST, DecisionException.UNKNOWN_ACCOUNT ->
                HttpStatus.NOT_FOUND;
            case DecisionException.NOT_PENDING, DecisionException.NOT_AWAITING_CODE ->
                HttpStatus.CONFLICT;
            default -> HttpStatus.BAD_GATEWAY;
          };
      LOG.info("admin site: {} {} refused: {}", ctx.method(), ctx.path(), e.code());
      ctx.status(status).html(Pages.error(s, "Not done", e.getMessage()));
    }

    /** The pending or approved request named in the path. */
    private StoredRequest request(Context ctx) {
      String text = ctx.pathParam("id");
      long id;
      try {
        id = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new DecisionException(DecisionException.UNKNOWN_REQUEST, "no such request", e);
      }
      AccessDecisions d = core.decisions();
      return Stream.concat(d.pending().stream(), d.awaitingCode().stream())
          .filter(r -> r.requestId() == id)
          .findFirst()
          .orElseThrow(
              () ->
                  new DecisionException(
                      DecisionException.UNKNOWN_REQUEST,
                      "No request " + id + " is waiting for a decision or a code.",
                      null));
    }

    private static boolean checked(Context ctx, String name) {
      return "on".equals(ctx.formParam(name));
    }

    private static String form(Context ctx, String name) {
      return Optional.ofNullable(ctx.formParam(name)).orElse("");
    }

    private static Session session(Context ctx) {
      return Objects.requireNonNull(ctx.attribute(SESSION), "session");
    }

    private static Optional<Session> current(Context ctx) {
      return Optional.ofNullable(ctx.attribute(SESSION));
    }

    private static void setCookie(Context ctx, Session s) {
      ctx.attribute(SESSION, s);
      ctx.header(
          "Set-Cookie",
          COOKIE + "=" + s.id() + "; Path=/; HttpOnly; SameSite=Strict" + secure(ctx));
    }

    /** {@code ; Secure} when the request came over TLS. */
    private static String secure(Context ctx) {
      return ctx.req().isSecure() ? "; Secure" : "";
    }

    private static void see(Context ctx, String location) {
      ctx.redirect(location, HttpStatus.SEE_OTHER);
    }
  }
}
