package io.doorpair.welcome.cli;

/** {@code bin/welcome}: runs the command line and exits with its code. */
public final class Main {
  private Main() {}

  /**
   * Runs {@code welcome}.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(WelcomeCommand.run(args));
  }
}
