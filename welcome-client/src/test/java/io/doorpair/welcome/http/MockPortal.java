package io.doorpair.welcome.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A {@link MockWebServer} speaking HTTPS with a certificate of a test portal CA, asking for (not
 * requiring) a client certificate; and clients of it with an app or a gateway identity.
 */
final class MockPortal implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String DOMAIN = "k3x9abcd1234";

  static final HeldCertificate CA =
      new HeldCertificate.Builder().certificateAuthority(0).commonName("Portal CA").build();

  static final HeldCertificate APP =
      new HeldCertificate.Builder().signedBy(CA).commonName("alice@portal.test").build();

  static final HeldCertificate GATEWAY =
      new HeldCertificate.Builder().signedBy(CA).commonName("ipgw@" + DOMAIN).build();

  private static final HeldCertificate SERVER = serverCertificate();

  final MockWebServer server = new MockWebServer();

  MockPortal() throws Exception {
    HandshakeCertificates tls =
        new HandshakeCertificates.Builder()
            .heldCertificate(SERVER, CA.certificate())
            .addTrustedCertificate(CA.certificate())
            .build();
    server.useHttps(tls.sslSocketFactory(), false);
    server.requestClientAuth();
    server.start();
  }

  private static HeldCertificate serverCertificate() {
    try {
      return new HeldCertificate.Builder()
          .signedBy(CA)
          .commonName("portal")
          .addSubjectAlternativeName("localhost")
          .addSubjectAlternativeName(InetAddress.getByName("localhost").getCanonicalHostName())
          .build();
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  PortalClient anonymous(Duration callTimeout) {
    return PortalClient.builder(server.url("/").toString())
        .trustAnchors(List.of(CA.certificate()))
        .callTimeout(callTimeout)
        .build();
  }

  PortalClient app() {
    return as(APP, Duration.ofSeconds(20));
  }

  PortalClient gateway() {
    return as(GATEWAY, Duration.ofSeconds(20));
  }

  PortalClient as(HeldCertificate identity, Duration callTimeout) {
    return anonymous(callTimeout)
        .withIdentity(
            identity.keyPair().getPrivate(), List.of(identity.certificate()), CA.certificate());
  }

  void enqueue(MockResponse response) {
    server.enqueue(response);
  }

  void enqueueJson(int status, String json) {
    server.enqueue(
        new MockResponse()
            .setResponseCode(status)
            .setHeader("Content-Type", "application/json")
            .setBody(json));
  }

  void enqueueError(int status, String code, String message) {
    enqueueJson(status, "{\"error\":\"" + code + "\",\"message\":\"" + message + "\"}");
  }

  /** The next request, failing after a generous guard instead of hanging. */
  RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(30, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("no request reached the mock portal");
    }
    return request;
  }

  static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() throws IOException {
    server.shutdown();
  }
}
