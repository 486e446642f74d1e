package io.doorpair.portal.http;

import io.doorpair.portal.auth.Principal;
import io.doorpair.portal.guests.GuestService;
import io.javalin.http.Context;

/** The owner's guest endpoints (app certificate of the gateway's owner). */
final class GuestHandlers {
  private final Authentication auth;
  private final GuestService guests;

  GuestHandlers(Authentication auth, GuestService guests) {
    this.auth = auth;
    this.guests = guests;
  }

  void list(Context ctx) {
    ctx.json(guests.list(auth.requireApp(ctx), ctx.pathParam("domain")));
  }

  void invite(Context ctx) {
    Principal.AppDevice owner = auth.requireApp(ctx);
    GuestService.Invitation invitation =
        guests.invite(owner, ctx.pathParam("domain"), ctx.pathParam("user"));
    ctx.status(invitation.created() ? 201 : 200).json(invitation.guest());
  }

  void remove(Context ctx) {
    Principal.AppDevice owner = auth.requireApp(ctx);
    guests.remove(owner, ctx.pathParam("domain"), ctx.pathParam("user"));
    ctx.status(204);
  }
}
