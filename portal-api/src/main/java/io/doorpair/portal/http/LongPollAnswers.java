package io.doorpair.portal.http;

import io.doorpair.portal.auth.Principal;
import io.doorpair.portal.notify.LongPolls;
import io.doorpair.portal.notify.Poll;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Collection;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Request;

/**
 * Answers a request at once or, with {@code wait}, as a long-poll through Javalin's {@code
 * ctx.future(...)}: the request holds no thread while it waits; each look at the database checks
 * first that the caller's certificate is still live, so a revocation ends the poll with {@code 401
 * certificate_refused}.
 */
final class LongPollAnswers {
  /** Idle time allowed on a connection beyond a long-poll's wait. */
  private static final Duration IDLE_MARGIN = Duration.ofSeconds(30);

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
    allowIdle(ctx, wait.plus(IDLE_MARGIN));
    Supplier<Poll<T>> checked =
        () -> {
          auth.requireStillLive(principal);
          return look.get();
        };
    ctx.future(() -> polls.await(principal.serial(), topics, wait, checked).thenAccept(ctx::json));
  }

  /**
   * Lets this connection stay silent for the wait: the connector's idle timeout is shorter, and
   * Jetty restores it when the request completes.
   */
  private static void allowIdle(Context ctx, Duration idle) {
    Request base = Request.getBaseRequest(ctx.req());
    if (base != null && base.getHttpChannel() != null) {
      long current = base.getHttpChannel().getIdleTimeout();
      if (current >= 0 && current < idle.toMillis()) {
        base.getHttpChannel().setIdleTimeout(idle.toMillis());
      }
    }
  }
}
