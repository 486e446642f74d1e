package io.doorpair.portal.auth;

import io.doorpair.crypto.digest.DigestAlgorithm;
import io.doorpair.crypto.digest.Ha1;
import java.util.Optional;

/** Where {@link DigestAuthenticator} finds the stored HA1 of a portal user. */
@FunctionalInterface
public interface Ha1Source {

  /**
   * Finds a user's HA1 for one algorithm.
   *
   * @param username lowercase, {@code [a-z0-9][a-z0-9._-]{0,63}}: the authenticator never asks for
   *     anything else, and never changes the case of what the client sent
   * @param algorithm the algorithm of the client's credentials
   * @return the HA1 computed with the portal's realm, or empty for an unknown user
   */
  Optional<Ha1> find(String username, DigestAlgorithm algorithm);
}
