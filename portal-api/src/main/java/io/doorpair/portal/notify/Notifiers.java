package io.doorpair.portal.notify;

import io.doorpair.sipedge.redis.RedisSettings;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Picks the notifier: through Redis with {@code --redis}, else cross-process for PostgreSQL,
 * in-process otherwise.
 */
public final class Notifiers {
  private static final String POSTGRES_PREFIX = "jdbc:postgresql:";

  private Notifiers() {}

  /**
   * A {@link PostgresNotifier} on the same database when {@code storeUrl} is a PostgreSQL JDBC URL,
   * else a {@link LocalNotifier}.
   *
   * @throws IllegalStateException if the PostgreSQL listening connection cannot be opened (the
   *     message never carries the URL, which may hold a password)
   */
  public static Notifier forStore(String storeUrl, SecureRandom random) {
    return forStore(storeUrl, random, Optional.empty());
  }

  /**
   * A {@link RedisNotifier} when {@code redis} is given (one mechanism with the CRL the SIP nodes
   * follow there), else as {@link #forStore(String, SecureRandom)}.
   *
   * @throws IllegalStateException when Redis or the PostgreSQL listening connection fails
   */
  public static Notifier forStore(
      String storeUrl, SecureRandom random, Optional<RedisSettings> redis) {
    if (redis.isPresent()) {
      return RedisNotifier.start(redis.get(), random);
    }
    if (!storeUrl.startsWith(POSTGRES_PREFIX)) {
      return new LocalNotifier();
    }
    try {
      return PostgresNotifier.start(storeUrl, random);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot LISTEN for notifications on the PostgreSQL store: " + e.getMessage(), e);
    }
  }
}
