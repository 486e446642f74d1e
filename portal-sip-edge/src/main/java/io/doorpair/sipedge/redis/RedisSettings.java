package io.doorpair.sipedge.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where Redis is and how long to wait for it.
 *
 * @param url {@code redis://[user:password@]host[:port][/db]} or {@code rediss://...} (TLS); the
 *     password is never printed ({@link #toString()} redacts it)
 * @param keyPrefix every key this client writes starts with it (default {@value #DEFAULT_PREFIX});
 *     nodes sharing bindings use the same prefix
 * @param timeout connect and read timeout of one command, and the longest wait for a pooled
 *     connection (default 2 s, 50 ms to 30 s): a Redis outage costs a SIP request at most about
 *     this long, then it gets {@code 503}
 */
public record RedisSettings(URI url, String keyPrefix, Duration timeout) {
  /** The default key prefix. */
  public static final String DEFAULT_PREFIX = "doorpair:sip:";

  /** The default timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9:._-]{1,64}");

  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException for another scheme, no host, a bad prefix or timeout
   */
  public RedisSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(timeout, "timeout");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw new IllegalArgumentException("--redis needs redis://host:port or rediss://host:port");
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      throw new IllegalArgumentException("--redis needs a host: redis://host:port");
    }
    if (!PREFIX.matcher(keyPrefix).matches()) {
      throw new IllegalArgumentException("the Redis key prefix must be 1-64 of [A-Za-z0-9:._-]");
    }
    if (timeout.toMillis() < 50 || timeout.compareTo(Duration.ofSeconds(30)) > 0) {
      throw new IllegalArgumentException("the Redis timeout must be 50 ms to 30 s");
    }
  }

  /**
   * Settings for {@code url} with the default prefix and timeout.
   *
   * @throws IllegalArgumentException when {@code url} is not a Redis URL
   */
  public static RedisSettings of(String url) {
    Objects.requireNonNull(url, "url");
    try {
      return new RedisSettings(new URI(url.trim()), DEFAULT_PREFIX, DEFAULT_TIMEOUT);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--redis is not a URL: " + e.getReason());
    }
  }

  /** These settings with another key prefix. */
  public RedisSettings withKeyPrefix(String keyPrefix) {
    return new RedisSettings(url, keyPrefix, timeout);
  }

  /** These settings with another timeout. */
  public RedisSettings withTimeout(Duration timeout) {
    return new RedisSettings(url, keyPrefix, timeout);
  }

  /** The URL without its password, for logs. */
  public String redactedUrl() {
    int port = url.getPort();
    return url.getScheme()
        + "://"
        + (url.getUserInfo() == null ? "" : "(credentials)@")
        + url.getHost()
        + (port < 0 ? "" : ":" + port)
        + (url.getPath() == null ? "" : url.getPath());
  }

  @Override
  public String toString() {
    return "RedisSettings[url="
        + redactedUrl()
        + ", keyPrefix="
        + keyPrefix
        + ", timeout="
        + timeout
        + "]";
  }
}
