package io.doorpair.portal.access;

import io.doorpair.portal.auth.Principal;
import io.doorpair.portal.http.ApiException;
import io.doorpair.portal.store.AccessRequest;
import io.doorpair.portal.store.ChannelItem;
import io.doorpair.portal.store.PortalStore;
import io.doorpair.welcome.api.ChannelEntry;
import io.doorpair.welcome.api.ChannelPage;
import io.doorpair.welcome.api.ChannelRequest;
import java.util.List;

/**
 * A gateway's push channel (specification step 6): the requests addressed to it and their voids,
 * numbered 1, 2, 3... per gateway, read after a cursor the gateway keeps.
 */
public final class GatewayChannel {
  private final PortalStore store;
  private final String portalDomain;

  public GatewayChannel(PortalStore store, String portalDomain) {
    this.store = store;
    this.portalDomain = portalDomain;
  }

  /**
   * The items after {@code cursor}, at most {@code limit}; {@code 400 bad_cursor} for a cursor
   * beyond the channel's head.
   */
  public ChannelPage page(Principal.Gateway gateway, long cursor, int limit) {
    if (cursor > store.channelHead(gateway.domain())) {
      throw ApiException.badRequest(
          "bad_cursor", "cursor " + cursor + " is beyond the last item of this channel");
    }
    List<ChannelEntry> items =
        store.channelAfter(gateway.domain(), cursor, limit).stream().map(this::entry).toList();
    long next = items.isEmpty() ? cursor : items.get(items.size() - 1).seq();
    return new ChannelPage(items, next);
  }

  private ChannelEntry entry(ChannelItem item) {
    AccessRequest request = item.request();
    ChannelEntry.Type type =
        switch (item.kind()) {
          case NEW -> ChannelEntry.Type.REQUEST;
          case VOIDED -> ChannelEntry.Type.VOIDED;
        };
    String urn = "urn:uuid:" + request.instance();
    return new ChannelEntry(
        item.seq(),
        type,
        new ChannelRequest(
            request.id(),
            request.username(),
            request.friendlyName(),
            urn,
            "sip:" + request.username() + "@" + portalDomain + ";gr=" + urn,
            request.certificatePem(),
            request.createdAt(),
            AccessService.wireStatus(request.status())));
  }
}
