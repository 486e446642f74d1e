package io.doorpair.welcome.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code welcome revoke SERIAL}: revokes one of the user's devices (a stolen phone). */
@Command(name = "revoke", description = "Revoke one of your devices by its serial (see devices).")
final class RevokeCommand implements Callable<Integer> {
  @ParentCommand WelcomeCommand root;

  @Parameters(paramLabel = "SERIAL", description = "the certificate serial, hex")
  String serial;

  @Override
  public Integer call() {
    root.app().revoke(serial);
    root.out().print(Map.of("revoked", serial), "Revoked " + serial + "\n");
    return WelcomeCommand.OK;
  }
}
