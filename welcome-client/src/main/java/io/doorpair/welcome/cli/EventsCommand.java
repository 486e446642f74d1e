package io.doorpair.welcome.cli;

import io.doorpair.welcome.api.DeliveredEvent;
import io.doorpair.welcome.api.EventPage;
import io.doorpair.welcome.flow.WelcomeApp;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code welcome events [--follow]}: the events after the profile's cursor (one page, or all of
 * them as they come); the cursor moves past what was printed.
 */
@Command(name = "events", description = "Print the gateways' events since the last time.")
final class EventsCommand implements Callable<Integer> {
  @ParentCommand WelcomeCommand root;

  @Option(names = "--follow", description = "keep printing new events until interrupted")
  boolean follow;

  @Override
  public Integer call() {
    WelcomeApp app = root.app();
    Output out = root.out();
    if (follow) {
      app.followEvents(page -> print(out, page));
    } else {
      EventPage page = app.nextEvents(Optional.empty(), p -> {});
      if (out.json()) {
        out.print(page, "");
      } else {
        print(out, page);
      }
    }
    return WelcomeCommand.OK;
  }

  private static void print(Output out, EventPage page) {
    PrintWriter w = out.writer();
    for (DeliveredEvent e : page.events()) {
      if (out.json()) {
        out.print(e, "");
      } else {
        w.println(
            e.at()
                + " "
                + e.domain()
                + " #"
                + e.seq()
                + " "
                + Terminal.printable(e.kind())
                + " "
                + Terminal.printable(e.payload()));
      }
    }
    w.flush();
  }
}
