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
 * holds. Written by {@code ipgw} beside them; one line per enabled app account:
 *
 * <pre>
 * accounts:1
 * alice-7f3a alice sip:alice@portal.example.com;gr=urn:uuid:... door-calls,open-door,cameras all-devices
 * bob-00c1 bob - cameras gruu-only
 * </pre>
 *
 * <p>Fields, separated by one space: the SIP username (the password file's user part), the portal
 * user, the device GRUU or {@code -}, the rights as a comma-separated list of {@code door-calls},
 * {@code open-door}, {@code cameras} in that order or {@code -} for none, and {@code gruu-only} or
 * {@code all-devices}. Empty lines and lines starting with {@code #} are skipped on reading. A SIP
 * username given twice, an unknown right, a right given twice or out of order, and GRUUs of
 * different portal domains are refused, naming the line. Rendered sorted by SIP username.
 */
public final class AccountsList {
  /** The longest file read. */
  public static final int MAX_CHARS = 4 * 1024 * 1024;

  private static final String VERSION = "accounts:1";
  private static final List<String> RIGHTS = List.of("door-calls", "open-door", "cameras");

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
      throw new FileFormatException("line 1: the first line must be " + VERSION);
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
    if (f.length != 5) {
      throw new FileFormatException(
          "expected 'sip-username portal-user gruu|- rights|- gruu-only|all-devices'");
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
      throw new FileFormatException("the last field must be gruu-only or all-devices");
    }
    if (!AccountNames.isSipUsername(f[0])) {
      throw new FileFormatException("SIP username must be 1-64 characters of [A-Za-z0-9._-]");
    }
    String portalUser = AccountNames.portalUsername(f[1]);
    if (!portalUser.equals(f[1])) {
      throw new FileFormatException("portal user not lowercase");
    }
    Optional<String> gruu = f[2].equals("-") ? Optional.empty() : Optional.of(f[2]);
    return new AppAccount(f[0], f[1], gruu, rights[0], rights[1], rights[2], gruuOnly);
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
