package io.doorpair.welcome.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link MockWebServer} speaking HTTPS with a certificate of a test portal CA, asking for (not
 * requiring) a client certificate; and clients of it with an app or a gateway identity. Register it
 * as an instance field with {@code @RegisterExtension}: it starts with the test and shuts down
 * after it.
 */
final class MockPortal implements AutoCloseable, AfterEachCallback {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String DOMAIN = "k3x9abcd1234";

  static final HeldCertificate CA =
      new HeldCertificate.Builder().certificateAuthority(0).commonName("Portal CA").build();

  static final HeldCertificate APP =
      new HeldCertificate.Builder().signedBy(CA).commonName("alice@portal.test").build();

  static final HeldCertificate GATEWAY =
      new HeldCertificate.Builder().signedBy(CA).commonName("ipgw@" + DOMAIN).build();

  /** An approved status of request 42 for {@link #DOMAIN}, as the portal answers it. */
  static final String APPROVED =
      "{\"request_id\":42,\"domain\":\""
          + DOMAIN
          + "\",\"status\":\"approved\",\"sip_username\":\"alice-7f3a\","
          + "\"encrypted_password\":\"QUJD\",\"gruu\":\"sip:alice@portal.test;gr=urn:uuid:1\","
          + "\"gateway_uri\":\"sip:ipgw@"
          + DOMAIN
          + "\",\"sip_domain\":\"portal.test\"}";

  private static final HeldCertificate SERVER = serverCertificate(CA);

  final MockWebServer server = new MockWebServer();

  MockPortal() {
    useHttps(server, SERVER, CA);
    server.requestClientAuth();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes {@code server} speak HTTPS with {@code certificate}, trusting {@code ca}. */
  static void useHttps(MockWebServer server, HeldCertificate certificate, HeldCertificate ca) {
    HandshakeCertificates tls =
        new HandshakeCertificates.Builder()
            .heldCertificate(certificate, ca.certificate())
            .addTrustedCertificate(ca.certificate())
            .build();
    server.useHttps(tls.sslSocketFactory(), false);
  }

  /** A certificate for a portal on localhost, signed by {@code ca}. */
  static HeldCertificate serverCertificate(HeldCertificate ca) {
    try {
      return new HeldCertificate.Builder()
          .signedBy(ca)
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

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    close();
  }
}
