package io.doorpair.welcome.cli;

/** What the CLI needs to know of the terminal, and how it keeps portal text harmless on it. */
final class Terminal {
  private Terminal() {}

  /** Whether a person is watching (standard input and output are a terminal). */
  static boolean interactive() {
    return System.console() != null;
  }

  /**
   * Text from the network made safe to print: control characters (escape sequences that could
   * rewrite the screen) become {@code ?}.
   */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    return out.toString();
  }
}
