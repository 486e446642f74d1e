package io.doorpair.welcome.http;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;

/** A successful response: its status and its body, already read. */
record Answer(int status, byte[] body) {
  <T> T json(Class<T> type) {
    return WireJson.read(status, body, type);
  }

  <T> T json(TypeReference<T> type) {
    return WireJson.read(status, body, type);
  }

  String text() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
