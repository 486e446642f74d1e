package io.doorpair.welcome.http;

import com.fasterxml.jackson.core.type.TypeReference;
import io.doorpair.crypto.tls.TlsMaterial;
import io.doorpair.welcome.api.AccessStatus;
import io.doorpair.welcome.api.ApproveRequest;
import io.doorpair.welcome.api.CertificateResponse;
import io.doorpair.welcome.api.ChannelPage;
import io.doorpair.welcome.api.DenyRequest;
import io.doorpair.welcome.api.DeviceList;
import io.doorpair.welcome.api.EventBatch;
import io.doorpair.welcome.api.EventBatchResult;
import io.doorpair.welcome.api.EventPage;
import io.doorpair.welcome.api.GuestInfo;
import io.doorpair.welcome.api.JoinableGateway;
import io.doorpair.welcome.api.PairRequest;
import io.doorpair.welcome.api.PostedEvent;
import io.doorpair.welcome.api.RenewRequest;
import io.doorpair.welcome.api.VoidRequest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The Java client of the portal HTTPS API, shared by the gateway and the Welcome app: pairing with
 * HTTP Digest at first contact, then every endpoint of {@code docs/access-flow.md} over mutual TLS.
 * Immutable and thread-safe; clients derived from one another ({@link #withIdentity}) share one
 * connection pool and dispatcher.
 *
 * <p>Trust: the server certificate must chain to the trust anchors (the system's by default) or to
 * the pinned portal CA. Once a CA is pinned, every CA certificate the portal returns ({@link
 * #pair}, {@link #renew}, {@link #caPem}) must equal it, else {@link PortalException} {@code
 * ca_changed}; and a CRL must be signed by it. The one exception is a renewal during a portal CA
 * rotation, proven by a cross-certificate from the pinned CA in the same TLS session ({@link
 * #renew}).
 *
 * <p>Errors: every method throws {@link PortalException} with the HTTP status and a stable code:
 * for a status of 400 or more, the portal's own {@code error} code (e.g. {@code not_joinable},
 * {@code bad_cursor}); otherwise one of the client's codes ({@link PortalException#IO}, {@link
 * PortalException#TIMEOUT}, {@link PortalException#CANCELLED}, {@link
 * PortalException#BAD_RESPONSE}, {@link PortalException#CA_CHANGED}). Arguments that could never
 * make a valid request (a malformed DOMAIN, a limit out of range) are refused with {@link
 * IllegalArgumentException} before anything is sent. Response bodies are read up to 1 MiB.
 *
 * <p>Answers: typed immutable records of {@link io.doorpair.welcome.api}. Required fields must be
 * present and well typed, or the answer is {@code bad_response}; fields this client does not know
 * are ignored and enum values it does not know read as {@code UNKNOWN}, so that a newer portal may
 * add to its answers without breaking deployed apps and gateways.
 *
 * <p>Timeouts: every call has the builder's {@linkplain Builder#callTimeout call timeout}; a
 * long-poll ({@code wait} present) gets that timeout <em>plus</em> the wait, so that a portal that
 * holds the call for the whole wait is never cut off by the client.
 *
 * <p>Cancellation: every method blocks the calling thread and responds to {@linkplain
 * Thread#interrupt() interruption}: the HTTP call is cancelled at once (a held long-poll too) and
 * the method throws {@link PortalException} {@link PortalException#CANCELLED}, leaving the thread's
 * interrupt flag set. So {@code Future.cancel(true)}, {@code ExecutorService.shutdownNow()} or a
 * plain {@code interrupt()} from another thread ends a call. A call cancelled while the portal was
 * acting on it (an approval, an event batch) may or may not have taken effect: every write of the
 * API is safe to repeat.
 *
 * <p>Android: Java 17 bytecode without JDK-only APIs (no {@code javax.naming}, no Java 9+ instance
 * methods of {@code java.time}); needs API level 26 for {@code java.time}.
 */
public final class PortalClient {
  /** Response bodies longer than this are refused ({@code bad_response}). */
  public static final long MAX_BODY_BYTES = 1024 * 1024;

  /** The page size of {@link #events} and {@link #channel} when the portal picks it. */
  public static final int DEFAULT_LIMIT = 100;

  private static final Pattern SERIAL = Pattern.compile("[0-9a-f]{1,64}");
  private static final TypeReference<List<JoinableGateway>> JOINABLE = new TypeReference<>() {};
  private static final TypeReference<List<GuestInfo>> GUESTS = new TypeReference<>() {};

  private final HttpUrl base;
  private final OkHttpClient shared;
  private final OkHttpClient http;
  private final Optional<List<X509Certificate>> trustAnchors;
  private final Optional<X509Certificate> pinnedCa;
  private final CertificateChecks certificates;
  private final boolean hasIdentity;
  private final Optional<X509Certificate> ownCertificate;
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
    this.certificates = new CertificateChecks(pinnedCa);
    this.hasIdentity = identity.isPresent();
    this.ownCertificate = identity.flatMap(id -> id.chain().stream().findFirst());
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

  // --- pairing and certificates -------------------------------------------------------------

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
    String user = Arguments.username(username);
    Objects.requireNonNull(password, "password");
    RequestBody body = WireJson.body(new PairRequest(csrPem, friendlyName));
    try (DigestAuthenticator digest = new DigestAuthenticator(user, password, random)) {
      OkHttpClient client = http.newBuilder().authenticator(digest).build();
      Answer answer = Transport.call(client, post(url("api/pair"), body));
      return certificates.issued(answer.status(), answer.json(CertificateResponse.class));
    }
  }

  /**
   * {@code POST /api/renew} over mutual TLS with the certificate to renew.
   *
   * <p>A portal CA rotation: when the answer's {@code ca_certificate} differs from the pinned CA,
   * it is accepted only if the TLS session that carried this answer presented a certificate of the
   * new CA (same subject and key) signed by the pinned CA, the new certificate is signed by the new
   * CA and keeps this client's CN and instance ({@code docs/ca-rotation.md}); otherwise {@code
   * ca_changed}. The caller then stores the new certificate and CA together and pins the new CA
   * from then on (a client made with {@link #withIdentity}).
   *
   * @param csrPem the PKCS#10 request in PEM, same CN
   * @return the new certificate and the CA certificate: the pinned one, or a new one checked as
   *     above
   * @throws IllegalStateException when this client has no identity
   * @throws PortalException on any failure
   */
  public CertificateResponse renew(String csrPem) {
    requireIdentity();
    Answer answer =
        Transport.call(http, post(url("api/renew"), WireJson.body(new RenewRequest(csrPem))));
    return certificates.renewed(
        answer.status(),
        answer.json(CertificateResponse.class),
        ownCertificate.orElseThrow(),
        answer.peerChain());
  }

  /**
   * {@code GET /api/ca.pem}: the portal CA certificate.
   *
   * @return the PEM text, checked to hold a certificate equal to the pinned one, if any
   * @throws PortalException {@code ca_changed}, {@code bad_response}, ...
   */
  public String caPem() {
    Answer answer = Transport.call(http, get(url("api/ca.pem")));
    String pem = answer.text();
    certificates.caPem(answer.status(), pem);
    return pem;
  }

  /**
   * {@code GET /api/crl.pem}: the portal's certificate revocation list.
   *
   * @return the PEM text, checked to hold a CRL signed by the pinned CA, if any
   * @throws PortalException {@code bad_response} when it does not parse or verify
   */
  public String crlPem() {
    Answer answer = Transport.call(http, get(url("api/crl.pem")));
    String pem = answer.text();
    certificates.crlPem(answer.status(), pem);
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
    return Transport.call(http, get(url("api/devices"))).json(DeviceList.class);
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
    HttpUrl target = url("api/devices").newBuilder().addPathSegment(serial).build();
    target = target.newBuilder().addPathSegment("revoke").build();
    Transport.call(http, post(target, emptyBody()));
  }

  // --- app side (app certificate) -----------------------------------------------------------

  /**
   * {@code GET /api/joinable_gateways}: the gateways this user owns or was invited to.
   *
   * @return owner's first; empty when none
   * @throws IllegalStateException when this client has no identity
   * @throws PortalException e.g. 403 {@code wrong_certificate_kind} with a gateway certificate
   */
  public List<JoinableGateway> joinableGateways() {
    requireIdentity();
    return List.copyOf(Transport.call(http, get(url("api/joinable_gateways"))).json(JOINABLE));
  }

  /**
   * {@code GET /api/create_sip_account/DOMAIN}: asks the gateway for a SIP account for this device.
   * Idempotent: while this device's request on that gateway is pending or approved, the same one is
   * returned; after a denial or a void, a new one is made.
   *
   * @param domain the gateway DOMAIN
   * @return the request's status object
   * @throws IllegalArgumentException {@code domain must be 12 characters of [a-z0-9]}
   * @throws IllegalStateException when this client has no identity
   * @throws PortalException e.g. 403 {@code not_joinable}, 404 {@code unknown_gateway}
   */
  public AccessStatus createSipAccount(String domain) {
    String d = Arguments.domain(domain);
    requireIdentity();
    Answer answer = Transport.call(http, get(url("api/create_sip_account", d)));
    return AnswerChecks.forDomain(answer.status(), d, answer.json(AccessStatus.class));
  }

  /**
   * {@code GET /api/get_approved_account/DOMAIN[?wait=SECONDS]}: this device's newest request on
   * the gateway. With a wait, the portal holds the call while the request is pending, until it is
   * decided or the wait ends; the answer may then still be pending.
   *
   * @param domain the gateway DOMAIN
   * @param wait 1 to 60 seconds (a fraction is rounded up), or empty for an immediate answer
   * @return the status object; decrypt an approved account's password with {@code
   *     io.doorpair.crypto.SipPasswordCipher} and this device's private key
   * @throws IllegalArgumentException for a malformed DOMAIN or a wait out of range
   * @throws IllegalStateException when this client has no identity
   * @throws PortalException e.g. 404 {@code no_request}, 403 {@code not_joinable}
   */
  public AccessStatus approvedAccount(String domain, Optional<Duration> wait) {
    String d = Arguments.domain(domain);
    Optional<Integer> seconds = Arguments.waitSeconds(wait);
    requireIdentity();
    HttpUrl.Builder target = url("api/get_approved_account", d).newBuilder();
    seconds.ifPresent(s -> target.addQueryParameter("wait", Integer.toString(s)));
    Answer answer = Transport.call(waiting(seconds), get(target.build()));
    return AnswerChecks.forDomain(answer.status(), d, answer.json(AccessStatus.class));
  }

  /**
   * {@code GET /api/events}: events of the gateways this user sees, after the cursor. With a wait
   * and nothing new, the portal holds the call until events arrive or the wait ends.
   *
   * @param cursor the cursor of the previous page, or empty to start at the beginning
   * @param wait 1 to 60 seconds (a fraction is rounded up), or empty for an immediate answer
   * @param limit at most this many events, 1 to 500 ({@link #DEFAULT_LIMIT} is the portal's
   *     default)
   * @return the events and the cursor to pass next time
   * @throws IllegalArgumentException for a cursor that is not base64url text, a wait or a limit out
   *     of range
   * @throws IllegalStateException when this client has no identity
   * @throws PortalException e.g. 400 {@code bad_cursor}
   */
  public EventPage events(Optional<String> cursor, Optional<Duration> wait, int limit) {
    Optional<String> c = Arguments.eventsCursor(cursor);
    Optional<Integer> seconds = Arguments.waitSeconds(wait);
    int n = Arguments.limit(limit);
    requireIdentity();
    HttpUrl.Builder target = url("api/events").newBuilder();
    c.ifPresent(value -> target.addQueryParameter("cursor", value));
    seconds.ifPresent(s -> target.addQueryParameter("wait", Integer.toString(s)));
    target.addQueryParameter("limit", Integer.toString(n));
    return Transport.call(waiting(seconds), get(target.build())).json(EventPage.class);
  }

  /**
   * {@code GET /api/gateways/DOMAIN/guests}: the guests of a gateway this user owns.
   *
   * @param domain the gateway DOMAIN
   * @return the guests
   * @throws IllegalArgumentException for a malformed DOMAIN
   * @throws IllegalStateException when this client has no identity
   * @throws PortalException e.g. 403 {@code not_owner}
   */
  public List<GuestInfo> guests(String domain) {
    String d = Arguments.domain(domain);
    requireIdentity();
    return List.copyOf(Transport.call(http, get(guestsUrl(d))).json(GUESTS));
  }

  /**
   * {@code PUT /api/gateways/DOMAIN/guests/USER}: the owner invites a user to a gateway.
   *
   * @param domain the gateway DOMAIN
   * @param username the user to invite (lowercased)
   * @return {@code true} when invited now ({@code 201}), {@code false} when already a guest
   * @throws IllegalArgumentException for a malformed DOMAIN or username
   * @throws IllegalStateException when this client has no identity
   * @throws PortalException e.g. 404 {@code unknown_user}, 400 {@code owner_cannot_be_guest}, 403
   *     {@code not_owner}
   */
  public boolean inviteGuest(String domain, String username) {
    String d = Arguments.domain(domain);
    String user = Arguments.username(username);
    requireIdentity();
    HttpUrl target = guestsUrl(d).newBuilder().addPathSegment(user).build();
    Answer answer =
        Transport.call(http, new Request.Builder().url(target).put(emptyBody()).build());
    return answer.status() == 201;
  }

  /**
   * {@code DELETE /api/gateways/DOMAIN/guests/USER}: the owner removes a guest; the guest's pending
   * requests on that gateway are voided.
   *
   * @param domain the gateway DOMAIN
   * @param username the guest (lowercased)
   * @throws IllegalArgumentException for a malformed DOMAIN or username
   * @throws IllegalStateException when this client has no identity
   * @throws PortalException e.g. 404 {@code not_a_guest}, 403 {@code not_owner}
   */
  public void removeGuest(String domain, String username) {
    String d = Arguments.domain(domain);
    String user = Arguments.username(username);
    requireIdentity();
    HttpUrl target = guestsUrl(d).newBuilder().addPathSegment(user).build();
    Transport.call(http, new Request.Builder().url(target).delete().build());
  }

  // --- gateway side (gateway certificate) ---------------------------------------------------

  /**
   * {@code GET /api/gateway/channel}: the gateway's channel items after {@code cursor}. With a wait
   * and nothing new, the portal holds the call until an item arrives or the wait ends. The answer
   * is checked: items after the cursor in increasing order, next cursor not before the last item.
   *
   * @param cursor the last seq processed (0 at first); keep it on disk
   * @param wait 1 to 60 seconds (a fraction is rounded up), or empty for an immediate answer
   * @param limit at most this many items, 1 to 500
   * @return the items and the cursor to pass next time
   * @throws IllegalArgumentException for a negative cursor, a wait or a limit out of range
   * @throws IllegalStateException when this client has no identity
   * @throws PortalException e.g. 400 {@code bad_cursor}, 403 {@code wrong_certificate_kind}
   */
  public ChannelPage channel(long cursor, Optional<Duration> wait, int limit) {
    long c = Arguments.channelCursor(cursor);
    Optional<Integer> seconds = Arguments.waitSeconds(wait);
    int n = Arguments.limit(limit);
    requireIdentity();
    HttpUrl.Builder target = url("api/gateway/channel").newBuilder();
    target.addQueryParameter("cursor", Long.toString(c));
    seconds.ifPresent(s -> target.addQueryParameter("wait", Integer.toString(s)));
    target.addQueryParameter("limit", Integer.toString(n));
    Answer answer = Transport.call(waiting(seconds), get(target.build()));
    return AnswerChecks.channel(answer.status(), c, answer.json(ChannelPage.class));
  }

  /**
   * {@code POST /api/gateway/requests/ID/approve}: sends the app its account.
   *
   * @param requestId the request, as the channel carried it
   * @param sipUsername the account's username on the gateway
   * @param encryptedPassword the SIP password encrypted to the request's certificate ({@code
   *     io.doorpair.crypto.SipPasswordCipher})
   * @param gruu the request's GRUU, as the channel carried it
   * @return the request's status object, now approved
   * @throws IllegalArgumentException for a request id that is not positive
   * @throws IllegalStateException when this client has no identity
   * @throws PortalException e.g. 409 {@code not_pending}, 400 {@code bad_gruu}, 400 {@code
   *     bad_ciphertext}, 404 {@code unknown_request}, 403 {@code not_your_request}
   */
  public AccessStatus approve(
      long requestId, String sipUsername, String encryptedPassword, String gruu) {
    long id = Arguments.requestId(requestId);
    ApproveRequest body =
        new ApproveRequest(
            Objects.requireNonNull(sipUsername, "sipUsername"),
            Objects.requireNonNull(encryptedPassword, "encryptedPassword"),
            Objects.requireNonNull(gruu, "gruu"));
    requireIdentity();
    Answer answer = Transport.call(http, post(decisionUrl(id, "approve"), WireJson.body(body)));
    return AnswerChecks.forRequest(answer.status(), id, answer.json(AccessStatus.class));
  }

  /**
   * {@code POST /api/gateway/requests/ID/deny}: refuses the request.
   *
   * @param requestId the request, as the channel carried it
   * @return the request's status object, now denied
   * @throws IllegalArgumentException for a request id that is not positive
   * @throws IllegalStateException when this client has no identity
   * @throws PortalException e.g. 409 {@code not_pending}, 404 {@code unknown_request}
   */
  public AccessStatus deny(long requestId) {
    long id = Arguments.requestId(requestId);
    requireIdentity();
    Answer answer =
        Transport.call(http, post(decisionUrl(id, "deny"), WireJson.body(new DenyRequest())));
    return AnswerChecks.forRequest(answer.status(), id, answer.json(AccessStatus.class));
  }

  /**
   * {@code POST /api/gateway/requests/ID/void}: takes back a pending or approved request (the
   * security code was typed wrong too often, or the owner removed the device): the app's {@code
   * get_approved_account} then answers {@code void} without the encrypted password, and its next
   * {@code create_sip_account} makes a new request. Safe to repeat: a request already void answers
   * its status again.
   *
   * @param requestId the request, as the channel carried it
   * @return the request's status object, now void
   * @throws IllegalArgumentException for a request id that is not positive
   * @throws IllegalStateException when this client has no identity
   * @throws PortalException e.g. 409 {@code not_voidable} (denied), 404 {@code unknown_request},
   *     403 {@code not_your_request}
   */
  public AccessStatus voidRequest(long requestId) {
    long id = Arguments.requestId(requestId);
    requireIdentity();
    Answer answer =
        Transport.call(http, post(decisionUrl(id, "void"), WireJson.body(new VoidRequest())));
    return AnswerChecks.forRequest(answer.status(), id, answer.json(AccessStatus.class));
  }

  /**
   * {@code POST /api/gateway/events}: posts a batch of events. Safe to repeat after a lost answer:
   * ids already stored for this gateway are skipped.
   *
   * @param events 1 to 100 events, ids of 1-64 characters of {@code [A-Za-z0-9._:-]}, payloads of
   *     at most 4096 bytes
   * @return how many were stored and how many were duplicates
   * @throws IllegalArgumentException when the batch breaks one of those limits
   * @throws IllegalStateException when this client has no identity
   * @throws PortalException e.g. 400 when the portal refuses an event (nothing is stored then)
   */
  public EventBatchResult postEvents(List<PostedEvent> events) {
    List<PostedEvent> batch = Arguments.events(events);
    requireIdentity();
    Answer answer =
        Transport.call(http, post(url("api/gateway/events"), WireJson.body(new EventBatch(batch))));
    return answer.json(EventBatchResult.class);
  }

  // --- derived clients ----------------------------------------------------------------------

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
   * The portal this client speaks to.
   *
   * @return its base URL, e.g. {@code https://portal.example:8443/}
   */
  public String baseUrl() {
    return base.toString();
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

  /**
   * The client for a call that may be held for {@code waitSeconds}: the call and read timeouts
   * extended by the wait.
   */
  OkHttpClient waiting(Optional<Integer> waitSeconds) {
    if (!waitSeconds.isPresent()) {
      return http;
    }
    long extra = TimeUnit.SECONDS.toMillis(waitSeconds.get());
    return http.newBuilder()
        .callTimeout(http.callTimeoutMillis() + extra, TimeUnit.MILLISECONDS)
        .readTimeout(http.readTimeoutMillis() + extra, TimeUnit.MILLISECONDS)
        .build();
  }

  private HttpUrl url(String path) {
    return base.newBuilder().addPathSegments(path).build();
  }

  private HttpUrl url(String path, String segment) {
    return base.newBuilder().addPathSegments(path).addPathSegment(segment).build();
  }

  private HttpUrl guestsUrl(String domain) {
    return url("api/gateways", domain).newBuilder().addPathSegment("guests").build();
  }

  private HttpUrl decisionUrl(long requestId, String decision) {
    return url("api/gateway/requests", Long.toString(requestId))
        .newBuilder()
        .addPathSegment(decision)
        .build();
  }

  private static Request get(HttpUrl url) {
    return new Request.Builder().url(url).get().build();
  }

  private static Request post(HttpUrl url, RequestBody body) {
    return new Request.Builder().url(url).post(body).build();
  }

  private static RequestBody emptyBody() {
    return RequestBody.create(new byte[0], null);
  }

  private void requireIdentity() {
    if (!hasIdentity) {
      throw new IllegalStateException(
          "this call needs a client certificate: use clientIdentity() or withIdentity()");
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
     * The deadline of one whole call, retries and digest round trips included, and the longest
     * silence while reading an answer. Default 30 s. A long-poll adds its wait to both.
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
              .dispatcher(Transport.newDispatcher())
              .socketFactory(new NoDelaySocketFactory())
              .callTimeout(callTimeout)
              .readTimeout(callTimeout)
              .connectTimeout(Duration.ofSeconds(10))
              .followRedirects(false)
              .followSslRedirects(false)
              .build();
      return new PortalClient(base, shared, trustAnchors, pinnedCa, identity, new SecureRandom());
    }
  }
}
