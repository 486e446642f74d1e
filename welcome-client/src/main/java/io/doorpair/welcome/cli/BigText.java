package io.doorpair.welcome.cli;

import java.util.Locale;
import java.util.Map;

/**
 * A security code in large type (5 rows of block characters), so that it is read from a screen at
 * arm's length without confusing {@code 0}/{@code o} or {@code 1}/{@code l}: the code only holds
 * the digits and {@code a}-{@code f}.
 */
final class BigText {
  private static final int ROWS = 5;
  private static final Map<Character, String[]> GLYPHS =
      Map.ofEntries(
          Map.entry('0', new String[] {"#####", "#   #", "#   #", "#   #", "#####"}),
          Map.entry('1', new String[] {"  #  ", " ##  ", "  #  ", "  #  ", " ### "}),
          Map.entry('2', new String[] {"#####", "    #", "#####", "#    ", "#####"}),
          Map.entry('3', new String[] {"#####", "    #", " ####", "    #", "#####"}),
          Map.entry('4', new String[] {"#   #", "#   #", "#####", "    #", "    #"}),
          Map.entry('5', new String[] {"#####", "#    ", "#####", "    #", "#####"}),
          Map.entry('6', new String[] {"#####", "#    ", "#####", "#   #", "#####"}),
          Map.entry('7', new String[] {"#####", "    #", "   # ", "  #  ", "  #  "}),
          Map.entry('8', new String[] {"#####", "#   #", "#####", "#   #", "#####"}),
          Map.entry('9', new String[] {"#####", "#   #", "#####", "    #", "#####"}),
          Map.entry('a', new String[] {" ### ", "#   #", "#####", "#   #", "#   #"}),
          Map.entry('b', new String[] {"#    ", "#    ", "#### ", "#   #", "#### "}),
          Map.entry('c', new String[] {" ####", "#    ", "#    ", "#    ", " ####"}),
          Map.entry('d', new String[] {"    #", "    #", " ####", "#   #", " ####"}),
          Map.entry('e', new String[] {"#####", "#    ", "#### ", "#    ", "#####"}),
          Map.entry('f', new String[] {"#####", "#    ", "#### ", "#    ", "#    "}));

  private BigText() {}

  /**
   * Renders a code; a gap after the fourth character, as the code is read in two halves.
   *
   * @param code digits and a-f
   * @return five lines
   */
  static String render(String code) {
    StringBuilder out = new StringBuilder();
    String lower = code.toLowerCase(Locale.ROOT);
    for (int row = 0; row < ROWS; row++) {
      out.append("  ");
      for (int i = 0; i < lower.length(); i++) {
        String[] glyph = GLYPHS.get(lower.charAt(i));
        if (glyph == null) {
          throw new IllegalArgumentException("not a security code character");
        }
        out.append(glyph[row]).append(i == 3 ? "    " : "  ");
      }
      out.append('\n');
    }
    return out.toString();
  }
}
