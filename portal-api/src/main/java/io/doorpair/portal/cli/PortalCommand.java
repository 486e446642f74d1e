package io.doorpair.portal.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top of the {@code portal} command; failures become exit codes here and only here. */
@Command(
    name = "portal",
    mixinStandardHelpOptions = true,
    version = "portal 0.1.0",
    description = "The intercom pairing portal: HTTPS API, certificate authority, users.",
    subcommands = {
      ServeCommand.class,
      UserCommand.class,
      SipNodeCertCommand.class,
      CaCommand.class
    })
public final class PortalCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** Runs the command line and returns the exit code: 0 done, 1 failed, 2 usage. */
  public static int run(String... args) {
    CommandLine line = new CommandLine(new PortalCommand());
    line.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("portal: " + describe(e));
          return 1;
        });
    return line.execute(args);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
