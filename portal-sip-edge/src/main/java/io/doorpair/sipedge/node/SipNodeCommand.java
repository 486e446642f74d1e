package io.doorpair.sipedge.node;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top of the {@code portal-sip} command; failures become exit codes here and only here. */
@Command(
    name = "portal-sip",
    mixinStandardHelpOptions = true,
    version = "portal-sip 0.1.0",
    description =
        "The portal SIP server as a separate node: SIP over TLS with the portal CA's"
            + " certificates, no database.",
    subcommands = {ServeCommand.class})
public final class SipNodeCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** Runs the command line and returns the exit code: 0 done, 1 failed, 2 usage. */
  public static int run(String... args) {
    CommandLine line = new CommandLine(new SipNodeCommand());
    line.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          String message = e.getMessage();
          cmd.getErr()
              .println("portal-sip: " + (message == null ? e.getClass().getSimpleName() : message));
          return 1;
        });
    return line.execute(args);
  }
}
