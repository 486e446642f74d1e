package io.doorpair.portal.http;

import io.doorpair.ca.CaPolicyException;
import io.doorpair.crypto.CryptoException;
import io.doorpair.portal.notify.TooManyWaitsException;
import io.doorpair.portal.store.StoreConflictException;
import io.doorpair.welcome.api.ApiError;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every failure into a status and {@code {"error", "message"}}; nothing is swallowed. */
final class ProblemMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

  /** Set on a request whose error body was written, so the 404 page does not replace it. */
  private static final String WRITTEN = "doorpair.error-written";

  private ProblemMapper() {}

  static void register(Javalin app) {
    app.exception(ApiException.class, (e, ctx) -> write(ctx, e.status(), e.code(), e.getMessage()));
    app.exception(CryptoException.class, (e, ctx) -> write(ctx, 400, e.code(), e.getMessage()));
    app.exception(
        CaPolicyException.class, (e, ctx) -> write(ctx, e.httpStatus(), e.code(), e.getMessage()));
    app.exception(
        TooManyWaitsException.class, (e, ctx) -> write(ctx, 429, "too_many_waits", e.getMessage()));
    app.exception(
        StoreConflictException.class, (e, ctx) -> write(ctx, 409, "conflict", e.getMessage()));
    app.exception(
        HttpResponseException.class,
        (e, ctx) -> write(ctx, e.getStatus(), codeFor(e.getStatus()), e.getMessage()));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("internal error method={} path={}", ctx.method(), ctx.path(), e);
          write(ctx, 500, "internal", "internal error");
        });
    app.error(
        404,
        ctx -> {
          if (ctx.attribute(WRITTEN) == null) {
            write(ctx, 404, "not_found", "no such endpoint");
          }
        });
    app.error(405, ctx -> write(ctx, 405, "method_not_allowed", "method not allowed here"));
  }

  private static String codeFor(int status) {
    return switch (status) {
      case 413 -> "body_too_large";
      case 400 -> "bad_request";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      default -> "http_" + status;
    };
  }

  private static void write(Context ctx, int status, String code, String message) {
    ctx.attribute(WRITTEN, Boolean.TRUE);
    ctx.status(status).json(new ApiError(code, message));
  }
}
