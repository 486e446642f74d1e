package io.doorpair.packaging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of {@code dpkg-deb --contents}: mode string, owner, group and path (without the leading
 * {@code ./}; folders keep their trailing {@code /} stripped).
 */
record DebEntry(String mode, String owner, String group, long size, String path) {
  private static final Pattern LINE =
      Pattern.compile(
          "^([-dlhcbps][-rwxsStT]{9}) +([^/ ]+)/([^ ]+) +(\\d+) +\\S+ +\\S+ +\\./(.*?)/?( -> .*)?$");

  static DebEntry parse(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a dpkg-deb --contents line: " + line);
    }
    return new DebEntry(m.group(1), m.group(2), m.group(3), Long.parseLong(m.group(4)), m.group(5));
  }

  boolean isDirectory() {
    return mode.charAt(0) == 'd';
  }

  boolean isRegularFile() {
    return mode.charAt(0) == '-';
  }

  /** Whether the group or others may write it. */
  boolean writableByOthers() {
    return mode.charAt(5) == 'w' || mode.charAt(8) == 'w';
  }

  /** The absolute install path. */
  String installPath() {
    return "/" + path;
  }
}
