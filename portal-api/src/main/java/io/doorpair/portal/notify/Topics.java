package io.doorpair.portal.notify;

/** The topics of the portal (docs/access-flow.md, "Freshness across processes"). */
public final class Topics {
  /** A certificate was revoked: every long-poll checks its own certificate again. */
  public static final String REVOKED = "revoked";

  /** Longest topic text, in characters (a NOTIFY payload must stay small). */
  public static final int MAX_LENGTH = 100;

  private Topics() {}

  /** A gateway's push channel got an item. */
  public static String channel(String domain) {
    return "channel:" + domain;
  }

  /** A gateway posted new events. */
  public static String events(String domain) {
    return "events:" + domain;
  }

  /** An access request was decided or voided. */
  public static String request(long id) {
    return "request:" + id;
  }
}
