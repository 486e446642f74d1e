package io.doorpair.welcome.cli;

import io.doorpair.welcome.api.JoinableGateway;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code welcome gateways}: the gateways this user may ask for an account. */
@Command(name = "gateways", description = "List the gateways you own or were invited to.")
final class GatewaysCommand implements Callable<Integer> {
  @ParentCommand WelcomeCommand root;

  @Override
  public Integer call() {
    List<JoinableGateway> gateways = root.app().gateways();
    StringBuilder text = new StringBuilder();
    if (gateways.isEmpty()) {
      text.append("No gateway yet: pair one, or ask its owner to invite you.\n");
    }
    for (JoinableGateway g : gateways) {
      text.append(g.domain())
          .append("  ")
          .append(g.role().name().toLowerCase(Locale.ROOT))
          .append("  ")
          .append(Terminal.printable(g.friendlyName()))
          .append('\n');
    }
    root.out().print(gateways, text.toString());
    return WelcomeCommand.OK;
  }
}
