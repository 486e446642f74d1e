package io.doorpair.ipgw.admin;

import io.doorpair.ipgw.GatewayCore;
import io.doorpair.ipgw.doors.Doors;
import io.doorpair.ipgw.store.DoorTable;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of the doors page, behind {@link AdminSite}'s guard like every page (a logged-in
 * session; the session's CSRF token on every POST): {@code GET /doors}, {@code POST
 * /doors/NAME/rename} (field {@code display_name}).
 */
final class DoorRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(DoorRoutes.class);

  private final GatewayCore core;

  private DoorRoutes(GatewayCore core) {
    this.core = core;
  }

  /**
   * Adds the routes to the site.
   *
   * @param app the site (its guard already installed)
   * @param core the gateway
   */
  static void register(Javalin app, GatewayCore core) {
    DoorRoutes r = new DoorRoutes(Objects.requireNonNull(core));
    app.get("/doors", r::listPage);
    app.post("/doors/{name}/rename", r::rename);
  }

  private void listPage(Context ctx) {
    Session s = session(ctx);
    if (core.pairing().isEmpty()) {
      s.flash("Pair the gateway first.");
      ctx.redirect("/pairing", HttpStatus.SEE_OTHER);
      return;
    }
    ctx.html(DoorPages.list(s, core.doors().all(), s.takeFlash(), Optional.empty()));
  }

  private void rename(Context ctx) {
    Session s = session(ctx);
    Doors doors = core.doors();
    String name = ctx.pathParam("name");
    String displayName = Optional.ofNullable(ctx.formParam("display_name")).orElse("");
    DoorTable.Listed door;
    try {
      door = doors.rename(name, displayName);
    } catch (NoSuchElementException e) {
      ctx.status(HttpStatus.NOT_FOUND)
          .html(Pages.error(Optional.of(s), "Not found", "No such door."));
      return;
    } catch (IllegalArgumentException e) {
      ctx.status(HttpStatus.BAD_REQUEST)
          .html(DoorPages.list(s, doors.all(), Optional.empty(), Optional.of(e.getMessage())));
      return;
    }
    LOG.info("admin site: door {} renamed", door.name());
    s.flash("Door " + door.name() + " is now named " + door.displayName().orElse("") + ".");
    ctx.redirect("/doors", HttpStatus.SEE_OTHER);
  }

  private static Session session(Context ctx) {
    return Objects.requireNonNull(ctx.attribute(AdminSite.SESSION), "session");
  }
}
