package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Answer of {@code POST /api/gateway/events}.
 *
 * @param stored events stored by this call
 * @param duplicates events skipped because their id was already stored for this gateway
 */
public record EventBatchResult(
    @JsonProperty(value = "stored", required = true) int stored,
    @JsonProperty(value = "duplicates", required = true) int duplicates) {
  public EventBatchResult {
    if (stored < 0 || duplicates < 0) {
      throw new IllegalArgumentException("stored and duplicates must not be negative");
    }
  }
}
