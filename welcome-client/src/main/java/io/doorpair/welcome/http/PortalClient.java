package io.doorpair.welcome.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.doorpair.crypto.tls.TlsMaterial;
import io.doorpair.welcome.api.ApiError;
import io.doorpair.welcome.api.CertificateResponse;
import io.doorpair.welcome.api.DeviceList;
import io.doorpair.welcome.api.PairRequest;
import io.doorpair.welcome.api.RenewRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * The Java client of the portal HTTPS API, shared by the gateway and the Welcome app. Immutable and
 * thread-safe; clients derived from one another ({@link #withIdentity}) share one connection pool
 * and dispatcher.
 *
 * <p>Trust: the server certificate must chain to the trust anchors (the system's by default) or to
 * the pinned portal CA. Once a CA is pinned, every CA certificate the portal returns ({@link
 * #pair}, {@link #renew}, {@link #caPem}) must equal it, else {@link PortalException} {@code
 * ca_changed}; and a CRL must be signed by it.
 *
 * <p>Errors: every method throws {@link PortalException} with the HTTP status and a stable code.
 * Response bodies are read up to 1 MiB.
 */
public final class PortalClient {
  /** Response bodies longer than this are refused ({@code bad_response}). */
  public static final long MAX_BODY_BYTES = 1024 * 1024;

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern SERIAL = Pattern.compile("[0-9a-f]{1,64}");
  private static final Pattern ERROR_CODE = Pattern.compile("[a-z0-9_]{1,64}");
  private static final int MAX_MESSAGE = 500;
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final HttpUrl base;
  private final OkHttpClient shared;
  private final OkHttpClient http;
  private final Optional<List<X509Certificate>> trustAnchors;
  private final Optional<X509Certificate> pinnedCa;
  private final boolean hasIdentity;
  private final SecureRandom random;

  private PortalClient(
      HttpUrl base,
      OkHttpClient shared,
      Optional<List<X509Certificate>> trustAnchors,
      Optional<X509Certificate> pinnedCa,
      Optional<Identity> identity,
      SecureRandom random) {
    this.base = base;
    this.shared = shared;
    this.trustAnchors = trustAnchors;
    this.pinnedCa = pinnedCa;
    this.hasIdentity = identity.isPresent();
    this.random = random;
    List<X509Certificate> anchors =
        new ArrayList<>(trustAnchors.orElseGet(TlsMaterial::systemTrustAnchors));
    pinnedCa.ifPresent(anchors::add);
    X509TrustManager trust = TlsMaterial.trustManager(anchors);
    Optional<X509KeyManager> keys =
        identity.map(id -> TlsMaterial.keyManager(id.key(), id.chain()));
    SSLContext tls = TlsMaterial.context(keys, trust);
    this.http = shared.newBuilder().sslSocketFactory(tls.getSocketFactory(), trust).build();
  }

  /**
   * Starts building a client.
   *
   * @param baseUrl the portal, {@code https://host[:port][/prefix]}
   * @return the builder
   * @throws IllegalArgumentException {@code baseUrl must be an https URL without query or fragment}
   */
  public static Builder builder(String baseUrl) {
    return new Builder(baseUrl);
  }

  /**
   * {@code POST /api/pair} with HTTP Digest: asks for a certificate for the CSR. The username is
   * lowercased (portal usernames are compared in lowercase).
   *
   * @param username the portal user (owner or user)
   * @param password the user's password; not modified, not kept after the call
   * @param csrPem the PKCS#10 request in PEM
   * @param friendlyName e.g. {@code Location: Loft} or {@code John's iphone}
   * @return the certificate, the CA certificate (checked against the pinned one, if any) and, for
   *     apps, the instance and GRUU
   * @throws PortalException e.g. status 401 for wrong credentials (after one attempt), 409 {@code
   *     domain_taken}, 429 when throttled
   */
  public CertificateResponse pair(
      String username, char[] password, String csrPem, String friendlyName) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    String user = username.toLowerCase(Locale.ROOT);
    if (!USERNAME.matcher(user).matches()) {
      throw new IllegalArgumentException("username must match [a-z0-9][a-z0-9._-]{0,63}");
    }
    RequestBody body = json(new PairRequest(csrPem, friendlyName));
    try (DigestAuthenticator digest = new DigestAuthenticator(user, password, random)) {
      OkHttpClient client = http.newBuilder().authenticator(digest).build();
      Request request = new Request.Builder().url(url("api/pair")).post(body).build();
      Answer answer = call(client, request);
      return checked(answer.status(), answer.json(CertificateResponse.class));
    }
  }

  /**
   * {@code POST /api/renew} over mutual TLS with the certificate to renew.
   *
   * @param csrPem the PKCS#10 request in PEM, same CN
   * @return the new certificate and the CA certificate (checked against the pinned one)
   * @throws IllegalStateException when this client has no identity
   * @throws PortalException on any failure
   */
  public CertificateResponse renew(String csrPem) {
    requireIdentity();
    Request request =
        new Request.Builder().url(url("api/renew")).post(json(new RenewRequest(csrPem))).build();
    Answer answer = call(http, request);
    return checked(answer.status(), answer.json(CertificateResponse.class));
  }

  /**
   * {@code GET /api/ca.pem}: the portal CA certificate.
   *
   * @return the PEM text, checked to hold a certificate equal to the pinned one, if any
   * @throws PortalException {@code ca_changed}, {@code bad_response}, ...
   */
  public String caPem() {
    Answer answer = call(http, new Request.Builder().url(url("api/ca.pem")).get().build());
    String pem = answer.text();
    X509Certificate ca = parseCertificate(answer.status(), pem, "CA certificate");
    checkPinned(answer.status(), ca);
    return pem;
  }

  /**
   * {@code GET /api/crl.pem}: the portal's certificate revocation list.
   *
   * @return the PEM text, checked to hold a CRL signed by the pinned CA, if any
   * @throws PortalException {@code bad_response} when it does not parse or verify
   */
  public String crlPem() {
    Answer answer = call(http, new Request.Builder().url(url("api/crl.pem")).get().build());
    String pem = answer.text();
    X509CRL crl;
    try {
      crl =
          (X509CRL)
              CertificateFactory.getInstance("X.509")
                  .generateCRL(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new PortalException(
          answer.status(), PortalException.BAD_RESPONSE, "the CRL does not parse", e);
    }
    if (pinnedCa.isPresent()) {
      try {
        crl.verify(pinnedCa.get().getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new PortalException(
            answer.status(),
            PortalException.BAD_RESPONSE,
            "the CRL is not signed by the pinned CA",
            e);
      }
    }
    return pem;
  }

  /**
   * {@code GET /api/devices} over mutual TLS: the user's certificates.
   *
   * @return the list
   * @throws IllegalStateException when this client has no identity
   * @throws PortalException on any failure
   */
  public DeviceList devices() {
    requireIdentity();
    Answer answer = call(http, new Request.Builder().url(url("api/devices")).get().build());
    return answer.json(DeviceList.class);
  }

  /**
   * {@code POST /api/devices/{serial}/revoke} over mutual TLS (a stolen phone).
   *
   * @param serialHex the certificate serial in hex, 1 to 64 digits (either case)
   * @throws IllegalArgumentException {@code serial must be 1 to 64 hex digits}
   * @throws IllegalStateException when this client has no identity
   * @throws PortalException on any failure
   */
  public void revokeDevice(String serialHex) {
    String serial = Objects.requireNonNull(serialHex, "serialHex").toLowerCase(Locale.ROOT);
    if (!SERIAL.matcher(serial).matches()) {
      throw new IllegalArgumentException("serial must be 1 to 64 hex digits");
    }
    requireIdentity();
    HttpUrl target =
        base.newBuilder()
            .addPathSegments("api/devices")
            .addPathSegment(serial)
            .addPathSegment("revoke")
            .build();
    call(
        http,
        new Request.Builder().url(target).post(RequestBody.create(new byte[0], null)).build());
  }

  /**
   * A client for the same portal presenting a certificate (mutual TLS) and pinning the portal CA;
   * it shares this client's connection pool.
   *
   * @param key the private key
   * @param chain its certificate first
   * @param pinnedCa the portal CA certificate, as returned at pairing
   * @return the derived client
   */
  public PortalClient withIdentity(
      PrivateKey key, List<X509Certificate> chain, X509Certificate pinnedCa) {
    return new PortalClient(
        base,
        shared,
        trustAnchors,
        Optional.of(Objects.requireNonNull(pinnedCa, "pinnedCa")),
        Optional.of(new Identity(key, chain)),
        random);
  }

  /**
   * The pinned portal CA, if any.
   *
   * @return the CA certificate
   */
  public Optional<X509Certificate> pinnedCa() {
    return pinnedCa;
  }

  // --- plumbing -----------------------------------------------------------------------------

  private record Identity(PrivateKey key, List<X509Certificate> chain) {
    Identity {
      Objects.requireNonNull(key, "key");
      chain = List.copyOf(chain);
    }

    @Override
    public String toString() {
      return "Identity[key=<redacted>, chain=" + chain.size() + " certificates]";
    }
  }

  /** A successful response: its status and body, already read. */
  private record Answer(int status, byte[] body) {
    <T> T json(Class<T> type) {
      T value;
      try {
        value = MAPPER.readValue(body, type);
      } catch (IOException e) {
        throw new PortalException(status, PortalException.BAD_RESPONSE, "malformed JSON", e);
      }
      if (value == null) {
        throw new PortalException(status, PortalException.BAD_RESPONSE, "malformed JSON");
      }
      return value;
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private HttpUrl url(String path) {
    return base.newBuilder().addPathSegments(path).build();
  }

  private static RequestBody json(Object value) {
    try {
      return RequestBody.create(MAPPER.writeValueAsBytes(value), JSON);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a wire record did not serialize", e);
    }
  }

  private void requireIdentity() {
    if (!hasIdentity) {
      throw new IllegalStateException(
          "this call needs a client certificate: use clientIdentity() or withIdentity()");
    }
  }

  private static Answer call(OkHttpClient client, Request request) {
    try (Response response = client.newCall(request).execute()) {
      byte[] body = readLimited(response);
      if (!response.isSuccessful()) {
        throw errorOf(response.code(), body);
      }
      return new Answer(response.code(), body);
    } catch (IOException e) {
      throw new PortalException(0, PortalException.IO, describe(e), e);
    }
  }

  private static byte[] readLimited(Response response) throws IOException {
    ResponseBody body = response.body();
    if (body == null) {
      return new byte[0];
    }
    if (body.contentLength() > MAX_BODY_BYTES) {
      throw tooLarge(response.code());
    }
    BufferedSource source = body.source();
    if (source.request(MAX_BODY_BYTES + 1)) {
      throw tooLarge(response.code());
    }
    return source.getBuffer().readByteArray();
  }

  private static PortalException tooLarge(int status) {
    return new PortalException(
        status, PortalException.BAD_RESPONSE, "response body larger than 1 MiB");
  }

  private static PortalException errorOf(int status, byte[] body) {
    try {
      ApiError error = MAPPER.readValue(body, ApiError.class);
      if (error != null && error.error() != null && ERROR_CODE.matcher(error.error()).matches()) {
        String message = error.message() == null ? "HTTP " + status : printable(error.message());
        return new PortalException(status, error.error(), message);
      }
    } catch (IOException notAnApiError) {
      // fall through to the generic code
    }
    return new PortalException(status, "http_" + status, "HTTP " + status);
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + printable(message));
  }

  /** At most 500 characters, control characters replaced: messages end up in logs. */
  private static String printable(String s) {
    String cut = s.length() > MAX_MESSAGE ? s.substring(0, MAX_MESSAGE) : s;
    StringBuilder sb = new StringBuilder(cut.length());
    cut.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return sb.toString();
  }

  private CertificateResponse checked(int status, CertificateResponse response) {
    if (response.certificate() == null || response.caCertificate() == null) {
      throw new PortalException(
          status, PortalException.BAD_RESPONSE, "certificate or ca_certificate missing");
    }
    X509Certificate certificate = parseCertificate(status, response.certificate(), "certificate");
    X509Certificate ca = parseCertificate(status, response.caCertificate(), "CA certificate");
    checkPinned(status, ca);
    try {
      certificate.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new PortalException(
          status, PortalException.BAD_RESPONSE, "the certificate is not signed by the CA", e);
    }
    return response;
  }

  private void checkPinned(int status, X509Certificate ca) {
    if (!pinnedCa.isPresent()) {
      return;
    }
    try {
      if (!Arrays.equals(pinnedCa.get().getEncoded(), ca.getEncoded())) {
        throw new PortalException(
            status, PortalException.CA_CHANGED, "the portal CA differs from the pinned one");
      }
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new PortalException(status, PortalException.BAD_RESPONSE, "unreadable CA", e);
    }
  }

  private static X509Certificate parseCertificate(int status, String pem, String what) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException | RuntimeException e) {
      throw new PortalException(
          status, PortalException.BAD_RESPONSE, "the " + what + " does not parse", e);
    }
  }

  /** Builds a {@link PortalClient}. */
  public static final class Builder {
    private static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

    private final HttpUrl base;
    private Optional<List<X509Certificate>> trustAnchors = Optional.empty();
    private Optional<X509Certificate> pinnedCa = Optional.empty();
    private Optional<Identity> identity = Optional.empty();
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;

    private Builder(String baseUrl) {
      HttpUrl url = HttpUrl.parse(Objects.requireNonNull(baseUrl, "baseUrl"));
      if (url == null || !url.isHttps() || url.query() != null || url.fragment() != null) {
        throw new IllegalArgumentException(
            "baseUrl must be an https URL without query or fragment");
      }
      this.base = url;
    }

    /**
     * Trusts these CAs for the server's certificate, instead of the system's (first contact with a
     * portal whose certificate is not from a public CA).
     *
     * @param anchors at least one CA certificate
     * @return this builder
     */
    public Builder trustAnchors(Collection<X509Certificate> anchors) {
      if (anchors.isEmpty()) {
        throw new IllegalArgumentException("at least one trust anchor is needed");
      }
      this.trustAnchors = Optional.of(List.copyOf(anchors));
      return this;
    }

    /**
     * Pins the portal CA (once paired): trusted for the server too, and every CA certificate the
     * portal returns must equal it.
     *
     * @param ca the portal CA certificate
     * @return this builder
     */
    public Builder pinnedCa(X509Certificate ca) {
      this.pinnedCa = Optional.of(Objects.requireNonNull(ca, "ca"));
      return this;
    }

    /**
     * The certificate to present (mutual TLS).
     *
     * @param key the private key
     * @param chain its certificate first
     * @return this builder
     */
    public Builder clientIdentity(PrivateKey key, List<X509Certificate> chain) {
      this.identity = Optional.of(new Identity(key, chain));
      return this;
    }

    /**
     * The deadline of one whole call, retries and digest round trips included. Default 30 s.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder callTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("callTimeout must be positive");
      }
      this.callTimeout = timeout;
      return this;
    }

    /**
     * Builds the client.
     *
     * @return the client
     */
    public PortalClient build() {
      OkHttpClient shared =
          new OkHttpClient.Builder()
              .callTimeout(callTimeout)
              .connectTimeout(Duration.ofSeconds(10))
              .followRedirects(false)
              .followSslRedirects(false)
              .build();
      return new PortalClient(base, shared, trustAnchors, pinnedCa, identity, new SecureRandom());
    }
  }
}
