package io.doorpair.welcome.http;

import io.doorpair.crypto.digest.DigestAlgorithm;
import io.doorpair.crypto.digest.DigestAuthorization;
import io.doorpair.crypto.digest.DigestChallenge;
import io.doorpair.crypto.digest.DigestFormatException;
import io.doorpair.crypto.digest.Ha1;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Authenticator;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;

/**
 * Answers a 401 with HTTP Digest (RFC 7616, qop {@code auth}): SHA-256 when the server offers it,
 * else MD5; a random cnonce per answer; nonce counts per nonce. It answers once, and once more only
 * when the server says {@code stale=true} with a new nonce; any other 401 after an answer is final,
 * so a wrong password never loops. Thread-safe.
 *
 * <p>The password is copied and kept as a {@code char[]} until {@link #close()} wipes it; it is
 * never logged nor turned into a {@link String}.
 */
public final class DigestAuthenticator implements Authenticator, AutoCloseable {
  private static final int MAX_TRACKED_NONCES = 16;

  private final String username;
  private final char[] password;
  private final SecureRandom random;
  private final Map<String, Ha1> ha1s = new HashMap<>();
  private final Map<String, Long> nonceCounts =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > MAX_TRACKED_NONCES;
        }
      };
  private boolean closed;

  /**
   * Creates the authenticator.
   *
   * @param username sent as is (portal usernames are lowercase)
   * @param password copied; the caller may wipe its own array at once
   * @param random for client nonces
   */
  public DigestAuthenticator(String username, char[] password, SecureRandom random) {
    this.username = Objects.requireNonNull(username, "username");
    this.password = Objects.requireNonNull(password, "password").clone();
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * OkHttp's callback for a 401.
   *
   * @return the request again with an {@code Authorization} header, or {@code null} (OkHttp's
   *     contract) to give up and hand the 401 to the caller
   */
  @Override
  public Request authenticate(Route route, Response response) {
    if (response.code() != 401) {
      return null;
    }
    Optional<DigestChallenge> challenge;
    try {
      challenge = choose(DigestChallenge.parseAll(response.headers("WWW-Authenticate")));
    } catch (DigestFormatException malformed) {
      return null;
    }
    if (!challenge.isPresent() || !mayAnswer(response, challenge.get())) {
      return null;
    }
    Request request = response.request();
    try {
      DigestChallenge c = challenge.get();
      DigestAuthorization authorization =
          DigestAuthorization.answer(
              c,
              username,
              ha1(c.realm(), c.algorithm()),
              request.method(),
              uriOf(request.url()),
              cnonce(),
              nextCount(c.nonce()));
      return request.newBuilder().header("Authorization", authorization.toHeaderValue()).build();
    } catch (IllegalArgumentException | IllegalStateException cannotAnswer) {
      // A value OkHttp cannot put in a header, an nc overflow, or closed: give up.
      return null;
    }
  }

  /** Wipes the password copy; later challenges are not answered. */
  @Override
  public synchronized void close() {
    Arrays.fill(password, '\0');
    ha1s.clear();
    closed = true;
  }

  @Override
  public String toString() {
    return "DigestAuthenticator[username=" + username + ", password=<redacted>]";
  }

  /** SHA-256 first, then MD5; the server's order otherwise. */
  private static Optional<DigestChallenge> choose(List<DigestChallenge> challenges) {
    return challenges.stream()
        .min(Comparator.comparing(c -> c.algorithm() == DigestAlgorithm.SHA_256 ? 0 : 1));
  }

  /**
   * First 401 of a request: answer. After our answer: only a stale nonce, once, with a nonce other
   * than the one just used.
   */
  private static boolean mayAnswer(Response response, DigestChallenge challenge) {
    int answered = 0;
    for (Response r = response; r != null; r = r.priorResponse()) {
      if (r.request().header("Authorization") != null) {
        answered++;
      }
    }
    if (answered == 0) {
      return true;
    }
    if (answered > 1 || !challenge.stale()) {
      return false;
    }
    try {
      String previous =
          DigestAuthorization.parse(response.request().header("Authorization")).nonce();
      return !previous.equals(challenge.nonce());
    } catch (DigestFormatException notOurs) {
      return false;
    }
  }

  private synchronized Ha1 ha1(String realm, DigestAlgorithm algorithm) {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    return ha1s.computeIfAbsent(
        algorithm.token() + ":" + realm, k -> Ha1.compute(algorithm, username, realm, password));
  }

  private synchronized long nextCount(String nonce) {
    return nonceCounts.merge(nonce, 1L, Long::sum);
  }

  private String cnonce() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    StringBuilder hex = new StringBuilder(32);
    for (byte b : bytes) {
      hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return hex.toString();
  }

  /** The request target as on the request line: the encoded path and query. */
  static String uriOf(HttpUrl url) {
    String query = url.encodedQuery();
    return query == null ? url.encodedPath() : url.encodedPath() + "?" + query;
  }
}
