package io.doorpair.portal.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Limits every request meets before a handler reads it. */
final class RequestLimits {
  /** Largest request body, in bytes; a CSR of a 4096-bit key is about 2 KiB. */
  static final long MAX_BODY_BYTES = 64 * 1024;

  /** Largest body of {@code POST /api/gateway/events}: 100 payloads of 4 KiB, escaped, and more. */
  static final long MAX_EVENTS_BODY_BYTES = 1024 * 1024;

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

  /**
   * Reads a JSON body of at most {@code max} bytes: {@code 415} if it is not declared as JSON,
   * {@code 413 body_too_large} if it is longer, whether its length was declared or it came chunked
   * (never more than {@code max + 1} bytes are read into memory).
   */
  static byte[] jsonBody(Context ctx, long max) {
    requireJson(ctx);
    long declared = ctx.req().getContentLengthLong();
    if (declared > max) {
      throw tooLarge(max);
    }
    byte[] body;
    try (InputStream in = ctx.req().getInputStream()) {
      body = in.readNBytes((int) max + 1);
    } catch (IOException e) {
      throw ApiException.badRequest("bad_body", "the request body could not be read");
    }
    if (body.length > max) {
      throw tooLarge(max);
    }
    return body;
  }

  private static ApiException tooLarge(long max) {
    return new ApiException(413, "body_too_large", "the body is larger than " + max + " bytes");
  }
}
