package io.doorpair.b2b.conf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code etc/b2b/accounts.list}: the project's addition to the files of DESIGN §6, because the b2b
 * needs each app account's rights and device, which neither {@code acl.list} nor the password file
 * holds, and where it may be used. Written by {@code ipgw} beside them; one line per enabled app
 * account (approved through the portal, or made offline by QR code):
 *
 * <pre>
 * accounts:2
 * alice-7f3a alice sip:alice@portal.example.com;gr=urn:uuid:... door-calls,open-door,cameras all-devices portal
 * bob-00c1 bob - cameras gruu-only portal
 * grace-0a1b2c grace - door-calls all-devices lan
 * henri-3d4e5f henri - door-calls,open-door all-devices portal,lan
 * </pre>
 *
 * <p>Fields, separated by one space: the SIP username (the password file's user part), the portal
 * user, the device GRUU or {@code -}, the rights as a comma-separated list of {@code door-calls},
 * {@code open-door}, {@code cameras} in that order or {@code -} for none, {@code gruu-only} or
 * {@code all-devices}, and where the account may be used: {@code portal} (the b2b's portal-side
 * digest), {@code lan} (the embedded internal SIP server: registering, calling door stations) or
 * both, {@code portal,lan}, in that order. Empty lines and lines starting with {@code #} are
 * skipped on reading. Another version line ({@code accounts:1} did not say which accounts are LAN
 * accounts), a SIP username given twice, an unknown right or use, one given twice or out of order,
 * and GRUUs of different portal domains are refused, naming the line. Rendered sorted by SIP
 * username.
 */
public final class AccountsList {
  /** The longest file read. */
  public static final int MAX_CHARS = 4 * 1024 * 1024;

  /** The version line this code reads and writes. */
  public static final String VERSION = "accounts:2";

  private static final List<String> RIGHTS = List.of("door-calls", "open-door", "cameras");
  private static final List<String> USES = List.of("portal", "lan");

  private AccountsList() {}

  /**
   * Renders the file.
   *
   * @param accounts the enabled app accounts
   * @return the version line then one line per account, sorted by SIP username
   * @throws FileFormatException when a SIP username is given twice or GRUUs disagree on the portal
   *     domain
   */
  public static String render(List<AppAccount> accounts) {
    List<AppAccount> sorted = new ArrayList<>(accounts);
    sorted.sort(Comparator.comparing(AppAccount::sipUsername));
    check(sorted);
    StringBuilder out = new StringBuilder(VERSION).append('\n');
    for (AppAccount a : sorted) {
      List<String> rights = new ArrayList<>();
      if (a.doorCalls()) {
        rights.add(RIGHTS.get(0));
      }
      if (a.openDoor()) {
        rights.add(RIGHTS.get(1));
      }
      if (a.cameras()) {
        rights.add(RIGHTS.get(2));
      }
      out.append(a.sipUsername())
          .append(' ')
          .append(a.portalUser())
          .append(' ')
          .append(a.gruu().orElse("-"))
          .append(' ')
          .append(rights.isEmpty() ? "-" : String.join(",", rights))
          .append(' ')
          .append(a.gruuOnly() ? "gruu-only" : "all-devices")
          .append(' ')
          .append(a.portal() && a.lan() ? "portal,lan" : a.portal() ? "portal" : "lan")
          .append('\n');
    }
    return out.toString();
  }

  /**
   * Parses the file.
   *
   * @param text the whole file
   * @return the accounts in file order
   * @throws FileFormatException naming the first bad line
   */
  public static List<AppAccount> parse(String text) {
    if (text.length() > MAX_CHARS) {
      throw new FileFormatException("accounts.list longer than " + MAX_CHARS + " characters");
    }
    String[] lines = text.split("\n", -1);
    int count = lines.length;
    if (count > 0 && lines[count - 1].isEmpty()) {
      count--;
    }
    if (count == 0 || !lines[0].equals(VERSION)) {
      String first = count == 0 ? "" : lines[0];
      throw new FileFormatException(
          "line 1: the first line must be "
              + VERSION
              + (first.matches("accounts:[0-9]{1,9}")
                  ? " (version " + first.substring(9) + " is not read: ipgw rewrites the file)"
                  : ""));
    }
    List<AppAccount> accounts = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String domain = null;
    for (int i = 1; i < count; i++) {
      String line = lines[i];
      int number = i + 1;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      AppAccount account;
      try {
        account = account(line);
      } catch (FileFormatException e) {
        throw new FileFormatException("line " + number + ": " + e.getMessage());
      }
      if (!seen.add(account.sipUsername().toLowerCase(Locale.ROOT))) {
        throw new FileFormatException("line " + number + ": SIP username given twice");
      }
      Optional<String> d = account.portalDomain();
      if (d.isPresent()) {
        if (domain != null && !domain.equals(d.get())) {
          throw new FileFormatException(
              "line " + number + ": GRUU of portal domain " + d.get() + ", others have " + domain);
        }
        domain = d.get();
      }
      accounts.add(account);
    }
    return List.copyOf(accounts);
  }

  private static AppAccount account(String line) {
    String[] f = line.split(" ", -1);
    if (f.length != 6) {
      throw new FileFormatException(
          "expected 'sip-username portal-user gruu|- rights|- gruu-only|all-devices"
              + " portal|lan|portal,lan'");
    }
    boolean[] rights = new boolean[RIGHTS.size()];
    if (!f[3].equals("-")) {
      int last = -1;
      for (String right : f[3].split(",", -1)) {
        int index = RIGHTS.indexOf(right);
        if (index < 0) {
          throw new FileFormatException(
              "unknown right (door-calls, open-door, cameras, or - for none)");
        }
        if (index <= last) {
          throw new FileFormatException("rights given twice or out of order");
        }
        last = index;
        rights[index] = true;
      }
    }
    boolean gruuOnly;
    if (f[4].equals("gruu-only")) {
      gruuOnly = true;
    } else if (f[4].equals("all-devices")) {
      gruuOnly = false;
    } else {
      throw new FileFormatException("the fifth field must be gruu-only or all-devices");
    }
    boolean[] uses = new boolean[USES.size()];
    int lastUse = -1;
    for (String use : f[5].split(",", -1)) {
      int index = USES.indexOf(use);
      if (index < 0) {
        throw new FileFormatException("unknown use (portal, lan or portal,lan)");
      }
      if (index <= lastUse) {
        throw new FileFormatException("uses given twice or out of order");
      }
      lastUse = index;
      uses[index] = true;
    }
    if (!AccountNames.isSipUsername(f[0])) {
      throw new FileFormatException("SIP username must be 1-64 characters of [A-Za-z0-9._-]");
    }
    String portalUser = AccountNames.portalUsername(f[1]);
    if (!portalUser.equals(f[1])) {
      throw new FileFormatException("portal user not lowercase");
    }
    Optional<String> gruu = f[2].equals("-") ? Optional.empty() : Optional.of(f[2]);
    return new AppAccount(
        f[0], f[1], gruu, rights[0], rights[1], rights[2], gruuOnly, uses[0], uses[1]);
  }

  private static void check(List<AppAccount> accounts) {
    Set<String> seen = new HashSet<>();
    String domain = null;
    for (AppAccount a : accounts) {
      if (!seen.add(a.sipUsername().toLowerCase(Locale.ROOT))) {
        throw new FileFormatException("SIP username " + a.sipUsername() + " given twice");
      }
      Optional<String> d = a.portalDomain();
      if (d.isPresent()) {
        if (domain != null && !domain.equals(d.get())) {
          throw new FileFormatException("GRUUs of two portal domains");
        }
        domain = d.get();
      }
    }
  }
}
