package io.doorpair.portal.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's answer to a request it refuses before any handler runs (a malformed or ambiguous URI, a
 * header too large): the API's JSON error instead of an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
    String code =
        switch (status) {
          case 414 -> "uri_too_long";
          case 431 -> "headers_too_large";
          default -> "bad_request";
        };
    String json =
        "{\"error\":\""
            + code
            + "\",\"message\":\"the request was refused before it reached the API (status "
            + status
            + ")\"}";
    return ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
  }
}
