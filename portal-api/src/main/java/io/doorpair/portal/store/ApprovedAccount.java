package io.doorpair.portal.store;

import java.util.Objects;

/**
 * What the gateway sent when it approved an access request.
 *
 * @param sipUsername the SIP username the gateway chose for the app (1-64 characters of {@code
 *     [A-Za-z0-9._-]})
 * @param encryptedPassword standard base64 of the RSAES-OAEP ciphertext of the SIP password,
 *     encrypted to the requesting certificate's key (DESIGN §5)
 * @param gruu the GRUU bound to the requesting certificate ({@code
 *     sip:user@portal-domain;gr=urn:uuid:...})
 */
public record ApprovedAccount(String sipUsername, String encryptedPassword, String gruu) {
  public ApprovedAccount {
    Objects.requireNonNull(sipUsername, "sipUsername");
    Objects.requireNonNull(encryptedPassword, "encryptedPassword");
    Objects.requireNonNull(gruu, "gruu");
  }
}
