package io.doorpair.welcome.api;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Where an access request stands: pending, then exactly one of the others, for ever. */
public enum RequestStatus {
  /** Waiting for the gateway's decision. */
  @JsonProperty("pending")
  PENDING,
  /** The gateway sent an account. */
  @JsonProperty("approved")
  APPROVED,
  /** The gateway refused. */
  @JsonProperty("denied")
  DENIED,
  /** Voided by the portal: the guest was removed, or the certificate revoked, before approval. */
  @JsonProperty("void")
  VOID,
  /**
   * A status this client does not know, sent by a newer portal; never sent by the portal this
   * client was built with.
   */
  @JsonEnumDefaultValue
  UNKNOWN
}
