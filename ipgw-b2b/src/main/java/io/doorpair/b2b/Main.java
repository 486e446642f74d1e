package io.doorpair.b2b;

import io.doorpair.b2b.cli.B2bCommand;

/** {@code b2b}: the program's entry point. */
public final class Main {
  private Main() {}

  /**
   * Runs the command line and exits with its code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    logDefaults();
    System.exit(B2bCommand.run(args));
  }

  /** slf4j-simple's format, unless the operator set it with -D. */
  private static void logDefaults() {
    String prefix = "org.slf4j.simpleLogger.";
    String[][] defaults = {
      {"defaultLogLevel", "info"},
      {"showDateTime", "true"},
      {"dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"},
      {"showThreadName", "false"},
      {"showShortLogName", "true"},
      {"levelInBrackets", "true"},
    };
    for (String[] d : defaults) {
      if (System.getProperty(prefix + d[0]) == null) {
        System.setProperty(prefix + d[0], d[1]);
      }
    }
  }
}
