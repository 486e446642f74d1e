package io.doorpair.portal.http;

import io.doorpair.portal.access.AccessService;
import io.doorpair.portal.access.GatewayChannel;
import io.doorpair.portal.auth.Principal;
import io.doorpair.portal.events.EventBatches;
import io.doorpair.portal.events.EventService;
import io.doorpair.portal.notify.Poll;
import io.doorpair.portal.notify.Topics;
import io.doorpair.welcome.api.ApproveRequest;
import io.doorpair.welcome.api.ChannelPage;
import io.doorpair.welcome.api.DenyRequest;
import io.doorpair.welcome.api.EventBatch;
import io.doorpair.welcome.api.VoidRequest;
import io.javalin.http.Context;
import java.util.List;
import java.util.OptionalInt;

/** The endpoints of a gateway (gateway certificate): specification steps 6, 9 and 13. */
final class GatewayHandlers {
  private final Authentication auth;
  private final AccessService access;
  private final GatewayChannel channel;
  private final EventService events;
  private final LongPollAnswers answers;

  GatewayHandlers(
      Authentication auth,
      AccessService access,
      GatewayChannel channel,
      EventService events,
      LongPollAnswers answers) {
    this.auth = auth;
    this.access = access;
    this.channel = channel;
    this.events = events;
    this.answers = answers;
  }

  void channel(Context ctx) {
    Principal.Gateway gateway = auth.requireGateway(ctx);
    long cursor = Queries.longOr(ctx, "cursor", 0, Long.MAX_VALUE, 0, "bad_cursor");
    OptionalInt wait = Queries.waitSeconds(ctx);
    int limit = Queries.limit(ctx);
    ChannelPage first = channel.page(gateway, cursor, limit);
    if (wait.isEmpty() || !first.items().isEmpty()) {
      ctx.json(first);
      return;
    }
    answers.answer(
        ctx,
        gateway,
        wait,
        List.of(Topics.channel(gateway.domain())),
        () -> {
          ChannelPage now = channel.page(gateway, cursor, limit);
          return now.items().isEmpty() ? Poll.waiting(now) : Poll.ready(now);
        });
  }

  void approve(Context ctx) {
    Principal.Gateway gateway = auth.requireGateway(ctx);
    ApproveRequest body =
        Json.read(RequestLimits.jsonBody(ctx, RequestLimits.MAX_BODY_BYTES), ApproveRequest.class);
    ctx.json(access.approve(gateway, ctx.pathParam("id"), body));
  }

  void deny(Context ctx) {
    Principal.Gateway gateway = auth.requireGateway(ctx);
    Json.read(RequestLimits.jsonBody(ctx, RequestLimits.MAX_BODY_BYTES), DenyRequest.class);
    ctx.json(access.deny(gateway, ctx.pathParam("id")));
  }

  void voidRequest(Context ctx) {
    Principal.Gateway gateway = auth.requireGateway(ctx);
    Json.read(RequestLimits.jsonBody(ctx, RequestLimits.MAX_BODY_BYTES), VoidRequest.class);
    ctx.json(access.voidRequest(gateway, ctx.pathParam("id")));
  }

  void postEvents(Context ctx) {
    Principal.Gateway gateway = auth.requireGateway(ctx);
    EventBatch batch =
        Json.read(
            RequestLimits.jsonBody(ctx, RequestLimits.MAX_EVENTS_BODY_BYTES),
            EventBatch.class,
            EventBatches::readProblem);
    ctx.json(events.post(gateway, batch));
  }
}
