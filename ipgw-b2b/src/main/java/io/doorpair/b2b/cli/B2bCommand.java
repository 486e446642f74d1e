package io.doorpair.b2b.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top of the {@code b2b} command; failures become exit codes here and only here. */
@Command(
    name = "b2b",
    mixinStandardHelpOptions = true,
    version = "b2b 0.1.0",
    description =
        "The gateway's B2B proxy: bridges the door stations' internal SIP server and the portal"
            + " SIP server, configured only by the files under --root.",
    subcommands = {ServeCommand.class})
public final class B2bCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /**
   * Runs the command line.
   *
   * @param args the arguments
   * @return the exit code: 0 done, 1 failed, 2 usage
   */
  public static int run(String... args) {
    CommandLine line = new CommandLine(new B2bCommand());
    line.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          String message = e.getMessage();
          cmd.getErr()
              .println("b2b: " + (message == null ? e.getClass().getSimpleName() : message));
          return 1;
        });
    return line.execute(args);
  }
}
