package io.doorpair.ipgw;

import io.doorpair.ipgw.cli.IpgwCommand;

/** {@code ipgw}: the program's entry point. */
public final class Main {
  private Main() {}

  /**
   * Runs the command line and exits with its code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(IpgwCommand.run(args));
  }
}
