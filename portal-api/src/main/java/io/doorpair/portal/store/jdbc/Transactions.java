package io.doorpair.portal.store.jdbc;

import io.doorpair.portal.store.StoreException;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the store's operations as transactions of its {@link Backend}: an {@link SQLException}
 * becomes a {@link StoreException} naming the operation, and nothing runs once the store is closed.
 */
final class Transactions {

  private final Backend backend;
  private final AtomicBoolean closed = new AtomicBoolean();

  Transactions(Backend backend) {
    this.backend = Objects.requireNonNull(backend, "backend");
  }

  Backend backend() {
    return backend;
  }

  /** Runs the work in one write transaction (see {@link Backend#write}). */
  <T> T write(String operation, SqlWork<T> work) {
    checkOpen();
    try {
      return backend.write(work);
    } catch (SQLException e) {
      throw new StoreException("store failed to " + operation, e);
    }
  }

  /** Runs read-only work (see {@link Backend#read}). */
  <T> T read(String operation, SqlWork<T> work) {
    checkOpen();
    try {
      return backend.read(work);
    } catch (SQLException e) {
      throw new StoreException("store failed to " + operation, e);
    }
  }

  /** Closes the backend once; later calls are refused. */
  void close() {
    if (closed.compareAndSet(false, true)) {
      backend.close();
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the store is closed");
    }
  }
}
