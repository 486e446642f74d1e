package io.doorpair.portal.store.jdbc;

import io.doorpair.portal.store.PortalStore;
import io.doorpair.portal.store.StoreException;
import io.doorpair.portal.store.postgres.PostgresBackend;
import io.doorpair.portal.store.sqlite.SqliteBackend;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the portal store named by a JDBC URL, migrating its schema first.
 *
 * <ul>
 *   <li>{@code jdbc:sqlite:<path>}: an SQLite file (the embedded default), created with its folders
 *       if missing;
 *   <li>{@code jdbc:postgresql://host:port/database?user=...&password=...&currentSchema=...}: a
 *       PostgreSQL database, through a small connection pool; several portal processes may share
 *       it.
 * </ul>
 *
 * <p>The URL may carry a password: it is logged only through {@link #redact(String)} and never put
 * into an exception message.
 */
public final class JdbcStores {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcStores.class);

  static final String SQLITE_PREFIX = "jdbc:sqlite:";
  static final String POSTGRES_PREFIX = "jdbc:postgresql:";

  private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/:@?#]*:)[^/?#]*@");
  private static final Pattern PASSWORD_PARAMETER =
      Pattern.compile("(?i)([?&;][^=&;?#]*password=)[^&;#]*");

  private JdbcStores() {}

  /**
   * Opens the store at {@code jdbcUrl} and brings its schema to the version this code knows.
   *
   * @throws IllegalArgumentException if the URL names neither an SQLite file nor a PostgreSQL
   *     database
   * @throws StoreException if the database cannot be opened or migrated, or was migrated by a newer
   *     portal
   */
  public static PortalStore open(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Backend backend = openBackend(jdbcUrl);
    try {
      Migrations.Outcome outcome = Migrations.apply(backend, Clock.systemUTC().instant());
      if (outcome.migrated()) {
        LOG.info(
            "store {} migrated from schema version {} to {}",
            redact(jdbcUrl),
            outcome.fromVersion(),
            outcome.toVersion());
      }
      LOG.info(
          "store opened: {} ({}, schema version {})",
          redact(jdbcUrl),
          backend.name(),
          outcome.toVersion());
      return new JdbcPortalStore(backend);
    } catch (SQLException e) {
      backend.close();
      throw new StoreException("cannot migrate the " + backend.name() + " store", e);
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
  }

  /**
   * The URL with every password replaced by {@code ***} (the {@code user:password@} form and any
   * {@code password=}, {@code sslpassword=}... parameter), fit for logs.
   */
  public static String redact(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    String redacted = USER_INFO_PASSWORD.matcher(jdbcUrl).replaceAll("$1***@");
    return PASSWORD_PARAMETER.matcher(redacted).replaceAll("$1***");
  }

  private static Backend openBackend(String jdbcUrl) {
    if (jdbcUrl.startsWith(SQLITE_PREFIX)) {
      Path file = sqliteFile(jdbcUrl.substring(SQLITE_PREFIX.length()));
      try {
        return SqliteBackend.open(file);
      } catch (SQLException | IOException e) {
        throw new StoreException("cannot open the SQLite store " + file, e);
      }
    }
    if (jdbcUrl.startsWith(POSTGRES_PREFIX)) {
      try {
        return PostgresBackend.open(jdbcUrl);
      } catch (RuntimeException e) {
        throw new StoreException(
            "cannot open the PostgreSQL store " + redact(jdbcUrl) + ": " + e.getMessage(), e);
      }
    }
    throw new IllegalArgumentException(
        "unsupported store URL (scheme "
            + scheme(jdbcUrl)
            + "): expected jdbc:sqlite:<file> or jdbc:postgresql://<host>[:<port>]/<database>");
  }

  private static Path sqliteFile(String path) {
    if (path.isEmpty()
        || path.equals(":memory:")
        || path.startsWith("file:")
        || path.contains("?")
        || path.contains("\0")) {
      throw new IllegalArgumentException(
          "an SQLite store URL is jdbc:sqlite:<path to a database file>"
              + " (no in-memory database, no file: URI, no parameters)");
    }
    try {
      return Path.of(path).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("invalid SQLite store path: " + e.getReason(), e);
    }
  }

  /** The part of the URL before its second colon, at most 32 characters: no credentials there. */
  private static String scheme(String url) {
    int first = url.indexOf(':');
    int second = first < 0 ? -1 : url.indexOf(':', first + 1);
    String scheme =
        second < 0 ? (first < 0 ? "" : url.substring(0, first)) : url.substring(0, second);
    if (scheme.length() > 32 || scheme.contains("/") || scheme.contains("@")) {
      return "unrecognised";
    }
    return scheme.isEmpty() ? "none" : scheme;
  }
}
