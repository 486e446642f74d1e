package io.doorpair.welcome.http;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A successful response: its status, its body, already read, and the server's certificate chain of
 * the very TLS session that carried it (as OkHttp verified it: from the server certificate to the
 * trust anchor; empty over plain HTTP).
 */
record Answer(int status, byte[] body, List<X509Certificate> peerChain) {
  Answer {
    peerChain = List.copyOf(peerChain);
  }

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
