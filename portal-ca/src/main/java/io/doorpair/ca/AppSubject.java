package io.doorpair.ca;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An app pairing: CN {@code username@portal domain}.
 *
 * @param username the portal username, lowercase ({@code [a-z0-9][a-z0-9._-]{0,63}})
 * @param proposedInstance the device instance the CSR proposes, if any; the portal draws one
 *     otherwise
 */
public record AppSubject(String username, Optional<UUID> proposedInstance)
    implements PairingSubject {
  static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /**
   * Checks the username.
   *
   * @throws IllegalArgumentException if it is not a lowercase portal username
   */
  public AppSubject {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(proposedInstance, "proposedInstance");
    if (!USERNAME.matcher(username).matches()) {
      throw new IllegalArgumentException("username must match [a-z0-9][a-z0-9._-]{0,63}");
    }
  }

  /** Returns {@code username@portalDomain}, the domain in lowercase. */
  @Override
  public String commonName(String portalDomain) {
    return username + "@" + portalDomain.toLowerCase(Locale.ROOT);
  }
}
