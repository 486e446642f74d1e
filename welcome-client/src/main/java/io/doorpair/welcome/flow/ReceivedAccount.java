package io.doorpair.welcome.flow;

import io.doorpair.crypto.SecurityCode;
import io.doorpair.welcome.profile.StoredAccount;
import java.util.Objects;

/**
 * An approved account as the app holds it (step 10 done, step 11 ready): the stored account and the
 * security code to read to the owner.
 *
 * @param account the stored account (password still encrypted)
 * @param code the security code, derived from this device's public key and the account's salt
 */
public record ReceivedAccount(StoredAccount account, SecurityCode code) {
  /** Checks that both parts are present. */
  public ReceivedAccount {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(code, "code");
  }
}
