package io.doorpair.portal.http;

import io.doorpair.portal.auth.Principal;
import io.doorpair.portal.notify.LongPolls;
import io.doorpair.portal.notify.Poll;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Collection;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Answers a request at once or, with {@code wait}, as a long-poll through Javalin's {@code
 * ctx.future(...)}: the request holds no thread while it waits; each look at the database checks
 * first that the caller's certificate is still live, so a revocation ends the poll with {@code 401
 * certificate_refused}. (Jetty's idle timeout does not cut a suspended request: a 60-second wait
 * outlives the connector's 30-second idle timeout.)
 */
final class LongPollAnswers {
  private final LongPolls polls;
  private final Authentication auth;

  LongPollAnswers(LongPolls polls, Authentication auth) {
    this.polls = polls;
    this.auth = auth;
  }

  <T> void answer(
      Context ctx,
      Principal principal,
      OptionalInt waitSeconds,
      Collection<String> topics,
      Supplier<Poll<T>> look) {
    if (waitSeconds.isEmpty()) {
      ctx.json(look.get().value());
      return;
    }
    Duration wait = Duration.ofSeconds(waitSeconds.getAsInt());
    Supplier<Poll<T>> checked =
        () -> {
          auth.requireStillLive(principal);
          return look.get();
        };
    ctx.future(() -> polls.await(principal.serial(), topics, wait, checked).thenAccept(ctx::json));
  }
}
