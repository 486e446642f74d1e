package io.doorpair.b2b.conf;

import io.doorpair.crypto.SipPassword;
import java.util.Objects;

/**
 * One account of the Flexisip password file: {@code user@domain clrtxt:PASSWORD ;}.
 *
 * @param user the user part, 1-64 characters of {@code [A-Za-z0-9._-]}
 * @param domain the domain part (the gateway DOMAIN for the gateway's accounts)
 * @param password the clear-text password: printable ASCII without {@code / = @ ;}
 */
public record PasswdEntry(String user, String domain, SipPassword password) {
  /**
   * Checks the fields.
   *
   * @throws FileFormatException when a field would break the file
   */
  public PasswdEntry {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(password, "password");
    if (!AccountNames.isSipUsername(user)) {
      throw new FileFormatException("user must be 1-64 characters of [A-Za-z0-9._-]");
    }
    if (!AccountNames.isSipDomain(domain)) {
      throw new FileFormatException("domain must be a host name of letters, digits, '.' and '-'");
    }
    if (!PasswdFile.isClearTextPassword(password.reveal())) {
      throw new FileFormatException(
          "password must be printable ASCII without spaces, '/', '=', '@' or ';'");
    }
  }

  /**
   * The identity, {@code user@domain}.
   *
   * @return the identity
   */
  public String identity() {
    return user + "@" + domain;
  }
}
