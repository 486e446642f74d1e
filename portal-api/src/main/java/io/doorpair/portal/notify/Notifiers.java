package io.doorpair.portal.notify;

import java.security.SecureRandom;
import java.sql.SQLException;

/** Picks the notifier that fits the store: cross-process for PostgreSQL, in-process otherwise. */
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
