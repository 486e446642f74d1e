package io.doorpair.ipgw.accounts;

/**
 * Tells the running b2b that {@code acl.list} or the password file changed (SIGHUP to the
 * supervised process, later). Called after the files are written.
 */
@FunctionalInterface
public interface B2bSignal {
  /** Does nothing: no b2b runs (tests, or before the supervisor exists). */
  B2bSignal NONE = () -> {};

  /** Asks the b2b to reload its ACL and accounts. */
  void reload();
}
