package io.doorpair.portal.guests;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A guest of a gateway, as the owner sees it.
 *
 * @param username the guest's portal username
 * @param invitedAt when the owner invited them, RFC 3339
 */
public record GuestView(
    @JsonProperty("username") String username, @JsonProperty("invited_at") String invitedAt) {}
