package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.Objects;

/**
 * One element of {@code GET /api/gateways/DOMAIN/guests}.
 *
 * @param username the guest's portal username
 * @param invitedAt when the owner invited them
 */
public record GuestInfo(
    @JsonProperty(value = "username", required = true) String username,
    @JsonProperty(value = "invited_at", required = true)
        @JsonSerialize(using = InstantText.Writer.class)
        @JsonDeserialize(using = InstantText.Reader.class)
        Instant invitedAt) {
  public GuestInfo {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(invitedAt, "invited_at");
  }
}
