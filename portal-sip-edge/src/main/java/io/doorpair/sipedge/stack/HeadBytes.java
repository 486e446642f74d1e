package io.doorpair.sipedge.stack;

/** Byte-level reads of a SIP message head, in place (no copy, no regex). */
final class HeadBytes {
  private HeadBytes() {}

  /** Whether {@code bytes[from, to)} is {@code name} (lower case ASCII), ignoring ASCII case. */
  static boolean nameIs(byte[] bytes, int from, int to, String name) {
    if (name == null || to - from != name.length()) {
      return false;
    }
    for (int k = 0; k < name.length(); k++) {
      int c = bytes[from + k] & 0xff;
      if (c >= 'A' && c <= 'Z') {
        c += 'a' - 'A';
      }
      if (c != name.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** The first index of {@code b} in {@code bytes[from, to)}, or -1. */
  static int indexOf(byte[] bytes, byte b, int from, int to) {
    for (int k = from; k < to; k++) {
      if (bytes[k] == b) {
        return k;
      }
    }
    return -1;
  }

  /** Just past the LF ending the line that starts at {@code from}, or {@code to}. */
  static int lineAfter(byte[] bytes, int from, int to) {
    int lf = indexOf(bytes, (byte) '\n', from, to);
    return lf < 0 ? to : lf + 1;
  }
}
