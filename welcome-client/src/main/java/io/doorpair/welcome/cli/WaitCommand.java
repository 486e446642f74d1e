package io.doorpair.welcome.cli;

import io.doorpair.welcome.flow.ReceivedAccount;
import io.doorpair.welcome.flow.WaitProgress;
import io.doorpair.welcome.flow.WelcomeApp;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code welcome wait DOMAIN}: steps 10-11, wait for the owner's approval, then show the security
 * code to read to the owner.
 */
@Command(
    name = "wait",
    description =
        "Wait for the gateway owner's approval, then show the security code to read to them.")
final class WaitCommand implements Callable<Integer> {
  @ParentCommand WelcomeCommand root;

  @Parameters(paramLabel = "DOMAIN", description = "the gateway DOMAIN")
  String domain;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "900",
      description = "give up after this long (default ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Override
  public Integer call() {
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException("--timeout must be at least 1 second");
    }
    WelcomeApp app = root.app();
    ReceivedAccount received;
    if (Terminal.interactive() && !root.json) {
      try (Spinner spinner =
          new Spinner(
              root.spec.commandLine().getErr(),
              "Waiting for the owner of " + domain + " to approve")) {
        received = app.awaitAccount(domain, Duration.ofSeconds(timeoutSeconds), spinner);
      }
    } else {
      received = app.awaitAccount(domain, Duration.ofSeconds(timeoutSeconds), WaitProgress.NONE);
    }
    CodeCommand.show(root.out(), received);
    return WelcomeCommand.OK;
  }
}
