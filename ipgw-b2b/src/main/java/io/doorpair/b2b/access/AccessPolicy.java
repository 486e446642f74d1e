package io.doorpair.b2b.access;

import io.doorpair.b2b.conf.AppAccount;
import io.doorpair.b2b.conf.B2bFiles.Access;
import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.localsip.DigestGate;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One snapshot of who may do what: immutable, built from the files read together.
 *
 * <p>Door calls ring the users of {@code acl.list}: the user's address of record {@code
 * sip:user@<portal domain>} (every device) when one of the user's accounts with the door-calls
 * right is {@code all-devices}, otherwise each GRUU of the user's {@code gruu-only} accounts with
 * that right. The portal domain is the one of the GRUUs in {@code accounts.list}.
 *
 * <p>Requests from apps are checked with digest (realm = the gateway DOMAIN) against the app
 * accounts of {@code accounts.list} only (never the door stations' or {@code ipgw}'s accounts of
 * the password file); the digest username's account must belong to the portal user of the request's
 * From, and for a {@code gruu-only} account come from that device; then its rights must allow what
 * is asked ({@link Need}). Only accounts used through the portal ({@link AppAccount#portal()}) take
 * part on this side; the LAN side is {@link LanPolicy}.
 */
public final class AccessPolicy {
  private final String domain;
  private final List<String> acl;
  private final List<AppAccount> accounts;
  private final Set<String> allApps;
  private final Optional<String> portalDomain;
  private final DigestGate gate;
  private final LanPolicy lan;

  private AccessPolicy(
      String domain,
      List<String> acl,
      List<AppAccount> allAccounts,
      DigestGate gate,
      LanPolicy lan) {
    this.domain = domain;
    this.acl = List.copyOf(acl);
    // the portal side sees only the accounts used through the portal
    this.accounts = allAccounts.stream().filter(AppAccount::portal).toList();
    Set<String> names = new java.util.HashSet<>();
    allAccounts.forEach(a -> names.add(a.sipUsername().toLowerCase(Locale.ROOT)));
    this.allApps = Set.copyOf(names);
    this.lan = lan;
    this.portalDomain =
        accounts.stream().map(AppAccount::portalDomain).flatMap(Optional::stream).findFirst();
    this.gate = gate;
  }

  /**
   * A snapshot.
   *
   * @param domain the gateway DOMAIN (the digest realm)
   * @param access the files
   * @param clock for nonces
   * @param random for the nonce key
   * @return the policy
   */
  public static AccessPolicy of(String domain, Access access, Clock clock, SecureRandom random) {
    Objects.requireNonNull(domain, "domain");
    Set<String> apps = new java.util.HashSet<>();
    for (AppAccount a : access.appAccounts()) {
      if (a.portal()) {
        apps.add(a.sipUsername().toLowerCase(Locale.ROOT));
      }
    }
    List<PasswdEntry> appEntries = new ArrayList<>();
    for (PasswdEntry e : access.accounts()) {
      if (e.domain().equalsIgnoreCase(domain) && apps.contains(e.user().toLowerCase(Locale.ROOT))) {
        appEntries.add(e);
      }
    }
    return new AccessPolicy(
        domain,
        access.acl(),
        access.appAccounts(),
        new DigestGate(domain, appEntries, clock, random),
        LanPolicy.of(domain, access));
  }

  /**
   * Who may do what on the gateway's LAN (the embedded internal SIP server), from the same files.
   *
   * @return the LAN side of this snapshot
   */
  public LanPolicy lan() {
    return lan;
  }

  /**
   * The gateway DOMAIN.
   *
   * @return the DOMAIN
   */
  public String domain() {
    return domain;
  }

  /**
   * The portal's SIP domain, the one of the GRUUs in {@code accounts.list}: requests from phones
   * must come From a user at it.
   *
   * @return the domain, empty when no account has a GRUU
   */
  public Optional<String> portalDomain() {
    return portalDomain;
  }

  /**
   * Where a door call rings now, in {@code acl.list} order.
   *
   * @return SIP URIs: addresses of record or GRUUs
   */
  public List<String> doorCallTargets() {
    Set<String> targets = new LinkedHashSet<>();
    if (portalDomain.isEmpty()) {
      return List.of();
    }
    for (String user : acl) {
      List<AppAccount> ringing =
          accounts.stream().filter(a -> a.portalUser().equals(user) && a.doorCalls()).toList();
      if (ringing.stream().anyMatch(a -> !a.gruuOnly())) {
        targets.add("sip:" + user + "@" + portalDomain.get());
      } else {
        ringing.forEach(a -> a.gruu().ifPresent(targets::add));
      }
    }
    return List.copyOf(targets);
  }

  /**
   * Whether a password-file user is an app account of {@code accounts.list} (not a door station),
   * whether used through the portal or on the LAN.
   *
   * @param sipUsername the user part
   * @return true for an app account
   */
  public boolean isAppAccount(String sipUsername) {
    return allApps.contains(sipUsername.toLowerCase(Locale.ROOT));
  }

  /**
   * Whether a door call's offer may keep RFC 4733 {@code telephone-event}: only when every target
   * is a GRUU whose account has the open-door right. An address of record forks to every device of
   * the user, also devices without an account here, so it never may.
   *
   * @param targets the door call's targets
   * @return true when the events may be offered
   */
  public boolean offerMayCarryEvents(List<String> targets) {
    if (targets.isEmpty()) {
      return false;
    }
    for (String target : targets) {
      boolean open =
          accounts.stream()
              .anyMatch(a -> a.openDoor() && a.gruu().map(target::equalsIgnoreCase).orElse(false));
      if (!open) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the device that answered a door call may open the door, so its answer may keep {@code
   * telephone-event}: one of the portal user's accounts names that device's instance and has the
   * open-door right. An unknown device may not.
   *
   * @param portalUser the portal user the answering branch was addressed to
   * @param instance the device instance of the answer's Contact ({@code urn:uuid:...}), if any
   * @return true when the device has the open-door right
   */
  public boolean deviceMayOpen(String portalUser, Optional<String> instance) {
    if (instance.isEmpty()) {
      return false;
    }
    return accounts.stream()
        .anyMatch(
            a ->
                a.openDoor()
                    && a.portalUser().equalsIgnoreCase(portalUser)
                    && a.instance().map(instance.get()::equalsIgnoreCase).orElse(false));
  }

  /**
   * Checks a request from an app.
   *
   * @param method the SIP method
   * @param requestUris the URIs the credentials may name: the Request-URI as received, and the
   *     address the app called (To), which the portal replaced by the gateway's contact
   * @param authorization the {@code Authorization} header value, if any
   * @param fromUser the user part of From (the portal checked it against the certificate)
   * @param instance the device instance the request names in its Contact ({@code urn:uuid:...} from
   *     {@code +sip.instance} or {@code gr}), if any
   * @param need what is asked
   * @return pass, challenge or forbidden
   */
  public Verdict check(
      String method,
      List<String> requestUris,
      Optional<String> authorization,
      String fromUser,
      Optional<String> instance,
      Need need) {
    DigestGate.Verdict digest = gate.check(method, requestUris, authorization, "");
    if (digest instanceof DigestGate.Challenge c) {
      return new Verdict.Challenge(c.headerValues(), c.why());
    }
    String user = ((DigestGate.Accepted) digest).user();
    Optional<AppAccount> found =
        accounts.stream().filter(a -> a.sipUsername().equalsIgnoreCase(user)).findFirst();
    if (found.isEmpty()) {
      return new Verdict.Forbidden("no app account " + user);
    }
    AppAccount account = found.get();
    if (!account.portalUser().equalsIgnoreCase(fromUser)) {
      return new Verdict.Forbidden(
          "account " + user + " is not of " + fromUser + " but of " + account.portalUser());
    }
    if (account.gruuOnly()
        && (account.instance().isEmpty()
            || instance.isEmpty()
            || !account.instance().get().equalsIgnoreCase(instance.get()))) {
      return new Verdict.Forbidden("account " + user + " is restricted to another device");
    }
    if (!need.grantedBy(account)) {
      return new Verdict.Forbidden("account " + user + " lacks the right for " + need);
    }
    return new Verdict.Pass(account);
  }

  /** A short description without secrets. */
  @Override
  public String toString() {
    return "AccessPolicy[" + domain + ", acl=" + acl.size() + ", accounts=" + accounts.size() + "]";
  }
}
