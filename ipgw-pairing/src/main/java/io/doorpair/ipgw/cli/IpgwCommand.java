package io.doorpair.ipgw.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top of the {@code ipgw} command; failures become exit codes here and only here. */
@Command(
    name = "ipgw",
    mixinStandardHelpOptions = true,
    version = "ipgw 0.1.0",
    description = "The IP gateway agent: pairing, local admin site, access approvals.",
    subcommands = {ServeCommand.class, DoorCommand.class})
public final class IpgwCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /**
   * Runs the command line with the process's standard streams.
   *
   * @param args the arguments
   * @return the exit code: 0 done, 1 failed, 2 usage
   */
  public static int run(String... args) {
    return run(System.in, null, args);
  }

  /**
   * Runs the command line.
   *
   * @param stdin where {@code --admin-password-stdin} reads from
   * @param out standard output (the generated admin password's file is named there; a door's
   *     password is printed there, once); {@code null}: the process's
   * @param args the arguments
   * @return the exit code: 0 done, 1 failed, 2 usage
   */
  public static int run(InputStream stdin, PrintWriter out, String... args) {
    CommandLine line = new CommandLine(new IpgwCommand());
    if (out != null) {
      line.setOut(out);
    }
    ServeCommand serve = line.getSubcommands().get("serve").getCommand();
    serve.stdin = stdin;
    line.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("ipgw: " + describe(e));
          return 1;
        });
    return line.execute(args);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
