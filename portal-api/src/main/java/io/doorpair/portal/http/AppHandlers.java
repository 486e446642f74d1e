package io.doorpair.portal.http;

import io.doorpair.portal.access.AccessService;
import io.doorpair.portal.auth.Principal;
import io.doorpair.portal.events.EventService;
import io.doorpair.portal.notify.Poll;
import io.doorpair.portal.notify.Topics;
import io.doorpair.welcome.api.AccessStatus;
import io.doorpair.welcome.api.EventPage;
import io.doorpair.welcome.api.RequestStatus;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The endpoints of a Welcome app (app certificate): specification steps 2, 5, 10 and 14. */
final class AppHandlers {
  private final Authentication auth;
  private final AccessService access;
  private final EventService events;
  private final LongPollAnswers answers;

  AppHandlers(
      Authentication auth, AccessService access, EventService events, LongPollAnswers answers) {
    this.auth = auth;
    this.access = access;
    this.events = events;
    this.answers = answers;
  }

  void joinableGateways(Context ctx) {
    ctx.json(access.joinable(auth.requireApp(ctx)));
  }

  void createSipAccount(Context ctx) {
    Principal.AppDevice app = auth.requireApp(ctx);
    AccessService.Created created = access.createRequest(app, ctx.pathParam("domain"));
    ctx.status(created.created() ? 201 : 200).json(created.status());
  }

  void getApprovedAccount(Context ctx) {
    Principal.AppDevice app = auth.requireApp(ctx);
    String domain = ctx.pathParam("domain");
    OptionalInt wait = Queries.waitSeconds(ctx);
    AccessStatus first = access.latest(app, domain);
    if (wait.isEmpty() || first.status() != RequestStatus.PENDING) {
      ctx.json(first);
      return;
    }
    answers.answer(
        ctx,
        app,
        wait,
        List.of(Topics.request(first.requestId())),
        () -> {
          AccessStatus now = access.latest(app, domain);
          return now.status() == RequestStatus.PENDING && now.requestId() == first.requestId()
              ? Poll.waiting(now)
              : Poll.ready(now);
        });
  }

  void events(Context ctx) {
    Principal.AppDevice app = auth.requireApp(ctx);
    Optional<String> cursor = Queries.single(ctx, "cursor", "bad_cursor");
    OptionalInt wait = Queries.waitSeconds(ctx);
    int limit = Queries.limit(ctx);
    EventPage first = events.page(app, cursor, limit);
    if (wait.isEmpty() || !first.events().isEmpty()) {
      ctx.json(first);
      return;
    }
    List<String> topics = events.visibleDomains(app).stream().map(Topics::events).toList();
    answers.answer(
        ctx,
        app,
        wait,
        topics,
        () -> {
          EventPage now = events.page(app, cursor, limit);
          return now.events().isEmpty() ? Poll.waiting(now) : Poll.ready(now);
        });
  }
}
