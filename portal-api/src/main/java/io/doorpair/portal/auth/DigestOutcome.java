package io.doorpair.portal.auth;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** What {@link DigestAuthenticator#authenticate} decided; the caller turns it into HTTP. */
public sealed interface DigestOutcome {

  /**
   * The credentials are good: go on as this user.
   *
   * @param username the authenticated portal user, lowercase
   */
  record Authenticated(String username) implements DigestOutcome {
    /** Validates. */
    public Authenticated {
      Objects.requireNonNull(username, "username");
    }
  }

  /**
   * Answer 401 with one {@code WWW-Authenticate} header per value, in order (SHA-256 first, then
   * MD5).
   *
   * @param wwwAuthenticateValues the challenges, both with qop {@code auth} and the same fresh
   *     nonce
   * @param reason why, one of the {@code REASON_*} constants: for logs and the error body, never a
   *     secret
   */
  record Challenge(List<String> wwwAuthenticateValues, String reason) implements DigestOutcome {
    /** No credentials were sent. */
    public static final String REASON_MISSING_CREDENTIALS = "missing_credentials";

    /** Credentials of another scheme (e.g. Basic) were sent. */
    public static final String REASON_UNSUPPORTED_SCHEME = "unsupported_scheme";

    /** Wrong password, unknown user, or no HA1 for that algorithm: indistinguishable. */
    public static final String REASON_BAD_CREDENTIALS = "bad_credentials";

    /** The digest was right but the nonce expired: the challenge says {@code stale=true}. */
    public static final String REASON_STALE_NONCE = "stale_nonce";

    /** The nonce was not issued with this portal's key (forged, damaged, or from another key). */
    public static final String REASON_BAD_NONCE = "bad_nonce";

    /** The nonce count did not increase: a replay, or a client going backwards. */
    public static final String REASON_REPLAY = "replay";

    /** Too many live nonces are being tracked; the client tries again with a fresh one. */
    public static final String REASON_NONCE_TABLE_FULL = "nonce_table_full";

    /** Validates. */
    public Challenge {
      wwwAuthenticateValues = List.copyOf(wwwAuthenticateValues);
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Answer 429 with {@code Retry-After}: too many failures for this user or from this address.
   *
   * @param retryAfter how long until the lockout ends
   */
  record Throttled(Duration retryAfter) implements DigestOutcome {
    /** Validates. */
    public Throttled {
      Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /**
     * The {@code Retry-After} header value.
     *
     * @return whole seconds, rounded up, at least 1
     */
    public long retryAfterSeconds() {
      long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
      return Math.max(1, seconds);
    }
  }

  /**
   * Answer 400: the {@code Authorization} header is malformed or does not fit the request.
   *
   * @param message a fixed sentence, never quoting the header (safe to return and to log)
   */
  record BadRequest(String message) implements DigestOutcome {
    /** Validates. */
    public BadRequest {
      Objects.requireNonNull(message, "message");
    }
  }
}
