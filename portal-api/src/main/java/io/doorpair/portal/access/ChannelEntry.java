package io.doorpair.portal.access;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One item of a gateway's push channel.
 *
 * @param seq its position: 1, 2, 3... per gateway, without gaps
 * @param type {@code request} (a new request) or {@code voided} (the portal voided a pending one)
 * @param request the request as it is now
 */
public record ChannelEntry(
    @JsonProperty("seq") long seq,
    @JsonProperty("type") String type,
    @JsonProperty("request") ChannelRequest request) {}
