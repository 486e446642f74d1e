package io.doorpair.portal.access;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An answer of {@code GET /api/gateway/channel}.
 *
 * @param items the items after the cursor, in seq order
 * @param cursor the seq of the last item, or the cursor given when there is none
 */
public record ChannelPage(
    @JsonProperty("items") List<ChannelEntry> items, @JsonProperty("cursor") long cursor) {
  public ChannelPage {
    items = List.copyOf(items);
  }
}
