package io.doorpair.ipgw.store;

import io.doorpair.crypto.SipPassword;
import java.time.Instant;
import java.util.Objects;

/**
 * A per-device SIP account on the gateway.
 *
 * @param sipUsername its username on the gateway's SIP server
 * @param requestId the request it answers
 * @param username the portal user
 * @param friendlyName the device's friendly name
 * @param gruu the device's GRUU
 * @param password the SIP password (secret)
 * @param rights what it may do
 * @param enabled whether it is in the files (the right security code was typed)
 * @param createdAt when approved
 */
public record Account(
    String sipUsername,
    long requestId,
    String username,
    String friendlyName,
    String gruu,
    SipPassword password,
    Rights rights,
    boolean enabled,
    Instant createdAt) {
  public Account {
    Objects.requireNonNull(sipUsername, "sipUsername");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(friendlyName, "friendlyName");
    Objects.requireNonNull(gruu, "gruu");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(rights, "rights");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
