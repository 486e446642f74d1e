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
 * @param portal the account may be used through the portal (the b2b's portal-side digest accepts
 *     it; it counts for door calls forked through the portal)
 * @param lan the account may be used on the gateway's LAN: it registers at the embedded internal
 *     SIP server and calls door stations there, within its rights (offline QR accounts)
 */
public record AppAccount(
    String sipUsername,
    String portalUser,
    Optional<String> gruu,
    boolean doorCalls,
    boolean openDoor,
    boolean cameras,
    boolean gruuOnly,
    boolean portal,
    boolean lan) {
  private static final Pattern GRUU =
      Pattern.compile(
          "sip:([a-z0-9][a-z0-9._-]{0,63})@([a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)"
              + ";gr=urn:uuid:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

  /**
   * Checks the fields.
   *
   * @throws FileFormatException when a name or the GRUU would break the file, the GRUU is not the
   *     portal user's, or the account may be used nowhere
   */
  public AppAccount {
    if (!portal && !lan) {
      throw new FileFormatException("an account must be usable through the portal or on the LAN");
    }
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
   * An account used through the portal only (an app approved through the portal), never on the LAN.
   *
   * @param sipUsername the password file's user
   * @param portalUser the portal user
   * @param gruu the device's GRUU, if any
   * @param doorCalls the door-calls right
   * @param openDoor the open-door right
   * @param cameras the cameras right
   * @param gruuOnly door calls reach only this device
   */
  public AppAccount(
      String sipUsername,
      String portalUser,
      Optional<String> gruu,
      boolean doorCalls,
      boolean openDoor,
      boolean cameras,
      boolean gruuOnly) {
    this(sipUsername, portalUser, gruu, doorCalls, openDoor, cameras, gruuOnly, true, false);
  }

  /**
   * Whether the account has any right.
   *
   * @return door-calls, open-door or cameras
   */
  public boolean anyRight() {
    return doorCalls || openDoor || cameras;
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
