package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import java.util.Optional;

/**
 * One item of a gateway's channel, in {@link ChannelPage}.
 *
 * @param seq its position in the gateway's channel: 1, 2, 3... without gaps
 * @param type what happened
 * @param request the request as it is now; present for {@link Type#REQUEST} and {@link
 *     Type#VOIDED}, {@code null} only for an item of {@link Type#UNKNOWN} type without one (read it
 *     with {@link #requestIfAny()})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChannelEntry(
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "type", required = true) Type type,
    @JsonProperty("request") ChannelRequest request) {

  /** What the gateway learns from an item. */
  public enum Type {
    /** A new access request. */
    @JsonProperty("request")
    REQUEST,
    /** A pending request the portal voided (guest removed, certificate revoked). */
    @JsonProperty("voided")
    VOIDED,
    /**
     * A type this client does not know, sent by a newer portal: the gateway skips the item and
     * moves its cursor past it.
     */
    @JsonEnumDefaultValue
    UNKNOWN
  }

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException when {@code seq} is not positive, or a known type lacks its
   *     request
   */
  public ChannelEntry {
    if (seq <= 0) {
      throw new IllegalArgumentException("seq must be positive");
    }
    Objects.requireNonNull(type, "type");
    if (type != Type.UNKNOWN && request == null) {
      throw new IllegalArgumentException("a " + type + " item carries its request");
    }
  }

  /**
   * The request, absent only for an item of {@link Type#UNKNOWN} type.
   *
   * @return the request
   */
  public Optional<ChannelRequest> requestIfAny() {
    return Optional.ofNullable(request);
  }
}
