package io.doorpair.portal.auth;

import io.doorpair.crypto.digest.DigestAlgorithm;
import io.doorpair.crypto.digest.DigestAuthorization;
import io.doorpair.crypto.digest.DigestChallenge;
import io.doorpair.crypto.digest.DigestFormatException;
import io.doorpair.crypto.digest.DigestMath;
import io.doorpair.crypto.digest.Ha1;
import io.doorpair.portal.auth.DigestOutcome.Challenge;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of HTTP Digest (RFC 7616, qop {@code auth}, SHA-256 and MD5) for the portal API,
 * free of any web framework. Thread-safe.
 *
 * <p><b>Nonces</b> are stateless HMAC-SHA256 tokens over their issue time and 16 random bytes,
 * valid for {@link DigestSettings#nonceLifetime()}. Several portal processes behind one name must
 * share the nonce key (use {@link #DigestAuthenticator(DigestSettings, Ha1Source, Clock,
 * SecureRandom, byte[])}), or a nonce issued by one is {@code bad_nonce} at another. The
 * nonce-count table that refuses replays lives in each process: with several processes a replay is
 * only caught by the process that saw the original (replays also need the TLS session broken).
 *
 * <p><b>Order of checks</b>: a locked remote address gets {@link DigestOutcome.Throttled} first;
 * then missing or non-Digest credentials get a challenge; a malformed header, a realm other than
 * ours or a {@code uri} other than the request's get {@link DigestOutcome.BadRequest}; a locked
 * username is throttled; a nonce not made with our key gets a fresh challenge ({@code bad_nonce});
 * then the digest is checked, against a random dummy HA1 for unknown users so that the work done
 * does not tell them apart; a wrong digest counts one failure for the username and one for the
 * address; a right digest with an expired nonce gets {@code stale=true}; finally the nonce count
 * must exceed every count accepted before for that nonce.
 *
 * <p><b>Throttling</b>: after {@link DigestSettings#maxFailuresPerUser()} failures for one username
 * or {@link DigestSettings#maxFailuresPerAddress()} from one address within the window, further
 * attempts (right or wrong) get 429 for the lockout. A success clears the username's failures (the
 * user proved the password) but never the address's: otherwise an attacker holding one valid
 * account could interleave successful logins to keep guessing other users' passwords from the same
 * address without limit. Malformed requests, bad nonces and replays are not counted: they guess
 * nothing.
 */
public final class DigestAuthenticator {
  private static final Logger LOG = LoggerFactory.getLogger(DigestAuthenticator.class);
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final List<DigestAlgorithm> OFFERED =
      List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);

  private final DigestSettings settings;
  private final Ha1Source users;
  private final Clock clock;
  private final Nonces nonces;
  private final NonceCounts nonceCounts;
  private final FailureCounters userFailures;
  private final FailureCounters addressFailures;
  private final Map<DigestAlgorithm, Ha1> dummies = new EnumMap<>(DigestAlgorithm.class);

  /**
   * An authenticator with a nonce key drawn now: for a single portal process (nonces do not survive
   * a restart, which costs clients one extra round trip).
   *
   * @param settings realm, lifetimes and limits
   * @param users where HA1 values come from
   * @param clock the time source (injected for tests)
   * @param random for the nonce key, nonces and dummy HA1s
   */
  public DigestAuthenticator(
      DigestSettings settings, Ha1Source users, Clock clock, SecureRandom random) {
    this(settings, users, clock, random, randomKey(random));
  }

  /**
   * An authenticator with a given nonce key: every portal process serving the same clients must use
   * the same key.
   *
   * @param settings realm, lifetimes and limits
   * @param users where HA1 values come from
   * @param clock the time source (injected for tests)
   * @param random for nonces and dummy HA1s
   * @param nonceKey the HMAC key, at least 32 bytes (copied)
   * @throws IllegalArgumentException {@code the nonce key must have at least 32 bytes}
   */
  public DigestAuthenticator(
      DigestSettings settings, Ha1Source users, Clock clock, SecureRandom random, byte[] nonceKey) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.users = Objects.requireNonNull(users, "users");
    this.clock = Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    this.nonces = new Nonces(nonceKey.clone(), settings.nonceLifetime(), random);
    this.nonceCounts = new NonceCounts(settings.maxTrackedEntries());
    this.userFailures =
        new FailureCounters(
            settings.maxFailuresPerUser(),
            settings.failureWindow(),
            settings.lockout(),
            settings.maxTrackedEntries());
    this.addressFailures =
        new FailureCounters(
            settings.maxFailuresPerAddress(),
            settings.failureWindow(),
            settings.lockout(),
            settings.maxTrackedEntries());
    for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
      byte[] bytes = new byte[algorithm.hexLength() / 2];
      random.nextBytes(bytes);
      StringBuilder hex = new StringBuilder();
      for (byte b : bytes) {
        hex.append(String.format(Locale.ROOT, "%02x", b));
      }
      dummies.put(algorithm, Ha1.ofHex(algorithm, hex.toString()));
    }
  }

  /**
   * Decides on one request.
   *
   * @param method the request method, e.g. {@code POST}
   * @param requestUri the request target as on the request line: the raw path, plus {@code ?query}
   *     when there is one (in Jetty: {@code getRequestURI()} and {@code getQueryString()})
   * @param authorizationHeader the {@code Authorization} header, if any
   * @param remoteAddress the client's address, the key of the per-address limit
   * @return the outcome; never throws on client input
   */
  public DigestOutcome authenticate(
      String method,
      String requestUri,
      Optional<String> authorizationHeader,
      String remoteAddress) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(requestUri, "requestUri");
    Objects.requireNonNull(authorizationHeader, "authorizationHeader");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    Instant now = clock.instant();

    Optional<Duration> addressLock = addressFailures.lockedFor(remoteAddress, now);
    if (addressLock.isPresent()) {
      return new DigestOutcome.Throttled(addressLock.get());
    }
    if (authorizationHeader.isEmpty()) {
      return challenge(now, false, Challenge.REASON_MISSING_CREDENTIALS);
    }
    if (!isDigestScheme(authorizationHeader.get())) {
      return challenge(now, false, Challenge.REASON_UNSUPPORTED_SCHEME);
    }
    DigestAuthorization credentials;
    try {
      credentials = DigestAuthorization.parse(authorizationHeader.get());
    } catch (DigestFormatException e) {
      return new DigestOutcome.BadRequest(e.getMessage());
    }
    if (!credentials.realm().equals(settings.realm())) {
      return new DigestOutcome.BadRequest("realm mismatch");
    }
    if (!credentials.uri().equals(requestUri)) {
      return new DigestOutcome.BadRequest("uri mismatch");
    }

    String username = credentials.username();
    boolean wellFormedName = USERNAME.matcher(username).matches();
    if (wellFormedName) {
      Optional<Duration> userLock = userFailures.lockedFor(username, now);
      if (userLock.isPresent()) {
        return new DigestOutcome.Throttled(userLock.get());
      }
    }
    Nonces.Check nonce = nonces.check(credentials.nonce(), now);
    if (nonce instanceof Nonces.Invalid) {
      return challenge(now, false, Challenge.REASON_BAD_NONCE);
    }

    Optional<Ha1> stored =
        wellFormedName ? users.find(username, credentials.algorithm()) : Optional.empty();
    Ha1 ha1 = stored.orElse(dummies.get(credentials.algorithm()));
    boolean digestMatches = DigestMath.verify(ha1, method, credentials);
    if (!digestMatches || stored.isEmpty()) {
      recordFailure(wellFormedName ? Optional.of(username) : Optional.empty(), remoteAddress, now);
      return challenge(now, false, Challenge.REASON_BAD_CREDENTIALS);
    }
    if (nonce instanceof Nonces.Expired) {
      return challenge(now, true, Challenge.REASON_STALE_NONCE);
    }
    Instant expiresAt = ((Nonces.Fresh) nonce).expiresAt();
    switch (nonceCounts.advance(credentials.nonce(), credentials.ncValue(), expiresAt, now)) {
      case REPLAY:
        return challenge(now, false, Challenge.REASON_REPLAY);
      case FULL:
        LOG.warn("digest: nonce-count table full ({} entries)", settings.maxTrackedEntries());
        return challenge(now, false, Challenge.REASON_NONCE_TABLE_FULL);
      case ACCEPTED:
      default:
        userFailures.reset(username);
        return new DigestOutcome.Authenticated(username);
    }
  }

  /**
   * A fresh pair of challenges, as for a request without credentials (e.g. to answer a request that
   * failed for another reason with 401).
   *
   * @return the challenge outcome, reason {@code missing_credentials}
   */
  public DigestOutcome.Challenge challenge() {
    return challenge(clock.instant(), false, Challenge.REASON_MISSING_CREDENTIALS);
  }

  private DigestOutcome.Challenge challenge(Instant now, boolean stale, String reason) {
    String nonce = nonces.issue(now);
    List<String> values =
        OFFERED.stream()
            .map(a -> DigestChallenge.of(settings.realm(), nonce, a, stale).toHeaderValue())
            .toList();
    return new DigestOutcome.Challenge(values, reason);
  }

  private void recordFailure(Optional<String> username, String remoteAddress, Instant now) {
    if (username.isPresent() && userFailures.recordFailure(username.get(), now)) {
      LOG.warn(
          "digest lockout user={} failures={} for={}",
          username.get(),
          settings.maxFailuresPerUser(),
          settings.lockout());
    }
    if (addressFailures.recordFailure(remoteAddress, now)) {
      LOG.warn(
          "digest lockout address={} failures={} for={}",
          remoteAddress,
          settings.maxFailuresPerAddress(),
          settings.lockout());
    }
  }

  private static boolean isDigestScheme(String header) {
    String trimmed = header.stripLeading();
    int end = 0;
    while (end < trimmed.length() && trimmed.charAt(end) != ' ' && trimmed.charAt(end) != '\t') {
      end++;
    }
    return trimmed.substring(0, end).equalsIgnoreCase("Digest");
  }

  private static byte[] randomKey(SecureRandom random) {
    byte[] key = new byte[32];
    Objects.requireNonNull(random, "random").nextBytes(key);
    return key;
  }
}
