package io.doorpair.portal.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the OpenAPI 3 document of the API, {@code openapi.json} beside this class. */
public final class OpenApi {
  private static final byte[] DOCUMENT = load();

  private OpenApi() {}

  /** The document's bytes. */
  public static byte[] document() {
    return DOCUMENT.clone();
  }

  static void serve(Context ctx) {
    ctx.contentType("application/json").result(DOCUMENT);
  }

  private static byte[] load() {
    try (InputStream in = OpenApi.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
