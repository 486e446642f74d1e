package io.doorpair.welcome.offline;

import io.doorpair.crypto.SipPassword;
import java.time.Instant;
import java.util.Objects;

/**
 * The SIP account an offline QR code gives a phone: enough to register on the gateway's internal
 * SIP server on the local network, without any portal.
 *
 * @param domain the gateway DOMAIN (12 characters of {@code [a-z0-9]}); the SIP domain and digest
 *     realm of the account
 * @param internalSipUri where to register, e.g. {@code sip:192.168.1.20:5070;transport=tcp}
 * @param name the person's username, the name the portal knows them by if they ever join through
 *     the portal
 * @param sipUsername the SIP username, e.g. {@code alice-7f3a}
 * @param password the SIP password (secret)
 * @param rights what the account may do
 * @param externalAccess whether door calls also reach this person through the portal (their portal
 *     username goes into {@code acl.list})
 * @param expiresAt when the gateway stops accepting the confirmation code
 * @param oneTimeId the QR code's random id (32 lowercase hex characters)
 */
public record OfflineAccount(
    String domain,
    String internalSipUri,
    String name,
    String sipUsername,
    SipPassword password,
    OfflineRights rights,
    boolean externalAccess,
    Instant expiresAt,
    String oneTimeId) {
  /** Checks every field against the format of {@link OfflinePayload}. */
  public OfflineAccount {
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(rights, "rights");
    Objects.requireNonNull(expiresAt, "expiresAt");
    String bad =
        OfflinePayload.check(domain, internalSipUri, name, sipUsername, password, oneTimeId);
    if (bad != null) {
      throw new IllegalArgumentException(bad);
    }
    if (expiresAt.getNano() != 0) {
      throw new IllegalArgumentException("expiresAt must be whole seconds");
    }
  }

  /**
   * The SIP address of record, {@code sip:USER@DOMAIN}.
   *
   * @return the identity to register
   */
  public String addressOfRecord() {
    return "sip:" + sipUsername + "@" + domain;
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "OfflineAccount[" + sipUsername + "@" + domain + " via " + internalSipUri + "]";
  }
}
