package io.doorpair.welcome.cli;

import io.doorpair.welcome.flow.FlowException;
import io.doorpair.welcome.flow.WelcomeApp;
import io.doorpair.welcome.http.PortalException;
import io.doorpair.welcome.profile.Profile;
import io.doorpair.welcome.profile.ProfileException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The root command: global options and the list of subcommands. Add a command by writing its class
 * and listing it in {@code subcommands} below.
 */
@Command(
    name = "welcome",
    mixinStandardHelpOptions = true,
    version = "welcome 0.1.0",
    description =
        "The Welcome app on the command line: pair with a portal, ask gateways for access.",
    subcommands = {
      PairCommand.class,
      GatewaysCommand.class,
      RequestCommand.class,
      WaitCommand.class,
      CodeCommand.class,
      EventsCommand.class,
      DevicesCommand.class,
      RevokeCommand.class,
      RenewCommand.class,
      GuestCommand.class,
      LinphonercCommand.class,
      RegisterCommand.class,
      CallCommand.class,
      OpenDoorCommand.class,
      ScanQrCommand.class,
    })
public final class WelcomeCommand implements Runnable {
  /** Success. */
  public static final int OK = 0;

  /** A failure: the portal refused, the network failed, the profile is broken. */
  public static final int FAILED = 1;

  /** A usage error. */
  public static final int USAGE = 2;

  /** The gateway denied the request (or the portal voided it). */
  public static final int DENIED = 3;

  /** The wait ended before the gateway decided. */
  public static final int NOT_YET = 4;

  @Option(
      names = "--profile",
      scope = CommandLine.ScopeType.INHERIT,
      paramLabel = "DIR",
      description =
          "profile folder (key, certificate, accounts); default $WELCOME_PROFILE or ~/.welcome")
  Path profile;

  @Option(
      names = "--json",
      scope = CommandLine.ScopeType.INHERIT,
      description = "print JSON for scripts")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
  }

  /**
   * The profile folder in use.
   *
   * @return the profile
   */
  Profile profile() {
    if (profile != null) {
      return Profile.at(profile);
    }
    String env = System.getenv("WELCOME_PROFILE");
    if (env != null && !env.isEmpty()) {
      return Profile.at(Paths.get(env));
    }
    return Profile.at(Paths.get(System.getProperty("user.home"), ".welcome"));
  }

  /**
   * The app of the paired profile.
   *
   * @return the app
   */
  WelcomeApp app() {
    Profile profile = profile();
    WelcomeApp app = WelcomeApp.open(profile);
    // Renew before expiry as a side effect of any use; a failure only warns (the certificate is
    // still valid, the command goes on).
    try {
      if (app.renewIfDue().isPresent()) {
        app = WelcomeApp.open(profile);
        spec.commandLine()
            .getErr()
            .println(
                "welcome: certificate renewed, valid until "
                    + app.identity().certificate().getNotAfter().toInstant());
      }
    } catch (PortalException | FlowException e) {
      spec.commandLine().getErr().println("welcome: warning: renewal failed: " + e.getMessage());
    }
    return app;
  }

  /**
   * Where to print results.
   *
   * @return text or JSON output
   */
  Output out() {
    return new Output(spec.commandLine().getOut(), json);
  }

  /**
   * Runs the command line.
   *
   * @param args the arguments
   * @return the exit code
   */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new WelcomeCommand());
    cli.setExecutionExceptionHandler(WelcomeCommand::failure);
    return cli.execute(args);
  }

  private static int failure(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    if (e instanceof PortalException) {
      PortalException p = (PortalException) e;
      err.println("welcome: portal: " + p.getMessage() + " (" + p.code() + ")");
      return FAILED;
    }
    if (e instanceof FlowException) {
      FlowException f = (FlowException) e;
      err.println("welcome: " + f.getMessage() + " (" + f.code() + ")");
      if (f.code().equals(FlowException.DENIED) || f.code().equals(FlowException.VOID)) {
        return DENIED;
      }
      return f.code().equals(FlowException.NOT_YET) ? NOT_YET : FAILED;
    }
    if (e instanceof ProfileException) {
      err.println("welcome: profile: " + e.getMessage());
      return FAILED;
    }
    if (e instanceof IllegalArgumentException) {
      err.println("welcome: " + e.getMessage());
      return USAGE;
    }
    err.println("welcome: " + e);
    return FAILED;
  }
}
