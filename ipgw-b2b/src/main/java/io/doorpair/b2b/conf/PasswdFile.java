package io.doorpair.b2b.conf;

import io.doorpair.crypto.SipPassword;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Flexisip password file (DESIGN §6), as the gateway writes it:
 *
 * <pre>
 * version:1
 * ipgw@k3x9abcd1234 clrtxt:Gq3... ;
 * alice-7f3a@k3x9abcd1234 clrtxt:Zt8... ;
 * </pre>
 *
 * <p>Grammar read: the first line is {@code version:1}; then, one per line, empty lines, comments
 * starting with {@code #}, and accounts {@code user@domain SP pass (SP pass)* SP ";" [SP phone]}
 * where {@code pass} is {@code clrtxt:PASSWORD}, {@code md5:<32 hex>} or {@code sha256:<64 hex>}
 * (Flexisip's own forms). The gateway reads back only clear-text accounts: an account without
 * {@code clrtxt} is refused, since the gateway never writes one. An identity given twice is refused
 * (case-insensitively). Every refusal names its line. Files above {@value #MAX_CHARS} characters
 * are refused before parsing.
 */
public final class PasswdFile {
  /** The longest file read. */
  public static final int MAX_CHARS = 4 * 1024 * 1024;

  private static final String VERSION = "version:1";
  private static final Pattern ACCOUNT =
      Pattern.compile("([^@\\s]+)@(\\S+)((?: \\S+)+) ;(?: [+0-9A-Za-z._-]{1,32})?");
  private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private PasswdFile() {}

  /**
   * Renders the file: the version line, then one line per account in the order given.
   *
   * @param entries the accounts; identities must be distinct (case-insensitively)
   * @return the text, ending with a newline
   * @throws FileFormatException when an identity is given twice
   */
  public static String render(List<PasswdEntry> entries) {
    StringBuilder out = new StringBuilder(VERSION).append('\n');
    Set<String> seen = new HashSet<>();
    for (PasswdEntry entry : entries) {
      if (!seen.add(entry.identity().toLowerCase(Locale.ROOT))) {
        throw new FileFormatException("identity " + entry.identity() + " given twice");
      }
      out.append(entry.identity())
          .append(" clrtxt:")
          .append(entry.password().reveal())
          .append(" ;\n");
    }
    return out.toString();
  }

  /**
   * Parses a password file.
   *
   * @param text the whole file
   * @return the accounts in file order
   * @throws FileFormatException naming the first bad line (never quoting a password)
   */
  public static List<PasswdEntry> parse(String text) {
    if (text.length() > MAX_CHARS) {
      throw new FileFormatException("password file longer than " + MAX_CHARS + " characters");
    }
    String[] lines = text.split("\n", -1);
    int count = lines.length;
    if (count > 0 && lines[count - 1].isEmpty()) {
      count--;
    }
    if (count == 0 || !lines[0].equals(VERSION)) {
      throw new FileFormatException("line 1: the first line must be " + VERSION);
    }
    List<PasswdEntry> entries = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 1; i < count; i++) {
      String line = lines[i];
      int number = i + 1;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      PasswdEntry entry = account(line, number);
      if (!seen.add(entry.identity().toLowerCase(Locale.ROOT))) {
        throw new FileFormatException("line " + number + ": identity given twice");
      }
      entries.add(entry);
    }
    return List.copyOf(entries);
  }

  private static PasswdEntry account(String line, int number) {
    Matcher m = ACCOUNT.matcher(line);
    if (!m.matches()) {
      throw new FileFormatException(
          "line " + number + ": expected 'user@domain clrtxt:PASSWORD ;'");
    }
    String user = m.group(1);
    String domain = m.group(2);
    if (!AccountNames.isSipUsername(user)) {
      throw new FileFormatException(
          "line " + number + ": user must be 1-64 characters of [A-Za-z0-9._-]");
    }
    if (!AccountNames.isSipDomain(domain)) {
      throw new FileFormatException("line " + number + ": bad domain");
    }
    String clear = null;
    for (String pass : m.group(3).substring(1).split(" ")) {
      int colon = pass.indexOf(':');
      String algorithm = colon < 0 ? pass : pass.substring(0, colon);
      String value = colon < 0 ? "" : pass.substring(colon + 1);
      switch (algorithm) {
        case "clrtxt":
          if (clear != null || !isClearTextPassword(value)) {
            throw new FileFormatException(
                "line " + number + ": clrtxt must appear once with a valid password");
          }
          clear = value;
          break;
        case "md5":
          requireHex(MD5, value, "md5", number);
          break;
        case "sha256":
          requireHex(SHA256, value, "sha256", number);
          break;
        default:
          throw new FileFormatException(
              "line " + number + ": unknown password kind (clrtxt, md5 or sha256)");
      }
    }
    if (clear == null) {
      throw new FileFormatException("line " + number + ": no clrtxt password");
    }
    return new PasswdEntry(user, domain, SipPassword.of(clear));
  }

  private static void requireHex(Pattern pattern, String value, String kind, int number) {
    if (!pattern.matcher(value).matches()) {
      throw new FileFormatException(
          "line " + number + ": " + kind + " must be lowercase hex of its digest length");
    }
  }

  /**
   * Whether a clear-text password fits the file: 1-128 printable ASCII characters without space,
   * {@code /}, {@code =}, {@code @} or {@code ;}.
   *
   * @param value the password
   * @return true when it fits
   */
  static boolean isClearTextPassword(String value) {
    if (value.isEmpty() || value.length() > SipPassword.MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7E || c == '/' || c == '=' || c == '@' || c == ';') {
        return false;
      }
    }
    return true;
  }
}
