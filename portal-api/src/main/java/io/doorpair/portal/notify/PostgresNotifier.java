package io.doorpair.portal.notify;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topics across every portal process sharing one PostgreSQL database. Each process keeps one
 * dedicated connection that {@code LISTEN}s on the channel {@value #CHANNEL}, read by a thread of
 * its own with {@code getNotifications(timeout)}; it publishes with {@code pg_notify} on a second
 * connection, from a single sender thread, after the local delivery. The payload is {@code
 * "<process nonce> <topic>"}: a process skips its own notifications (it delivered them locally
 * already).
 *
 * <p>When the listening connection fails (server restart, network), the reader reconnects with a
 * growing pause (0.1 s to 5 s) and then wakes every local subscriber once, since notifications sent
 * meanwhile were lost. An idle connection is checked with {@code SELECT 1} every 30 seconds so that
 * a silently dead link is noticed.
 */
public final class PostgresNotifier implements Notifier {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresNotifier.class);

  /** The channel every portal process listens on. */
  public static final String CHANNEL = "doorpair_portal";

  private static final int POLL_MS = 500;
  private static final long HEALTH_CHECK_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final long MIN_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5_000;
  private static final int MAX_QUEUED = 10_000;

  private final String jdbcUrl;
  private final String nonce;
  private final LocalNotifier local = new LocalNotifier();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final ExecutorService sender;
  private volatile Thread reader;
  private volatile boolean closed;
  private Connection sendConnection; // used by the sender thread only

  private PostgresNotifier(String jdbcUrl, String nonce) {
    this.jdbcUrl = jdbcUrl;
    this.nonce = nonce;
    this.sender =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(MAX_QUEUED),
            r -> daemon(r, "notify-send-" + nonce));
  }

  /**
   * Connects, {@code LISTEN}s, and starts the reader; returns once this process receives
   * notifications.
   *
   * @throws SQLException if the first connection fails (the portal then does not start)
   */
  public static PostgresNotifier start(String jdbcUrl, SecureRandom random) throws SQLException {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    byte[] bytes = new byte[8];
    random.nextBytes(bytes);
    PostgresNotifier notifier = new PostgresNotifier(jdbcUrl, HexFormat.of().formatHex(bytes));
    Connection first = notifier.listen();
    notifier.startReader(first);
    return notifier;
  }

  /** The {@code application_name} of this process's listening session, for operators and tests. */
  public String applicationName() {
    return "doorpair-notify-" + nonce;
  }

  @Override
  public void publish(String topic) {
    Objects.requireNonNull(topic, "topic");
    if (closed) {
      return;
    }
    local.publish(topic);
    if (topic.length() > Topics.MAX_LENGTH || !queued.add(topic)) {
      return; // too long to send (never happens with Topics), or already waiting to be sent
    }
    try {
      sender.execute(
          () -> {
            queued.remove(topic);
            send(topic);
          });
    } catch (RejectedExecutionException e) {
      queued.remove(topic);
      LOG.warn("notification {} not sent to other processes: the send queue is full", topic);
    }
  }

  @Override
  public Subscription subscribe(String topic, Runnable listener) {
    return local.subscribe(topic, listener);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closing.countDown();
    try {
      sender.execute(() -> closeQuietly(sendConnection));
    } catch (RejectedExecutionException e) {
      // Shut down already.
    }
    sender.shutdown();
    try {
      if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
        sender.shutdownNow();
      }
      reader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    local.close();
  }

  private void startReader(Connection first) {
    reader = daemon(() -> readLoop(first), "notify-listen-" + nonce);
    reader.start();
  }

  private void readLoop(Connection first) {
    Connection connection = first;
    long backoff = MIN_BACKOFF_MS;
    while (!closed) {
      try {
        if (connection == null) {
          connection = listen();
          LOG.info("PostgreSQL notifications: listening again");
          local.wakeAll();
          backoff = MIN_BACKOFF_MS;
        }
        pump(connection);
      } catch (SQLException | RuntimeException e) {
        closeQuietly(connection);
        connection = null;
        if (closed) {
          break;
        }
        LOG.warn(
            "PostgreSQL notifications failed ({}); reconnecting in {} ms", e.getMessage(), backoff);
        pause(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
    closeQuietly(connection);
  }

  private void pump(Connection connection) throws SQLException {
    PGConnection pg = connection.unwrap(PGConnection.class);
    long lastTraffic = System.nanoTime();
    while (!closed) {
      PGNotification[] notifications = pg.getNotifications(POLL_MS);
      long now = System.nanoTime();
      if (notifications != null && notifications.length > 0) {
        lastTraffic = now;
        for (PGNotification notification : notifications) {
          deliver(notification.getParameter());
        }
      } else if (now - lastTraffic > HEALTH_CHECK_NANOS) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("SELECT 1");
        }
        lastTraffic = now;
      }
    }
  }

  private void deliver(String payload) {
    if (payload == null) {
      return;
    }
    int space = payload.indexOf(' ');
    if (space <= 0) {
      return;
    }
    String sender = payload.substring(0, space);
    String topic = payload.substring(space + 1);
    if (sender.equals(nonce) || topic.isEmpty() || topic.length() > Topics.MAX_LENGTH) {
      return;
    }
    local.publish(topic);
  }

  private void send(String topic) {
    for (int attempt = 1; attempt <= 2 && !Thread.currentThread().isInterrupted(); attempt++) {
      try {
        if (sendConnection == null) {
          sendConnection = connect("doorpair-notify-send-" + nonce);
        }
        try (PreparedStatement statement =
            sendConnection.prepareStatement("SELECT pg_notify(?, ?)")) {
          statement.setString(1, CHANNEL);
          statement.setString(2, nonce + " " + topic);
          statement.execute();
        }
        return;
      } catch (SQLException e) {
        closeQuietly(sendConnection);
        sendConnection = null;
        if (attempt == 2) {
          LOG.warn(
              "notification {} not sent to other processes ({}); their long-polls end at their"
                  + " deadline instead",
              topic,
              e.getMessage());
        }
      }
    }
  }

  private Connection listen() throws SQLException {
    Connection connection = connect(applicationName());
    try (Statement statement = connection.createStatement()) {
      statement.execute("LISTEN " + CHANNEL);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw e;
    }
    return connection;
  }

  private Connection connect(String applicationName) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("ApplicationName", applicationName);
    properties.setProperty("connectTimeout", "10");
    properties.setProperty("socketTimeout", "30");
    properties.setProperty("tcpKeepAlive", "true");
    Connection connection = DriverManager.getConnection(jdbcUrl, properties);
    connection.setAutoCommit(true);
    return connection;
  }

  private void pause(long millis) {
    try {
      closing.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // Already broken; nothing more to release.
    }
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }
}
