package io.doorpair.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.doorpair.ca.CertificateAuthority;
import io.doorpair.ca.IssuedCertificate;
import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.RsaKeys;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.SipPasswordCipher;
import io.doorpair.crypto.tls.TlsMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A hostile portal between a gateway and the real portal: the threat the security code exists for.
 * It holds the portal CA's key (a compromised portal does), so the gateway's TLS to it succeeds,
 * and it relays the gateway's calls to the real portal, except that:
 *
 * <ul>
 *   <li>on the channel (step 6, the request the gateway sees) it replaces the app's certificate by
 *       one for the same CN and instance but for a key the attacker holds;
 *   <li>on the approval (step 9) it decrypts the SIP password encrypted to that key (stealing it),
 *       re-encrypts it to the app's real key and passes it on, so that the app receives a working
 *       account and suspects nothing.
 * </ul>
 *
 * For the upstream leg it presents the gateway's own certificate: plumbing that lets the test reuse
 * the real portal as the rest of the hostile one, not a power the attack relies on.
 */
final class HostilePortal implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final Pattern APPROVE = Pattern.compile("/api/gateway/requests/(\\d+)/approve");

  private final String upstream;
  private final CertificateAuthority stolenCa;
  private final KeyPair attackerKeys;
  private final OkHttpClient client;
  private final HttpsServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(8);
  private final Map<Long, PublicKey> appKeys = new ConcurrentHashMap<>();
  private final Map<Long, String> forged = new ConcurrentHashMap<>();
  private final Map<Long, SipPassword> stolen = new ConcurrentHashMap<>();

  HostilePortal(
      String upstream,
      CertificateAuthority stolenCa,
      X509Certificate ca,
      PrivateKey gatewayKey,
      X509Certificate gatewayCertificate,
      KeyPair attackerKeys)
      throws IOException {
    this.upstream =
        upstream.endsWith("/") ? upstream.substring(0, upstream.length() - 1) : upstream;
    this.stolenCa = stolenCa;
    this.attackerKeys = attackerKeys;
    SSLContext upstreamTls =
        TlsMaterial.context(
            Optional.of(TlsMaterial.keyManager(gatewayKey, List.of(gatewayCertificate))),
            TlsMaterial.trustManager(List.of(ca)));
    this.client =
        new OkHttpClient.Builder()
            .sslSocketFactory(upstreamTls.getSocketFactory(), TlsMaterial.trustManager(List.of(ca)))
            .readTimeout(90, TimeUnit.SECONDS)
            .callTimeout(120, TimeUnit.SECONDS)
            .build();
    KeyPair serverKeys = RsaKeys.generate(2048);
    IssuedCertificate serverCertificate =
        stolenCa.issueServer(serverKeys.getPublic(), List.of("localhost"), List.of("127.0.0.1"));
    SSLContext serverTls =
        TlsMaterial.context(
            Optional.of(
                TlsMaterial.keyManager(
                    serverKeys.getPrivate(), List.of(serverCertificate.certificate(), ca))),
            TlsMaterial.trustManager(List.of(ca)));
    this.server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    server.setExecutor(threads);
    server.createContext("/", this::relay);
    server.start();
  }

  /** The URL the gateway is given instead of the portal's. */
  String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /** The SIP password the attacker decrypted for a request, if it got that far. */
  Optional<SipPassword> stolenPassword(long requestId) {
    return Optional.ofNullable(stolen.get(requestId));
  }

  /** The certificate the attacker made for a request (its key is the attacker's), if any. */
  Optional<X509Certificate> forgedCertificate(long requestId) {
    return Optional.ofNullable(forged.get(requestId)).map(Pem::parseCertificate);
  }

  /** Whether the gateway was shown a forged certificate for this request. */
  boolean forged(long requestId) {
    return forged.containsKey(requestId);
  }

  private void relay(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = readAll(exchange.getRequestBody());
      String path = exchange.getRequestURI().getRawPath();
      String query = exchange.getRequestURI().getRawQuery();
      Matcher approve = APPROVE.matcher(path);
      if (approve.matches()) {
        body = reencrypt(Long.parseLong(approve.group(1)), body);
      }
      Request.Builder up =
          new Request.Builder().url(upstream + path + (query == null ? "" : "?" + query));
      String method = exchange.getRequestMethod();
      RequestBody requestBody =
          method.equals("GET") || method.equals("HEAD")
              ? null
              : RequestBody.create(body, JSON_TYPE);
      up.method(method, requestBody);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization != null) {
        up.header("Authorization", authorization);
      }
      try (Response response = client.newCall(up.build()).execute()) {
        byte[] answer = response.body() == null ? new byte[0] : response.body().bytes();
        if (path.equals("/api/gateway/channel") && response.code() == 200) {
          answer = forgeCertificates(answer);
        }
        for (String h : List.of("Content-Type", "WWW-Authenticate")) {
          for (String v : response.headers(h)) {
            exchange.getResponseHeaders().add(h, v);
          }
        }
        exchange.sendResponseHeaders(response.code(), answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      exchange.sendResponseHeaders(502, -1);
    }
  }

  /** Step 6 as the gateway sees it: the app's certificate replaced by the attacker's. */
  private byte[] forgeCertificates(byte[] page) throws IOException {
    JsonNode tree = JSON.readTree(page);
    for (JsonNode item : tree.path("items")) {
      JsonNode request = item.path("request");
      if (!request.isObject() || !request.hasNonNull("certificate")) {
        continue;
      }
      long id = request.path("request_id").asLong();
      X509Certificate real = Pem.parseCertificate(request.path("certificate").asText());
      appKeys.putIfAbsent(id, real.getPublicKey());
      String fake =
          forged.computeIfAbsent(
              id,
              k -> {
                CertificateIdentity who = CertificateIdentity.of(real);
                return stolenCa
                    .issueClient(attackerKeys.getPublic(), who.commonName(), who.instance())
                    .pem();
              });
      ((ObjectNode) request).put("certificate", fake);
    }
    return JSON.writeValueAsBytes(tree);
  }

  /** Step 9: steal the password, pass it on to the app encrypted to its real key. */
  private byte[] reencrypt(long requestId, byte[] body) throws IOException {
    ObjectNode approval = (ObjectNode) JSON.readTree(body);
    PublicKey appKey = appKeys.get(requestId);
    if (appKey == null) {
      return body;
    }
    SipPassword password =
        SipPasswordCipher.decrypt(
            approval.path("encrypted_password").asText(), attackerKeys.getPrivate());
    stolen.put(requestId, password);
    approval.put("encrypted_password", SipPasswordCipher.encrypt(password, appKey));
    return JSON.writeValueAsBytes(approval);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
