package io.doorpair.portal.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.portal.store.PortalStore;
import io.doorpair.portal.store.jdbc.JdbcStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the store contract tests share: a fresh database per test, the stores opened on it (closed
 * after the test), a raw connection to it, and races of several threads.
 */
public abstract class StoreContractSupport {

  /** How many tasks {@link #race} runs at once. */
  protected static final int RACERS = 8;

  /** A failure guard for anything a test waits for; never reached on a working store. */
  protected static final long DEADLINE_SECONDS = 60;

  /** Builds records with random serials, domains and instances. */
  protected final StoreRecords records = new StoreRecords();

  private final List<PortalStore> opened = new CopyOnWriteArrayList<>();
  private String url;
  private PortalStore store;

  /**
   * The JDBC URL of an empty database, fresh for each test: called once before each test; every
   * store the test opened is closed before the next call.
   */
  protected abstract String emptyDatabaseUrl() throws Exception;

  @BeforeEach
  final void prepareEmptyDatabase() throws Exception {
    url = emptyDatabaseUrl();
  }

  @AfterEach
  final void closeStores() {
    for (PortalStore each : opened) {
      each.close();
    }
    opened.clear();
    store = null;
  }

  /** The database of the current test. */
  protected final String url() {
    return url;
  }

  /** The store of the current test, opened on first use. */
  protected final PortalStore store() {
    if (store == null) {
      store = open();
    }
    return store;
  }

  /** Opens another store on the current test's database; closed after the test. */
  protected final PortalStore open() {
    PortalStore opening = JdbcStores.open(url);
    opened.add(opening);
    return opening;
  }

  /** A plain JDBC connection to the current test's database, for what the store does not show. */
  protected final Connection rawConnection() throws SQLException {
    return DriverManager.getConnection(url);
  }

  /** Version → applied_at, as recorded in the schema_version table. */
  protected final Map<Integer, Long> schemaVersions() throws SQLException {
    try (Connection c = rawConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT version, applied_at FROM schema_version")) {
      Map<Integer, Long> versions = new TreeMap<>();
      while (rows.next()) {
        versions.put(rows.getInt(1), rows.getLong(2));
      }
      return versions;
    }
  }

  /**
   * Runs {@value #RACERS} tasks at once (released together by a latch) and returns, per task, its
   * result or the exception it threw.
   */
  protected static List<Object> race(IntFunction<Callable<?>> task) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    try {
      CountDownLatch ready = new CountDownLatch(RACERS);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < RACERS; i++) {
        Callable<?> callable = task.apply(i);
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return callable.call();
                }));
      }
      assertThat(ready.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<?> future : futures) {
        try {
          outcomes.add(future.get(DEADLINE_SECONDS, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
          outcomes.add(e.getCause());
        } catch (TimeoutException e) {
          throw new AssertionError("a racer did not finish in time", e);
        }
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }
}
