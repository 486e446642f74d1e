package io.doorpair.welcome.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.doorpair.crypto.CertificateRequest;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.testing.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.net.ssl.SSLSocketFactory;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A portal whose answers the test writes, over HTTPS with a certificate of a test CA: by default a
 * well-behaved portal that issues what the CSR asks for; each path can be given a hostile answer
 * (garbage, truncated JSON, a certificate for another CN or key, another CA, an account whose
 * password does not decrypt). The real portal runs in e2e-tests; this one says what no real portal
 * would.
 */
final class ScriptedPortal implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SIP_DOMAIN = "portal.test";
  static final String DOMAIN = "k3x9abcd1234";

  final TestPki pki = TestPki.create("Portal CA");
  final MockWebServer server = new MockWebServer();
  private final SwitchableTls tls;
  private volatile TestPki issuer = pki;
  private final ConcurrentHashMap<String, Function<RecordedRequest, MockResponse>> answers =
      new ConcurrentHashMap<>();
  volatile UUID lastInstance;
  volatile java.security.PublicKey lastKey;

  ScriptedPortal() throws IOException {
    TestPki.Leaf server = pki.issueServer("localhost", "127.0.0.1");
    tls =
        new SwitchableTls(
            handshake(server, List.of(pki.caCertificate()), List.of(pki.caCertificate())));
    this.server.useHttps(tls, false);
    this.server.requestClientAuth();
    this.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String path = request.getRequestUrl().encodedPath();
            Function<RecordedRequest, MockResponse> answer = answers.get(path);
            if (answer != null) {
              return answer.apply(request);
            }
            if (path.equals("/api/pair")) {
              return json(200, issue(request, Optional.empty()));
            }
            return json(404, "{\"error\":\"not_found\",\"message\":\"no such path\"}");
          }
        });
    this.server.start();
  }

  /**
   * As a portal restarted after a CA rotation: new connections get {@code serverCertificate} and
   * the certificates after it in the TLS chain (a cross-certificate, or none), client certificates
   * of either CA accepted, and new certificates are issued by {@code next}. Same port (the URL in
   * the profile), the listening socket kept: only the TLS of the next handshakes changes.
   */
  void restart(TestPki next, TestPki.Leaf serverCertificate, X509Certificate... chain) {
    issuer = next;
    tls.use(
        handshake(
            serverCertificate, List.of(chain), List.of(pki.caCertificate(), next.caCertificate())));
  }

  private static SSLSocketFactory handshake(
      TestPki.Leaf tls, List<X509Certificate> chain, List<X509Certificate> clientCas) {
    HandshakeCertificates.Builder handshake =
        new HandshakeCertificates.Builder()
            .heldCertificate(
                new HeldCertificate(tls.keys(), tls.certificate()),
                chain.toArray(new X509Certificate[0]));
    clientCas.forEach(handshake::addTrustedCertificate);
    return handshake.build().sslSocketFactory();
  }

  /** The server's TLS, switchable between handshakes. */
  private static final class SwitchableTls extends SSLSocketFactory {
    private volatile SSLSocketFactory delegate;

    SwitchableTls(SSLSocketFactory delegate) {
      this.delegate = delegate;
    }

    void use(SSLSocketFactory next) {
      delegate = next;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose)
        throws IOException {
      return delegate.createSocket(s, host, port, autoClose);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return delegate.createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return delegate.createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return delegate.createSocket(host, port);
    }

    @Override
    public Socket createSocket(
        InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return delegate.createSocket(address, port, localAddress, localPort);
    }
  }

  String url() {
    return server.url("/").toString();
  }

  /** Answers {@code path} with {@code answer} from now on. */
  void answer(String path, Function<RecordedRequest, MockResponse> answer) {
    answers.put(path, answer);
  }

  /** A pairing answer for the CSR in the request; {@code commonName} overrides the CSR's. */
  String issue(RecordedRequest request, Optional<String> commonName) {
    try {
      JsonNode body = JSON.readTree(request.getBody().clone().readUtf8());
      CertificateRequest csr = CertificateRequest.parse(body.path("csr").asText());
      lastInstance = csr.instance().orElseThrow();
      lastKey = csr.publicKey();
      String cn = commonName.orElse(csr.commonName());
      TestPki ca = issuer;
      TestPki.Leaf leaf = ca.issueClient(cn, csr.instance(), new KeyPair(csr.publicKey(), null));
      ObjectNode answer = JSON.createObjectNode();
      answer.put("certificate", leaf.certificatePem());
      answer.put("ca_certificate", ca.caPem());
      answer.put("instance", "urn:uuid:" + lastInstance);
      answer.put(
          "gruu", "sip:" + csr.commonName() + ";gr=urn:uuid:" + csr.instance().orElseThrow());
      return JSON.writeValueAsString(answer);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** An approved status carrying {@code encryptedPassword} for the device paired last. */
  String approved(String encryptedPassword) {
    return "{\"request_id\":42,\"domain\":\""
        + DOMAIN
        + "\",\"status\":\"approved\",\"sip_username\":\"alice-7f3a\","
        + "\"encrypted_password\":\""
        + encryptedPassword
        + "\",\"gruu\":\"sip:alice@"
        + SIP_DOMAIN
        + ";gr=urn:uuid:"
        + lastInstance
        + "\",\"gateway_uri\":\"sip:ipgw@"
        + DOMAIN
        + "\",\"sip_domain\":\""
        + SIP_DOMAIN
        + "\"}";
  }

  static MockResponse json(int status, String body) {
    return new MockResponse()
        .setResponseCode(status)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }

  static String pemOf(java.security.cert.X509Certificate certificate) {
    return Pem.certificate(certificate);
  }

  @Override
  public void close() throws IOException {
    server.shutdown();
  }
}
