package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.Objects;

/**
 * An access request as the gateway's channel carries it, in {@link ChannelEntry}.
 *
 * @param requestId the request, positive
 * @param username the requesting portal user
 * @param friendlyName the requesting device's friendly name, e.g. {@code Alice's phone}
 * @param instance the device instance, {@code urn:uuid:...}
 * @param gruu the GRUU bound to the requesting certificate; send it back with the approval
 * @param certificate the requesting certificate in PEM: encrypt the SIP password to its key and
 *     compute the public key hash from it (the portal never sends the hash)
 * @param createdAt when the app asked
 * @param status where the request stands now
 */
public record ChannelRequest(
    @JsonProperty(value = "request_id", required = true) long requestId,
    @JsonProperty(value = "username", required = true) String username,
    @JsonProperty(value = "friendly_name", required = true) String friendlyName,
    @JsonProperty(value = "instance", required = true) String instance,
    @JsonProperty(value = "gruu", required = true) String gruu,
    @JsonProperty(value = "certificate", required = true) String certificate,
    @JsonProperty(value = "created_at", required = true)
        @JsonSerialize(using = InstantText.Writer.class)
        @JsonDeserialize(using = InstantText.Reader.class)
        Instant createdAt,
    @JsonProperty(value = "status", required = true) RequestStatus status) {
  public ChannelRequest {
    if (requestId <= 0) {
      throw new IllegalArgumentException("request_id must be positive");
    }
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(friendlyName, "friendly_name");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(gruu, "gruu");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(createdAt, "created_at");
    Objects.requireNonNull(status, "status");
  }
}
