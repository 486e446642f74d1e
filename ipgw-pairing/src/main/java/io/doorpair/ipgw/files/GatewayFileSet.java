package io.doorpair.ipgw.files;

import io.doorpair.b2b.conf.AppAccount;
import io.doorpair.b2b.conf.B2bConf;
import io.doorpair.b2b.conf.PasswdEntry;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything the files of DESIGN §6 hold, rendered from the gateway's store: the files are a
 * function of this value, so writing it again after a crash repairs any file the crash left old.
 *
 * @param caPem the portal CA certificate
 * @param agentPem the gateway's private key then its certificate
 * @param b2bConf the b2b settings (its password is also the {@code ipgw@DOMAIN} account)
 * @param appAccounts the enabled app accounts of the password file, in order
 * @param acl the portal usernames door calls are forked to
 * @param appRights each enabled app account's device and rights ({@code accounts.list})
 */
public record GatewayFileSet(
    String caPem,
    String agentPem,
    B2bConf b2bConf,
    List<PasswdEntry> appAccounts,
    Set<String> acl,
    List<AppAccount> appRights) {
  public GatewayFileSet {
    Objects.requireNonNull(caPem, "caPem");
    Objects.requireNonNull(agentPem, "agentPem");
    Objects.requireNonNull(b2bConf, "b2bConf");
    appAccounts = List.copyOf(appAccounts);
    acl = Set.copyOf(new TreeSet<>(acl));
    appRights = List.copyOf(appRights);
  }

  /**
   * The password file's accounts: {@code ipgw@DOMAIN} with the b2b password first, then the apps.
   *
   * @return the accounts
   */
  public List<PasswdEntry> passwdEntries() {
    List<PasswdEntry> all = new java.util.ArrayList<>();
    all.add(new PasswdEntry("ipgw", b2bConf.domain(), b2bConf.password()));
    all.addAll(appAccounts);
    return List.copyOf(all);
  }

  /** Redacts the key and passwords. */
  @Override
  public String toString() {
    return "GatewayFileSet[domain="
        + b2bConf.domain()
        + ", appAccounts="
        + appAccounts.size()
        + ", acl="
        + acl.size()
        + "]";
  }
}
