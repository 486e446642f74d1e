package io.doorpair.b2b.conf;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code acl.list} (the specification's annex 2): the portal usernames a door call is forked to,
 * whitespace-separated. Rendered one per line, sorted, without duplicates, so that the same ACL
 * always gives the same bytes.
 */
public final class AclList {
  /** The longest file read. */
  public static final int MAX_CHARS = 1024 * 1024;

  private AclList() {}

  /**
   * Renders the list.
   *
   * @param usernames portal usernames; each checked by {@link AccountNames#portalUsername}
   * @return one username per line, sorted; empty text for an empty list
   * @throws FileFormatException for a username that would break the file
   */
  public static String render(Iterable<String> usernames) {
    Set<String> sorted = new TreeSet<>();
    for (String username : usernames) {
      sorted.add(AccountNames.portalUsername(username));
    }
    StringBuilder out = new StringBuilder();
    for (String username : sorted) {
      out.append(username).append('\n');
    }
    return out.toString();
  }

  /**
   * Parses the list: any whitespace separates names.
   *
   * @param text the file
   * @return the usernames in file order, duplicates dropped
   * @throws FileFormatException naming the first bad name's line and position (1-based)
   */
  public static List<String> parse(String text) {
    if (text.length() > MAX_CHARS) {
      throw new FileFormatException("acl.list longer than " + MAX_CHARS + " characters");
    }
    Set<String> names = new LinkedHashSet<>();
    String[] lines = text.split("\n", -1);
    int position = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      for (String name : line.split("\\s+")) {
        position++;
        try {
          String checked = AccountNames.portalUsername(name);
          if (!checked.equals(name)) {
            throw new FileFormatException("not lowercase");
          }
          names.add(checked);
        } catch (FileFormatException e) {
          throw new FileFormatException(
              "line " + (i + 1) + ": name " + position + ": " + e.getMessage());
        }
      }
    }
    return List.copyOf(names);
  }
}
