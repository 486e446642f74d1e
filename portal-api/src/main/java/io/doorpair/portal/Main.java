package io.doorpair.portal;

import io.doorpair.portal.cli.PortalCommand;

/** {@code portal}: the program's entry point. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(PortalCommand.run(args));
  }
}
