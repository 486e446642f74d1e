package io.doorpair.portal.store;

import java.util.Objects;

/**
 * One item of a gateway's push channel, in the order the gateway must see them.
 *
 * @param seq position in this gateway's channel: 1, 2, 3... with no gaps; the gateway's cursor is
 *     the last seq it processed
 * @param kind what happened
 * @param request the request as it is now (a {@code NEW} item whose request was voided since is
 *     still delivered, with its current status, followed by its {@code VOIDED} item)
 */
public record ChannelItem(long seq, Kind kind, AccessRequest request) {

  /** What the gateway learns. */
  public enum Kind {
    /** A new access request. */
    NEW,
    /** A pending request the portal voided (guest removed, certificate revoked). */
    VOIDED
  }

  public ChannelItem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(request, "request");
    if (seq <= 0) {
      throw new IllegalArgumentException("seq must be positive");
    }
  }
}
