package io.doorpair.welcome.cli;

import io.doorpair.welcome.api.AccessStatus;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code welcome request DOMAIN}: step 6, ask a gateway for an account. */
@Command(name = "request", description = "Ask a gateway for a SIP account (the owner approves).")
final class RequestCommand implements Callable<Integer> {
  @ParentCommand WelcomeCommand root;

  @Parameters(paramLabel = "DOMAIN", description = "the gateway DOMAIN")
  String domain;

  @Override
  public Integer call() {
    AccessStatus status = root.app().request(domain);
    root.out()
        .print(
            status,
            "Request "
                + status.requestId()
                + " to "
                + status.domain()
                + ": "
                + status.status().name().toLowerCase(Locale.ROOT)
                + "\nNext: welcome wait "
                + status.domain()
                + "\n");
    return WelcomeCommand.OK;
  }
}
