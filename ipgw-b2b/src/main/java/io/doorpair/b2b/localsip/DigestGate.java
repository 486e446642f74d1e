package io.doorpair.b2b.localsip;

import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.digest.DigestAlgorithm;
import io.doorpair.crypto.digest.DigestAuthorization;
import io.doorpair.crypto.digest.DigestChallenge;
import io.doorpair.crypto.digest.DigestFormatException;
import io.doorpair.crypto.digest.DigestMath;
import io.doorpair.crypto.digest.Ha1;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SIP digest authentication (RFC 3261 §22, RFC 7616 with {@code qop=auth}, SHA-256 and MD5) for the
 * internal SIP server: realm = the gateway DOMAIN, accounts = the password file's {@code
 * user@DOMAIN} entries. Nonces are {@code base64url(time ‖ random ‖ HMAC(key, time ‖ random))},
 * valid for {@link #NONCE_LIFETIME}; an older one with a good digest is answered {@code
 * stale=true}. The digest is compared in constant time ({@link DigestMath#verify}); a username
 * without an account is checked against a dummy HA1 so that timing does not tell which accounts
 * exist.
 *
 * <p>Replays: the nonce counts each nonce was used with are kept ({@code NonceCounts}, at most
 * {@link #TRACKED_NONCES} nonces), so the same nonce with a count already used by another request
 * is refused with {@code stale=true} (an honest client answers the fresh challenge), as is a nonce
 * used {@code 10,000} times or forgotten because the table was full. The same request again (same
 * nonce, nc and request key, within 32 s) is a retransmission and passes.
 */
public final class DigestGate {
  /** How long a nonce is accepted. */
  public static final Duration NONCE_LIFETIME = Duration.ofMinutes(5);

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final int MAC_BYTES = 16;
  private static final int SALT_BYTES = 8;
  private static final int NONCE_BYTES = 8 + SALT_BYTES + MAC_BYTES;

  /** The most nonces whose counts are remembered (the oldest are forgotten first). */
  public static final int TRACKED_NONCES = 4096;

  private final String realm;
  private volatile Map<String, SipPassword> accounts;
  private final Clock clock;
  private final byte[] key = new byte[32];
  private final SipPassword dummy;
  private final SecureRandom random;
  private final NonceCounts counts = new NonceCounts(TRACKED_NONCES);

  /** The verdict on a request's credentials. */
  public sealed interface Verdict permits Accepted, Challenge {}

  /**
   * Good credentials.
   *
   * @param user the authenticated user part (as in the password file)
   */
  public record Accepted(String user) implements Verdict {}

  /**
   * No credentials, bad ones or a stale nonce: answer 401 with these {@code WWW-Authenticate}
   * values.
   *
   * @param headerValues the challenges, SHA-256 first
   * @param why for the log: what was wrong (never a secret)
   */
  public record Challenge(List<String> headerValues, String why) implements Verdict {}

  /**
   * A gate for one DOMAIN.
   *
   * @param domain the gateway DOMAIN: the realm, and the domain of the accounts taken
   * @param entries the password file's accounts; those of other domains are ignored
   * @param clock for nonce lifetime
   * @param random for the nonce key
   */
  public DigestGate(String domain, List<PasswdEntry> entries, Clock clock, SecureRandom random) {
    this.realm = Objects.requireNonNull(domain, "domain");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.accounts = accountsOf(domain, entries);
    this.random = Objects.requireNonNull(random, "random");
    random.nextBytes(key);
    byte[] d = new byte[18];
    random.nextBytes(d);
    this.dummy = SipPassword.of(B64.encodeToString(d));
  }

  private static Map<String, SipPassword> accountsOf(String domain, List<PasswdEntry> entries) {
    Map<String, SipPassword> map = new HashMap<>();
    for (PasswdEntry entry : entries) {
      if (entry.domain().equalsIgnoreCase(domain)) {
        map.put(entry.user().toLowerCase(Locale.ROOT), entry.password());
      }
    }
    return Map.copyOf(map);
  }

  /**
   * Replaces the accounts (a reloaded password file), keeping the nonce key so that challenges in
   * flight stay valid.
   *
   * @param entries the password file's accounts; those of other domains are ignored
   */
  public void replaceAccounts(List<PasswdEntry> entries) {
    this.accounts = accountsOf(realm, entries);
  }

  /** The realm (the gateway DOMAIN). */
  public String realm() {
    return realm;
  }

  /**
   * Checks a request's {@code Authorization} header.
   *
   * @param method the request's method
   * @param requestUri the Request-URI as sent (the credentials' {@code uri} must equal it)
   * @param authorization the header value, if any
   * @return accepted, or the challenge to send
   */
  public Verdict check(String method, String requestUri, Optional<String> authorization) {
    return check(method, java.util.List.of(requestUri), authorization, "");
  }

  /**
   * Checks a request's {@code Authorization} header, letting a retransmission of an accepted
   * request through again.
   *
   * @param method the request's method
   * @param requestUri the Request-URI as sent (the credentials' {@code uri} must equal it)
   * @param authorization the header value, if any
   * @param requestKey what identifies the request across retransmissions (top Via branch, Call-ID,
   *     CSeq); empty when every second use of a nonce count is a replay
   * @return accepted, or the challenge to send
   */
  public Verdict check(
      String method, String requestUri, Optional<String> authorization, String requestKey) {
    return check(method, java.util.List.of(requestUri), authorization, requestKey);
  }

  /**
   * Checks a request's credentials whose {@code uri} may be any of {@code requestUris}: a request
   * that a proxy retargeted (the portal rewrites {@code sip:door@DOMAIN} to the gateway's contact)
   * carries credentials for the URI its sender addressed.
   *
   * @param method the request's method
   * @param requestUris the URIs the credentials may name
   * @param authorization the header value, if any
   * @param requestKey what identifies the request across retransmissions (top Via branch, Call-ID,
   *     CSeq); empty when every second use of a nonce count is a replay
   * @return accepted, or the challenge to send
   */
  public Verdict check(
      String method,
      java.util.List<String> requestUris,
      Optional<String> authorization,
      String requestKey) {
    Objects.requireNonNull(requestKey, "requestKey");
    if (authorization.isEmpty()) {
      return challenge(false, "no credentials");
    }
    DigestAuthorization credentials;
    try {
      credentials = DigestAuthorization.parse(authorization.get());
    } catch (DigestFormatException e) {
      return challenge(false, "malformed credentials: " + e.getMessage());
    }
    if (!credentials.realm().equals(realm)) {
      return challenge(false, "wrong realm");
    }
    if (!requestUris.contains(credentials.uri())) {
      return challenge(false, "uri differs from the Request-URI");
    }
    String user = credentials.username();
    SipPassword password = accounts.get(user.toLowerCase(Locale.ROOT));
    boolean known = password != null;
    Ha1 ha1 = ha1(credentials.algorithm(), user, known ? password : dummy);
    boolean good = DigestMath.verify(ha1, method, credentials);
    if (!good || !known) {
      return challenge(false, "bad credentials for " + user);
    }
    long now = clock.millis();
    long issued = issuedMillis(credentials.nonce());
    if (issued < 0 || !fresh(issued, now)) {
      return challenge(true, "stale nonce");
    }
    String key = requestKey.isEmpty() ? "" : requestKey + "|" + method;
    NonceCounts.Use use =
        counts.use(
            credentials.nonce(),
            issued,
            credentials.ncValue(),
            key.isEmpty() ? "\0" + random.nextLong() : key,
            now,
            now - NONCE_LIFETIME.toMillis());
    switch (use) {
      case REPLAY:
        return challenge(true, "nonce count " + credentials.nc() + " already used");
      case EXHAUSTED:
        return challenge(true, "nonce used up or forgotten");
      default:
        return new Accepted(user);
    }
  }

  private Ha1 ha1(DigestAlgorithm algorithm, String user, SipPassword password) {
    char[] chars = password.reveal().toCharArray();
    try {
      return Ha1.compute(algorithm, user, realm, chars);
    } finally {
      java.util.Arrays.fill(chars, '\0');
    }
  }

  private Challenge challenge(boolean stale, String why) {
    String nonce = nonce(clock.millis());
    return new Challenge(
        List.of(
            DigestChallenge.of(realm, nonce, DigestAlgorithm.SHA_256, stale).toHeaderValue(),
            DigestChallenge.of(realm, nonce, DigestAlgorithm.MD5, stale).toHeaderValue()),
        why);
  }

  String nonce(long millis) {
    byte[] body = new byte[8 + SALT_BYTES];
    ByteBuffer.wrap(body).putLong(millis);
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    System.arraycopy(salt, 0, body, 8, SALT_BYTES);
    byte[] mac = mac(body);
    byte[] out = new byte[NONCE_BYTES];
    System.arraycopy(body, 0, out, 0, body.length);
    System.arraycopy(mac, 0, out, body.length, MAC_BYTES);
    return B64.encodeToString(out);
  }

  /** The issue time of a nonce of ours (MAC checked), or -1. */
  private long issuedMillis(String nonce) {
    byte[] raw;
    try {
      raw = B64D.decode(nonce.getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      return -1;
    }
    if (raw.length != NONCE_BYTES) {
      return -1;
    }
    byte[] body = java.util.Arrays.copyOf(raw, 8 + SALT_BYTES);
    byte[] mac = java.util.Arrays.copyOfRange(raw, 8 + SALT_BYTES, NONCE_BYTES);
    if (!MessageDigest.isEqual(mac, mac(body))) {
      return -1;
    }
    long issued = ByteBuffer.wrap(body).getLong();
    return issued < 0 ? -1 : issued;
  }

  private static boolean fresh(long issued, long now) {
    long age = now - issued;
    return age >= 0 && age <= NONCE_LIFETIME.toMillis();
  }

  /**
   * How many nonces' counts are remembered now: real state, for tests that check it stays bounded
   * (at most {@link #TRACKED_NONCES}).
   *
   * @return the number of nonces tracked
   */
  public int trackedNonces() {
    return counts.size();
  }

  private byte[] mac(byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return java.util.Arrays.copyOf(mac.doFinal(data), MAC_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
