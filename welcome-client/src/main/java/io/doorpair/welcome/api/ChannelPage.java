package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Answer of {@code GET /api/gateway/channel}.
 *
 * @param items the items after the cursor, in seq order
 * @param cursor the seq to pass next time (the last item's, or the cursor sent when none)
 */
public record ChannelPage(
    @JsonProperty(value = "items", required = true) List<ChannelEntry> items,
    @JsonProperty(value = "cursor", required = true) long cursor) {
  public ChannelPage {
    items = List.copyOf(items);
    if (cursor < 0) {
      throw new IllegalArgumentException("cursor must not be negative");
    }
  }
}
