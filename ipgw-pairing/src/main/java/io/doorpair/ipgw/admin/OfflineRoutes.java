package io.doorpair.ipgw.admin;

import io.doorpair.ipgw.GatewayCore;
import io.doorpair.ipgw.offline.ConfirmOutcome;
import io.doorpair.ipgw.offline.OfflineAccounts;
import io.doorpair.ipgw.offline.OfflineException;
import io.doorpair.ipgw.qr.QrPng;
import io.doorpair.ipgw.store.OfflineAccountRow;
import io.doorpair.ipgw.store.Rights;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of the offline accounts pages. They sit behind {@link AdminSite}'s guard like every
 * page: a logged-in session for everything, the session's CSRF token on every POST. The QR code's
 * PNG is served only to that session, only while the account is pending and its QR code has not
 * expired, with {@code Cache-Control: no-store}.
 */
final class OfflineRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(OfflineRoutes.class);

  private final GatewayCore core;
  private final Clock clock;

  private OfflineRoutes(GatewayCore core, Clock clock) {
    this.core = core;
    this.clock = clock;
  }

  /**
   * Adds the routes to the site.
   *
   * @param app the site (its guard already installed)
   * @param core the gateway
   * @param clock for what the pages say about expiry
   */
  static void register(Javalin app, GatewayCore core, Clock clock) {
    OfflineRoutes r =
        new OfflineRoutes(Objects.requireNonNull(core), Objects.requireNonNull(clock));
    app.get("/offline", r::listPage);
    app.post("/offline", r::create);
    app.get("/offline/{id}", r::accountPage);
    app.get("/offline/{id}/qr.png", r::qr);
    app.post("/offline/{id}/code", r::code);
    app.post("/offline/{id}/remove", r::remove);
    app.exception(OfflineException.class, r::refused);
  }

  private void listPage(Context ctx) {
    Session s = session(ctx);
    OfflineAccounts offline = core.offline();
    ctx.html(OfflinePages.list(s, offline.all(), s.takeFlash(), Optional.empty()));
  }

  private void create(Context ctx) {
    Session s = session(ctx);
    OfflineAccounts offline = core.offline();
    String name = Optional.ofNullable(ctx.formParam("name")).orElse("");
    Rights rights =
        new Rights(
            checked(ctx, "door_calls"), checked(ctx, "open_door"), checked(ctx, "cameras"), false);
    OfflineAccountRow a;
    try {
      a = offline.create(name, rights, checked(ctx, "external"));
    } catch (OfflineException e) {
      if (!OfflineException.BAD_INPUT.equals(e.code())) {
        throw e;
      }
      ctx.status(HttpStatus.BAD_REQUEST)
          .html(OfflinePages.list(s, offline.all(), Optional.empty(), Optional.of(e.getMessage())));
      return;
    }
    LOG.info("offline account created sip_username={} state=pending", a.sipUsername());
    see(ctx, "/offline/" + a.id());
  }

  private void accountPage(Context ctx) {
    Session s = session(ctx);
    OfflineAccounts offline = core.offline();
    OfflineAccountRow a = offline.get(ctx.pathParam("id"));
    boolean showQr = offline.showable(a.id()).isPresent();
    ctx.html(OfflinePages.account(s, a, showQr, clock.instant(), s.takeFlash(), Optional.empty()));
  }

  private void qr(Context ctx) {
    Optional<String> payload = core.offline().showable(ctx.pathParam("id"));
    if (payload.isEmpty()) {
      ctx.status(HttpStatus.NOT_FOUND)
          .html(
              Pages.error(
                  Optional.of(session(ctx)),
                  "No QR code",
                  "This QR code does not exist, has expired or was already used."));
      return;
    }
    ctx.header("Cache-Control", "no-store, private, max-age=0");
    ctx.header("Pragma", "no-cache");
    ctx.contentType("image/png").result(QrPng.render(payload.get()));
  }

  private void code(Context ctx) {
    Session s = session(ctx);
    OfflineAccounts offline = core.offline();
    OfflineAccountRow a = offline.get(ctx.pathParam("id"));
    String typed = Optional.ofNullable(ctx.formParam("code")).orElse("");
    ConfirmOutcome outcome = offline.confirm(a.id(), typed);
    switch (outcome.result()) {
      case ACTIVATED -> {
        LOG.info("offline account activated sip_username={}", a.sipUsername());
        s.flash("The right code: the offline account " + a.sipUsername() + " is active.");
        see(ctx, "/offline/" + a.id());
      }
      case VOID -> {
        LOG.info("offline account void sip_username={} reason=wrong_codes", a.sipUsername());
        s.flash(
            "Too many wrong codes: the offline account "
                + a.sipUsername()
                + " is void. Create a new one.");
        see(ctx, "/offline");
      }
      case WRONG ->
          again(
              ctx,
              s,
              a.id(),
              "Wrong code: "
                  + outcome.attemptsLeft()
                  + (outcome.attemptsLeft() == 1 ? " attempt" : " attempts")
                  + " left.");
      case MALFORMED ->
          again(ctx, s, a.id(), "A confirmation code is 6 digits. Nothing was counted.");
    }
  }

  private void again(Context ctx, Session s, String id, String error) {
    OfflineAccounts offline = core.offline();
    OfflineAccountRow a = offline.get(id);
    ctx.status(HttpStatus.UNPROCESSABLE_CONTENT)
        .html(
            OfflinePages.account(
                s,
                a,
                offline.showable(id).isPresent(),
                clock.instant(),
                Optional.empty(),
                Optional.of(error)));
  }

  private void remove(Context ctx) {
    OfflineAccounts offline = core.offline();
    OfflineAccountRow a = offline.get(ctx.pathParam("id"));
    offline.remove(a.id());
    LOG.info("offline account removed sip_username={}", a.sipUsername());
    session(ctx).flash("Offline account " + a.sipUsername() + " removed.");
    see(ctx, "/offline");
  }

  private void refused(OfflineException e, Context ctx) {
    HttpStatus status =
        switch (e.code()) {
          case OfflineException.UNKNOWN -> HttpStatus.NOT_FOUND;
          case OfflineException.EXPIRED, OfflineException.USED, OfflineException.VOID ->
              HttpStatus.CONFLICT;
          case OfflineException.NOT_PAIRED -> HttpStatus.CONFLICT;
          default -> HttpStatus.BAD_REQUEST;
        };
    LOG.info("admin site refused method={} path={} code={}", ctx.method(), ctx.path(), e.code());
    ctx.status(status)
        .html(
            Pages.error(
                Optional.ofNullable(ctx.attribute(AdminSite.SESSION)), "Not done", e.getMessage()));
  }

  private static boolean checked(Context ctx, String name) {
    return "on".equals(ctx.formParam(name));
  }

  private static Session session(Context ctx) {
    return Objects.requireNonNull(ctx.attribute(AdminSite.SESSION), "session");
  }

  private static void see(Context ctx, String location) {
    ctx.redirect(location, HttpStatus.SEE_OTHER);
  }
}
