package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Why a user may join a gateway. */
public enum GatewayRole {
  /** The user paired the gateway. */
  @JsonProperty("owner")
  OWNER,
  /** The owner invited the user. */
  @JsonProperty("guest")
  GUEST,
  /**
   * A role this client does not know, sent by a newer portal; never sent by the portal this client
   * was built with.
   */
  @JsonEnumDefaultValue
  UNKNOWN
}
