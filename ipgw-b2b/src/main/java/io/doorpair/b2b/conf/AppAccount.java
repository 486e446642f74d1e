package io.doorpair.b2b.conf;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One enabled app account of {@code accounts.list}: which device it is and what it may do.
 *
 * @param sipUsername the account's username in the password file ({@code alice-7f3a}), the digest
 *     username the device answers challenges with
 * @param portalUser the portal user who owns the device ({@code alice}); a request through the
 *     portal is from this user
 * @param gruu the device's GRUU ({@code sip:alice@portal.example.com;gr=urn:uuid:...}), empty for
 *     an account made without the portal
 * @param doorCalls the device receives door calls (and may call a door station)
 * @param openDoor the device may send the door-open command
 * @param cameras the device may call a camera
 * @param gruuOnly door calls reach only this device's GRUU, not every device of the user
 */
public record AppAccount(
    String sipUsername,
    String portalUser,
    Optional<String> gruu,
    boolean doorCalls,
    boolean openDoor,
    boolean cameras,
    boolean gruuOnly) {
  private static final Pattern GRUU =
      Pattern.compile(
          "sip:([a-z0-9][a-z0-9._-]{0,63})@([a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)"
              + ";gr=urn:uuid:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

  /**
   * Checks the fields.
   *
   * @throws FileFormatException when a name or the GRUU would break the file, or the GRUU is not
   *     the portal user's
   */
  public AppAccount {
    AccountNames.sipUsername(sipUsername);
    portalUser = AccountNames.portalUsername(portalUser);
    Objects.requireNonNull(gruu, "gruu");
    if (gruu.isPresent()) {
      Matcher m = GRUU.matcher(gruu.get());
      if (!m.matches()) {
        throw new FileFormatException(
            "GRUU must be sip:user@portal-domain;gr=urn:uuid:<lowercase uuid>");
      }
      if (!m.group(1).equals(portalUser)) {
        throw new FileFormatException("the GRUU is not of portal user " + portalUser);
      }
    }
  }

  /**
   * The portal SIP domain, read from the GRUU.
   *
   * @return the domain, empty without GRUU
   */
  public Optional<String> portalDomain() {
    return gruu.map(g -> g.substring(g.indexOf('@') + 1, g.indexOf(';')));
  }

  /**
   * The device instance of the GRUU, {@code urn:uuid:...}.
   *
   * @return the instance, empty without GRUU
   */
  public Optional<String> instance() {
    return gruu.map(g -> g.substring(g.indexOf(";gr=") + 4).toLowerCase(Locale.ROOT));
  }
}
