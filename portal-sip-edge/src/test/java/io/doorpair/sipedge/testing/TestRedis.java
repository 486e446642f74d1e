package io.doorpair.sipedge.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The real Redis of tests: at environment {@code DOORPAIR_TEST_REDIS_URL} (default {@value
 * #DEFAULT_URL}). A test that needs it calls {@link #require()}: skipped with a visible reason when
 * Redis does not answer, failed in CI ({@code CI=true}). Each test writes under its own {@link
 * #uniquePrefix()} and removes its keys with {@link #deleteKeys}.
 */
public final class TestRedis {
  /** Where Redis is when the environment does not say. */
  public static final String DEFAULT_URL = "redis://127.0.0.1:6379";

  private TestRedis() {}

  /** The Redis URL of this run. */
  public static String url() {
    String url = System.getenv("DOORPAIR_TEST_REDIS_URL");
    return url == null || url.isBlank() ? DEFAULT_URL : url.trim();
  }

  /** The URL, or the test stops here: skipped locally when Redis does not answer, failed in CI. */
  public static String require() {
    String url = url();
    try (RedisClient redis = RedisClient.create(url)) {
      redis.ping();
      return url;
    } catch (RuntimeException e) {
      String reason = "Redis at " + url + " does not answer (" + e.getMessage() + ")";
      if (Peers.inCi()) {
        Assertions.fail(reason + ": required in CI (CI=true)");
      }
      Assumptions.abort(reason + ": test skipped");
      throw new IllegalStateException("unreachable", e);
    }
  }

  /** A key prefix no other test uses: {@code test:<uuid>:}. */
  public static String uniquePrefix() {
    return "test:" + UUID.randomUUID() + ":";
  }

  /** Every key starting with {@code prefix} (at most a few thousand: tests write few). */
  public static List<String> keys(String prefix) {
    try (RedisClient redis = RedisClient.create(url())) {
      List<String> keys = new ArrayList<>();
      String cursor = ScanParams.SCAN_POINTER_START;
      ScanParams match = new ScanParams().match(prefix + "*").count(1000);
      do {
        ScanResult<String> page = redis.scan(cursor, match);
        keys.addAll(page.getResult());
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      return keys;
    }
  }

  /** Deletes every key starting with {@code prefix}. */
  public static void deleteKeys(String prefix) {
    if (!prefix.startsWith("test:")) {
      throw new IllegalArgumentException("tests only delete their own test: keys");
    }
    List<String> keys = keys(prefix);
    if (!keys.isEmpty()) {
      try (RedisClient redis = RedisClient.create(url())) {
        redis.del(keys.toArray(String[]::new));
      }
    }
  }

  /** A client for a test's own checks (close it). */
  public static RedisClient client() {
    return RedisClient.create(url());
  }
}
