package io.doorpair.portal.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * An event as an app reads it.
 *
 * @param domain the gateway that posted it
 * @param seq its position in that gateway's journal
 * @param id the gateway's own id
 * @param kind {@code journal}, {@code topology}, {@code acl} or {@code accounts}
 * @param at when it happened by the gateway's clock, RFC 3339
 * @param payload the JSON object the gateway posted (checked when it was stored)
 */
public record EventView(
    @JsonProperty("domain") String domain,
    @JsonProperty("seq") long seq,
    @JsonProperty("id") String id,
    @JsonProperty("kind") String kind,
    @JsonProperty("at") String at,
    @JsonProperty("payload") @JsonRawValue String payload) {}
