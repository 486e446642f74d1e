package io.doorpair.welcome.http;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Handshake;

/**
 * A successful response: its status, its body, already read, and the TLS handshake of the very
 * connection that carried it ({@code null} over plain HTTP).
 */
record Answer(int status, byte[] body, Handshake handshake) {
  /**
   * The server's certificate chain of the session that carried this answer, as OkHttp verified it
   * (from the server certificate to the trust anchor); empty over plain HTTP. Computed on demand:
   * only a renewal needs it.
   */
  List<X509Certificate> peerChain() {
    if (handshake == null) {
      return List.of();
    }
    List<X509Certificate> chain = new ArrayList<>();
    for (Certificate certificate : handshake.peerCertificates()) {
      if (certificate instanceof X509Certificate) {
        chain.add((X509Certificate) certificate);
      }
    }
    return List.copyOf(chain);
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
