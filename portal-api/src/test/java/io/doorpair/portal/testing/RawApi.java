package io.doorpair.portal.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.doorpair.crypto.tls.TlsMaterial;
import io.doorpair.portal.http.Json;
import io.doorpair.welcome.http.DigestAuthenticator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Raw HTTPS requests to a test portal, for the cases the real client refuses to send: wrong content
 * types, oversized bodies, unknown fields, hostile CSRs.
 */
public final class RawApi {
  private static final ExecutorService BACKGROUND =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "raw-api-long-poll");
            thread.setDaemon(true);
            return thread;
          });

  private final String baseUrl;
  private final OkHttpClient client;

  /** A raw exchange's outcome. */
  public record Exchange(int status, String body, Headers headers) {}

  /** The body of {@code exchange} read as JSON; a body that is not JSON fails the test. */
  public static JsonNode json(Exchange exchange) {
    try {
      return Json.MAPPER.readTree(exchange.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + exchange.body(), e);
    }
  }

  /** The answer to a request sent with {@link #getLater}, failing after {@link Await#DEADLINE}. */
  public static Exchange answer(CompletableFuture<Exchange> pending) throws Exception {
    return pending.get(Await.DEADLINE.toSeconds(), TimeUnit.SECONDS);
  }

  private RawApi(String baseUrl, OkHttpClient client) {
    this.baseUrl = baseUrl;
    this.client = client;
  }

  /** Requests with digest credentials. */
  public static RawApi withDigest(PortalExtension portal, String user, String password) {
    return new RawApi(
        portal.url(),
        base(portal, Optional.empty())
            .authenticator(
                new DigestAuthenticator(
                    user, password.toCharArray(), new java.security.SecureRandom()))
            .build());
  }

  /** Requests with a client certificate. */
  public static RawApi withCertificate(
      PortalExtension portal, PrivateKey key, List<X509Certificate> chain) {
    return new RawApi(
        portal.url(), base(portal, Optional.of(TlsMaterial.keyManager(key, chain))).build());
  }

  /**
   * Requests that present this certificate whatever issuers the server asks for, as a hostile
   * client would (the JDK's own key manager sends nothing when the issuer does not match).
   */
  public static RawApi forcingCertificate(
      PortalExtension portal, PrivateKey key, List<X509Certificate> chain) {
    X509KeyManager keys = TlsMaterial.keyManager(key, chain);
    return new RawApi(portal.url(), base(portal, Optional.of(new Insistent(keys))).build());
  }

  /**
   * Requests to {@code baseUrl} from a client that trusts only {@code pinned} (a device that pinned
   * the portal CA at pairing) and presents {@code chain} whatever issuers the server asks for.
   */
  public static RawApi pinned(
      String baseUrl, X509Certificate pinned, PrivateKey key, List<X509Certificate> chain) {
    X509KeyManager keys = new Insistent(TlsMaterial.keyManager(key, chain));
    return new RawApi(baseUrl, base(pinned, Optional.of(keys)).build());
  }

  /**
   * Requests to {@code baseUrl} without credentials from a client that trusts only {@code pinned}.
   */
  public static RawApi pinnedAnonymous(String baseUrl, X509Certificate pinned) {
    return new RawApi(baseUrl, base(pinned, Optional.empty()).build());
  }

  /** Digest requests to {@code baseUrl} from a client that trusts only {@code pinned}. */
  public static RawApi pinnedWithDigest(
      String baseUrl, X509Certificate pinned, String user, String password) {
    return new RawApi(
        baseUrl,
        base(pinned, Optional.empty())
            .authenticator(
                new DigestAuthenticator(
                    user, password.toCharArray(), new java.security.SecureRandom()))
            .build());
  }

  /** A key manager that offers its only key for any issuer list. */
  private static final class Insistent extends javax.net.ssl.X509ExtendedKeyManager {
    private final X509KeyManager delegate;
    private final String alias;

    Insistent(X509KeyManager delegate) {
      this.delegate = delegate;
      this.alias = delegate.getClientAliases("RSA", null)[0];
    }

    @Override
    public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
      return new String[] {alias};
    }

    @Override
    public String chooseClientAlias(
        String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
      return alias;
    }

    @Override
    public String chooseEngineClientAlias(
        String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
      return alias;
    }

    @Override
    public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(
        String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String name) {
      return delegate.getCertificateChain(name);
    }

    @Override
    public PrivateKey getPrivateKey(String name) {
      return delegate.getPrivateKey(name);
    }
  }

  /** Requests with neither. */
  public static RawApi anonymous(PortalExtension portal) {
    return new RawApi(portal.url(), base(portal, Optional.empty()).build());
  }

  private static OkHttpClient.Builder base(PortalExtension portal, Optional<X509KeyManager> keys) {
    return base(portal.portal().caCertificate(), keys);
  }

  private static OkHttpClient.Builder base(X509Certificate pinned, Optional<X509KeyManager> keys) {
    X509TrustManager trust = TlsMaterial.trustManager(List.of(pinned));
    SSLContext context = TlsMaterial.context(keys, trust);
    return new OkHttpClient.Builder()
        .sslSocketFactory(context.getSocketFactory(), trust)
        .retryOnConnectionFailure(false)
        // Long-polls wait up to 60 s; the test's own deadlines guard against hangs.
        .readTimeout(Duration.ofSeconds(90))
        .callTimeout(Duration.ofSeconds(120));
  }

  public Exchange post(String path, String contentType, String body) {
    return send(
        new Request.Builder()
            .url(baseUrl + path)
            .post(RequestBody.create(body, MediaType.get(contentType))));
  }

  public Exchange postJson(String path, String json) {
    return post(path, "application/json", json);
  }

  public Exchange get(String path) {
    return send(new Request.Builder().url(baseUrl + path).get());
  }

  /** A GET sent on another thread, for long-polls: the future completes with its answer. */
  public CompletableFuture<Exchange> getLater(String path) {
    return CompletableFuture.supplyAsync(() -> get(path), BACKGROUND);
  }

  public Exchange put(String path) {
    return send(new Request.Builder().url(baseUrl + path).put(RequestBody.create(new byte[0])));
  }

  public Exchange delete(String path) {
    return send(new Request.Builder().url(baseUrl + path).delete());
  }

  private Exchange send(Request.Builder request) {
    try (Response response = client.newCall(request.build()).execute()) {
      return new Exchange(response.code(), response.body().string(), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
