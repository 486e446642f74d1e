package io.doorpair.ipgw.supervisor;

import io.doorpair.ipgw.accounts.B2bSignal;
import java.util.Optional;

/** The b2b service the owner's kill switch acts on. Implementations are thread-safe. */
public interface B2bService extends B2bSignal, AutoCloseable {
  /** No b2b managed by this ipgw: nothing to start, stop or signal. */
  B2bService NONE =
      new B2bService() {
        @Override
        public B2bState state() {
          return new B2bState(
              B2bState.Status.NOT_MANAGED,
              Optional.empty(),
              "this ipgw does not manage a b2b (started with --no-b2b)");
        }

        @Override
        public void start() {
          throw new IllegalStateException("no b2b is managed by this ipgw");
        }

        @Override
        public void stop() {
          throw new IllegalStateException("no b2b is managed by this ipgw");
        }

        @Override
        public void reload() {}

        @Override
        public void close() {}
      };

  /**
   * The current state.
   *
   * @return the state
   */
  B2bState state();

  /**
   * The owner starts the service (and wants it kept running).
   *
   * @throws IllegalStateException when the service cannot be managed
   */
  void start();

  /**
   * The owner stops the service (and wants it kept stopped, across restarts of ipgw).
   *
   * @throws IllegalStateException when the service cannot be managed
   */
  void stop();

  /** SIGHUP to the running b2b (its ACL or accounts changed); nothing when it is not running. */
  @Override
  void reload();

  /** Stops supervising (a child is stopped with ipgw; a systemd unit is left as it is). */
  @Override
  void close();
}
