package io.doorpair.portal.http;

import io.javalin.http.Context;
import java.util.Locale;

/** Limits every request meets before a handler reads it. */
final class RequestLimits {
  /** Largest request body, in bytes; a CSR of a 4096-bit key is about 2 KiB. */
  static final long MAX_BODY_BYTES = 64 * 1024;

  private RequestLimits() {}

  /** Refuses a body that is not declared as JSON with {@code 415}. */
  static void requireJson(Context ctx) {
    String type = ctx.contentType();
    String base = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!base.equals("application/json")) {
      throw new ApiException(
          415, "unsupported_media_type", "the request body must be application/json");
    }
  }
}
