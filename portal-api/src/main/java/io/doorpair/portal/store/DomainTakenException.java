package io.doorpair.portal.store;

/** The gateway DOMAIN was recorded before (domains are never reused); nothing was written. */
public final class DomainTakenException extends StoreConflictException {
  private static final long serialVersionUID = 1L;

  public DomainTakenException(String domain) {
    super("gateway domain already issued: " + domain);
  }
}
