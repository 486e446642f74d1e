package io.doorpair.welcome.cli;

import io.doorpair.welcome.api.GuestInfo;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code welcome guest list|add|remove}: the owner's guests of a gateway. */
@Command(
    name = "guest",
    description = "Invite or remove guests of a gateway you own.",
    subcommands = {GuestCommand.List.class, GuestCommand.Add.class, GuestCommand.Remove.class})
final class GuestCommand implements Runnable {
  @ParentCommand WelcomeCommand root;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "guest needs list, add or remove");
  }

  /** {@code welcome guest list DOMAIN}. */
  @Command(name = "list", description = "List the guests of a gateway.")
  static final class List implements Callable<Integer> {
    @ParentCommand GuestCommand guest;

    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Override
    public Integer call() {
      java.util.List<GuestInfo> guests = guest.root.app().guests(domain);
      StringBuilder text = new StringBuilder();
      for (GuestInfo g : guests) {
        text.append(g.username()).append("  invited ").append(g.invitedAt()).append('\n');
      }
      guest.root.out().print(guests, text.toString());
      return WelcomeCommand.OK;
    }
  }

  /** {@code welcome guest add DOMAIN USER}. */
  @Command(name = "add", description = "Invite a portal user as a guest of a gateway.")
  static final class Add implements Callable<Integer> {
    @ParentCommand GuestCommand guest;

    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Parameters(index = "1", paramLabel = "USER")
    String user;

    @Override
    public Integer call() {
      boolean added = guest.root.app().inviteGuest(domain, user);
      guest
          .root
          .out()
          .print(
              Map.of("domain", domain, "guest", user, "added", added),
              added ? "Invited " + user + " to " + domain : user + " was already a guest");
      return WelcomeCommand.OK;
    }
  }

  /** {@code welcome guest remove DOMAIN USER}. */
  @Command(name = "remove", description = "Remove a guest from a gateway.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand GuestCommand guest;

    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Parameters(index = "1", paramLabel = "USER")
    String user;

    @Override
    public Integer call() {
      guest.root.app().removeGuest(domain, user);
      guest
          .root
          .out()
          .print(Map.of("domain", domain, "removed", user), "Removed " + user + " from " + domain);
      return WelcomeCommand.OK;
    }
  }
}
