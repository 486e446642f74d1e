package io.doorpair.portal.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer to a posted batch.
 *
 * @param stored events stored now
 * @param duplicates events skipped because their id was stored before
 */
public record BatchResult(
    @JsonProperty("stored") int stored, @JsonProperty("duplicates") int duplicates) {}
