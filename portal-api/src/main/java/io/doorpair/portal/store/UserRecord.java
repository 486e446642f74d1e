package io.doorpair.portal.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A portal user. Only the digest HA1 values are kept: {@code H(username:realm:password)} as
 * lowercase hex, one per algorithm; never the password.
 *
 * @param username lowercase, {@code [a-z0-9][a-z0-9._-]{0,63}}
 * @param ha1Sha256 64 lowercase hex characters
 * @param ha1Md5 32 lowercase hex characters
 * @param createdAt when the user was created
 */
public record UserRecord(String username, String ha1Sha256, String ha1Md5, Instant createdAt) {
  public UserRecord {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(ha1Sha256, "ha1Sha256");
    Objects.requireNonNull(ha1Md5, "ha1Md5");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  @Override
  public String toString() {
    return "UserRecord[username=" + username + ", ha1=<redacted>, createdAt=" + createdAt + "]";
  }
}
