package io.doorpair.b2b.access;

import io.doorpair.b2b.conf.AppAccount;
import io.doorpair.b2b.conf.B2bFiles.Access;
import io.doorpair.b2b.conf.PasswdEntry;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may do what on the gateway's LAN, at the embedded internal SIP server: one immutable snapshot
 * of the password file and {@code accounts.list}, built with the {@link AccessPolicy} of the same
 * files.
 *
 * <p>Roles of the password file's users at DOMAIN: {@code ipgw} is the b2b ({@link Role#GATEWAY});
 * a user that {@code accounts.list} does not name is a door station ({@link Role#DOOR}, as {@code
 * ipgw door add} makes them); an app account marked {@code lan} is a {@link Role#LAN_APP} (offline
 * QR accounts); any other app account (approved through the portal) is {@link Role#NOT_ADMITTED}:
 * its password is refused on the LAN ({@code 403}), so a password taken from a phone that pairs
 * through the portal does not open the LAN side.
 *
 * <p>What passes: a LAN app account calls door stations only (INVITE needs door-calls or cameras, a
 * MESSAGE open-door, nothing else out of dialog); in a call, INFO and MESSAGE pass the same
 * content-type allowlist as on the portal side (DTMF and MESSAGE need open-door, an INFO without
 * body or with SDP any right, other bodies {@code 415}), a re-INVITE, UPDATE or PRACK any right,
 * anything else is refused. A door station (or the b2b) reaches a LAN app account only when it has
 * the door-calls right: a phone without it is never rung. RFC 4733 {@code telephone-event} is
 * removed from every SDP offer and answer of a dialog where one end is a LAN app account without
 * open-door.
 */
public final class LanPolicy {
  /** What a password-file user is on the LAN. */
  public enum Role {
    /** {@code ipgw}: the b2b itself. */
    GATEWAY,
    /** A door station: a password-file user at DOMAIN that is no app account. */
    DOOR,
    /** An app account made for the LAN ({@code lan} in {@code accounts.list}). */
    LAN_APP,
    /** An app account used through the portal only: refused on the LAN. */
    NOT_ADMITTED,
    /** No account of the password file at DOMAIN. */
    UNKNOWN
  }

  /** What happens to a request. */
  public enum Outcome {
    /** Forward it. */
    PASS,
    /** {@code 403}. */
    FORBIDDEN,
    /** {@code 415}: an INFO body that is not relayed. */
    UNSUPPORTED_MEDIA
  }

  /**
   * The decision on a request.
   *
   * @param outcome what to do
   * @param why for the log, never a secret
   */
  public record Verdict(Outcome outcome, String why) {
    static final Verdict PASS = new Verdict(Outcome.PASS, "");

    static Verdict forbidden(String why) {
      return new Verdict(Outcome.FORBIDDEN, why);
    }

    /**
     * Whether the request passes.
     *
     * @return true for {@link Outcome#PASS}
     */
    public boolean passes() {
      return outcome == Outcome.PASS;
    }
  }

  private final Map<String, Role> roles;
  private final Map<String, AppAccount> lanApps;
  private final boolean everyAccountADoor;

  private LanPolicy(
      Map<String, Role> roles, Map<String, AppAccount> lanApps, boolean everyAccountADoor) {
    this.roles = Map.copyOf(roles);
    this.lanApps = Map.copyOf(lanApps);
    this.everyAccountADoor = everyAccountADoor;
  }

  /**
   * The policy of a server that has no {@code accounts.list} (a stand-alone internal server): every
   * account that passes digest is a door station, {@code ipgw} the b2b.
   *
   * @return the policy
   */
  public static LanPolicy everyAccountADoor() {
    return new LanPolicy(Map.of(), Map.of(), true);
  }

  /**
   * The LAN side of a set of files.
   *
   * @param domain the gateway DOMAIN
   * @param access the files
   * @return the policy
   */
  public static LanPolicy of(String domain, Access access) {
    Objects.requireNonNull(domain, "domain");
    Map<String, AppAccount> apps = new HashMap<>();
    for (AppAccount a : access.appAccounts()) {
      apps.put(key(a.sipUsername()), a);
    }
    Map<String, Role> roles = new HashMap<>();
    Map<String, AppAccount> lan = new HashMap<>();
    for (PasswdEntry e : access.accounts()) {
      if (!e.domain().equalsIgnoreCase(domain)) {
        continue;
      }
      String user = key(e.user());
      AppAccount app = apps.get(user);
      if (user.equals("ipgw")) {
        roles.put(user, Role.GATEWAY);
      } else if (app == null) {
        roles.put(user, Role.DOOR);
      } else if (app.lan()) {
        roles.put(user, Role.LAN_APP);
        lan.put(user, app);
      } else {
        roles.put(user, Role.NOT_ADMITTED);
      }
    }
    return new LanPolicy(roles, lan, false);
  }

  /**
   * A user's role.
   *
   * @param user the user part at DOMAIN
   * @return the role, {@link Role#UNKNOWN} without account
   */
  public Role role(String user) {
    if (user == null) {
      return Role.UNKNOWN;
    }
    if (everyAccountADoor) {
      return key(user).equals("ipgw") ? Role.GATEWAY : Role.DOOR;
    }
    return roles.getOrDefault(key(user), Role.UNKNOWN);
  }

  /**
   * Whether an authenticated user may register on the LAN: the b2b, door stations and LAN app
   * accounts.
   *
   * @param user the digest username
   * @return true when admitted
   */
  public boolean mayRegister(String user) {
    Role r = role(user);
    return r == Role.GATEWAY || r == Role.DOOR || r == Role.LAN_APP;
  }

  /**
   * A request that starts something (out of dialog), from an authenticated user to a user at
   * DOMAIN.
   *
   * @param method the SIP method
   * @param from the digest username (the From user, checked equal before)
   * @param target the Request-URI's user
   * @return the decision
   */
  public Verdict initial(String method, String from, String target) {
    Role caller = role(from);
    Role callee = role(target);
    switch (caller) {
      case LAN_APP:
        AppAccount app = lanApps.get(key(from));
        if (callee != Role.DOOR) {
          return Verdict.forbidden("LAN account " + from + " may call door stations only");
        }
        Need need;
        if ("INVITE".equals(method)) {
          need = Need.CALL;
        } else if ("MESSAGE".equals(method)) {
          need = Need.OPEN_DOOR;
        } else {
          return Verdict.forbidden(method + " from LAN account " + from + " not allowed");
        }
        return need.grantedBy(app)
            ? Verdict.PASS
            : Verdict.forbidden("LAN account " + from + " lacks the right for " + need);
      case GATEWAY:
      case DOOR:
        if (callee == Role.NOT_ADMITTED) {
          return Verdict.forbidden(target + " is not a LAN account");
        }
        if (callee == Role.LAN_APP && !lanApps.get(key(target)).doorCalls()) {
          return Verdict.forbidden("LAN account " + target + " lacks door-calls: not rung");
        }
        return Verdict.PASS;
      default:
        return Verdict.forbidden(from + " is not admitted on the LAN");
    }
  }

  /**
   * A request inside a dialog (it came back along this server's Record-Route), from an
   * authenticated user.
   *
   * @param method the SIP method
   * @param from the digest username
   * @param contentType the body's {@code type/subtype}, lowercase, if any
   * @param hasBody whether there is a body
   * @return the decision
   */
  public Verdict inDialog(
      String method, String from, Optional<String> contentType, boolean hasBody) {
    Role sender = role(from);
    if (sender == Role.GATEWAY || sender == Role.DOOR) {
      return Verdict.PASS;
    }
    if (sender != Role.LAN_APP) {
      return Verdict.forbidden(from + " is not admitted on the LAN");
    }
    AppAccount app = lanApps.get(key(from));
    Need need;
    switch (method) {
      case "MESSAGE":
        need = Need.OPEN_DOOR;
        break;
      case "INFO":
        Optional<Need> info = infoNeed(contentType, hasBody);
        if (info.isEmpty()) {
          return new Verdict(Outcome.UNSUPPORTED_MEDIA, "INFO body " + contentType.orElse("?"));
        }
        need = info.get();
        break;
      case "INVITE":
      case "UPDATE":
      case "PRACK":
        need = Need.IN_CALL;
        break;
      default:
        return Verdict.forbidden(method + " from LAN account " + from + " not allowed");
    }
    return need.grantedBy(app)
        ? Verdict.PASS
        : Verdict.forbidden("LAN account " + from + " lacks the right for " + need);
  }

  /**
   * What an INFO needs by its content type: DTMF ({@code application/dtmf-relay}, {@code
   * application/dtmf}, the door-open command) the open-door right; no body or SDP any right; any
   * other body is not relayed (empty).
   *
   * @param contentType {@code type/subtype}, lowercase, if any
   * @param hasBody whether there is a body
   * @return the need, empty when the body is not relayed
   */
  public static Optional<Need> infoNeed(Optional<String> contentType, boolean hasBody) {
    if (contentType.isEmpty()) {
      return hasBody ? Optional.empty() : Optional.of(Need.IN_CALL);
    }
    switch (contentType.get()) {
      case "application/dtmf-relay":
      case "application/dtmf":
        return Optional.of(Need.OPEN_DOOR);
      case "application/sdp":
        return Optional.of(Need.IN_CALL);
      default:
        return Optional.empty();
    }
  }

  /**
   * Whether SDP between two users loses {@code telephone-event}: one of them is a LAN app account
   * without the open-door right.
   *
   * @param from the From user of the request or response
   * @param to the To user
   * @return true when the events are removed
   */
  public boolean stripsEvents(String from, String to) {
    return lacksOpenDoor(from) || lacksOpenDoor(to);
  }

  /**
   * Whether a dialog between two users is record-routed through the internal server, so that the
   * requests inside it are checked too: one of them is a LAN app account.
   *
   * @param from the caller
   * @param to the callee
   * @return true when the server stays on the path
   */
  public boolean staysOnPath(String from, String to) {
    return role(from) == Role.LAN_APP || role(to) == Role.LAN_APP;
  }

  private boolean lacksOpenDoor(String user) {
    AppAccount app = user == null ? null : lanApps.get(key(user));
    return app != null && !app.openDoor();
  }

  /** Counts without names. */
  @Override
  public String toString() {
    return "LanPolicy[" + roles.size() + " accounts, " + lanApps.size() + " LAN app accounts]";
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
