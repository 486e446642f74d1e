package io.doorpair.ipgw.accounts;

/**
 * Tells the running b2b that {@code acl.list} or the password file changed (SIGHUP to the
 * supervised process), or that the gateway was paired again ({@link #restart}). Called after the
 * files are written.
 */
@FunctionalInterface
public interface B2bSignal {
  /** Does nothing: no b2b runs (tests, or before the supervisor exists). */
  B2bSignal NONE = () -> {};

  /** Asks the b2b to reload its ACL and accounts. */
  void reload();

  /**
   * The gateway was paired again (a new DOMAIN, {@code agent.pem} and {@code b2b.conf}): a running
   * b2b must start over on the new files (SIGHUP rereads only the ACL and accounts). A b2b the
   * owner stopped stays stopped. By default, a reload.
   */
  default void restart() {
    reload();
  }
}
