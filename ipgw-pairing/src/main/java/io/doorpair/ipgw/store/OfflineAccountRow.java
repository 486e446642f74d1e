package io.doorpair.ipgw.store;

import io.doorpair.crypto.SipPassword;
import java.time.Instant;
import java.util.Objects;

/**
 * An account created offline from the admin site, with its QR code (DESIGN §9).
 *
 * @param id the QR code's one-time id (32 hex characters)
 * @param name the person's username (their portal username, if they have one)
 * @param sipUsername the SIP username ({@code name-} and 6 hex digits)
 * @param password the SIP password (secret)
 * @param rights what it may do ({@code gruuOnly} is always false: no GRUU offline)
 * @param external whether door calls also reach the person through the portal
 * @param state where it is in its life
 * @param wrongCodes wrong confirmation codes typed so far
 * @param createdAt when the owner made it
 * @param expiresAt when its QR code and confirmation stop working
 * @param payload the QR code's text (holds the password)
 */
public record OfflineAccountRow(
    String id,
    String name,
    String sipUsername,
    SipPassword password,
    Rights rights,
    boolean external,
    OfflineState state,
    int wrongCodes,
    Instant createdAt,
    Instant expiresAt,
    String payload) {
  public OfflineAccountRow {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sipUsername, "sipUsername");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(rights, "rights");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(payload, "payload");
  }

  /** Never shows the password or the payload. */
  @Override
  public String toString() {
    return "OfflineAccountRow[" + sipUsername + ", " + state + "]";
  }
}
