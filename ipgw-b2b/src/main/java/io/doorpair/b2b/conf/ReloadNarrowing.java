package io.doorpair.b2b.conf;

import io.doorpair.b2b.conf.B2bFiles.Access;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the b2b keeps when a reload is refused (a file malformed, or the three files disagreeing):
 * the previous snapshot, <b>narrowed</b> by whatever of the new files can still be read, so that a
 * refused reload never keeps a revoked account usable.
 *
 * <ul>
 *   <li>The password file readable: an account stays only when it is still there with the same
 *       password ({@code ipgw@DOMAIN} always stays: its password is {@code b2b.conf}'s). Not
 *       readable: every app account is dropped (it cannot be told which were revoked); door
 *       stations and {@code ipgw} keep their previous passwords, so the intercom still rings.
 *   <li>{@code accounts.list} readable: an app account stays only when its line is still there for
 *       the same portal user and GRUU, with the rights and uses both lines have ({@code gruu-only}
 *       if either says so); an account used nowhere any more is dropped. Not readable: every app
 *       account is dropped. A password-file user that the new {@code accounts.list} names as an app
 *       account is never kept as a door station.
 *   <li>{@code acl.list} readable: the users in both; not readable: the previous users.
 * </ul>
 *
 * An app account dropped loses its password entry too, so it is never taken for a door station.
 */
public final class ReloadNarrowing {
  private ReloadNarrowing() {}

  /**
   * The previous snapshot narrowed by the new files that can be read.
   *
   * @param current the snapshot in use
   * @param paths where the new files are
   * @param conf the settings read at start (the DOMAIN)
   * @return the narrowed snapshot
   */
  public static Access narrowed(Access current, GatewayPaths paths, B2bConf conf) {
    return narrowed(
        current,
        conf.domain(),
        B2bFiles.readable(paths.passwdFile(), PasswdFile.MAX_CHARS, PasswdFile::parse, true),
        B2bFiles.readable(paths.accountsList(), AccountsList.MAX_CHARS, AccountsList::parse, false),
        B2bFiles.readable(paths.aclList(), AclList.MAX_CHARS, AclList::parse, false));
  }

  /**
   * The previous snapshot narrowed by the new files given.
   *
   * @param current the snapshot in use
   * @param domain the gateway DOMAIN
   * @param passwd the new password file, empty when unreadable
   * @param apps the new {@code accounts.list}, empty when unreadable
   * @param acl the new {@code acl.list}, empty when unreadable
   * @return the narrowed snapshot
   */
  public static Access narrowed(
      Access current,
      String domain,
      Optional<List<PasswdEntry>> passwd,
      Optional<List<AppAccount>> apps,
      Optional<List<String>> acl) {
    Set<String> oldApps = new HashSet<>();
    current.appAccounts().forEach(a -> oldApps.add(key(a.sipUsername())));
    Map<String, AppAccount> newApps = new HashMap<>();
    apps.ifPresent(list -> list.forEach(a -> newApps.put(key(a.sipUsername()), a)));
    Map<String, PasswdEntry> newEntries = new HashMap<>();
    passwd.ifPresent(list -> list.forEach(e -> newEntries.put(key(e.identity()), e)));

    List<AppAccount> keptApps = new ArrayList<>();
    if (passwd.isPresent() && apps.isPresent()) {
      for (AppAccount old : current.appAccounts()) {
        AppAccount now = newApps.get(key(old.sipUsername()));
        if (now == null
            || !now.portalUser().equals(old.portalUser())
            || !now.gruu().equals(old.gruu())) {
          continue;
        }
        boolean portal = old.portal() && now.portal();
        boolean lan = old.lan() && now.lan();
        if (!portal && !lan) {
          continue;
        }
        keptApps.add(
            new AppAccount(
                old.sipUsername(),
                old.portalUser(),
                old.gruu(),
                old.doorCalls() && now.doorCalls(),
                old.openDoor() && now.openDoor(),
                old.cameras() && now.cameras(),
                old.gruuOnly() || now.gruuOnly(),
                portal,
                lan));
      }
    }
    Set<String> keptAppNames = new HashSet<>();
    List<PasswdEntry> keptEntries = new ArrayList<>();
    for (PasswdEntry old : current.accounts()) {
      boolean own = old.identity().equalsIgnoreCase("ipgw@" + domain);
      if (own) {
        keptEntries.add(old);
        continue;
      }
      if (passwd.isPresent()) {
        PasswdEntry now = newEntries.get(key(old.identity()));
        if (now == null || !now.password().equals(old.password())) {
          continue;
        }
      }
      String user = key(old.user());
      boolean onDomain = old.domain().equalsIgnoreCase(domain);
      if (onDomain && oldApps.contains(user)) {
        boolean kept = keptApps.stream().anyMatch(a -> key(a.sipUsername()).equals(user));
        if (!kept) {
          continue;
        }
        keptAppNames.add(user);
      } else if (onDomain && newApps.containsKey(user)) {
        continue; // a door station of before that the new files call an app account
      }
      keptEntries.add(old);
    }
    List<AppAccount> finalApps =
        keptApps.stream().filter(a -> keptAppNames.contains(key(a.sipUsername()))).toList();
    List<String> keptAcl =
        acl.map(now -> current.acl().stream().filter(now::contains).toList()).orElse(current.acl());
    return new Access(keptAcl, keptEntries, finalApps);
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
