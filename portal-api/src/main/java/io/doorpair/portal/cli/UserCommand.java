package io.doorpair.portal.cli;

import io.doorpair.portal.access.RequestVoider;
import io.doorpair.portal.notify.Notifier;
import io.doorpair.portal.notify.Notifiers;
import io.doorpair.portal.store.PortalStore;
import io.doorpair.portal.store.UserRecord;
import io.doorpair.portal.store.jdbc.JdbcStores;
import io.doorpair.portal.users.UserAdmin;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portal user add|passwd|list|del}: the operator manages portal users. */
@Command(
    name = "user",
    description = "Manage portal users (only digest HA1 values are stored).",
    subcommands = {
      UserCommand.Add.class,
      UserCommand.Passwd.class,
      UserCommand.ListUsers.class,
      UserCommand.Del.class
    })
final class UserCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "user needs one of: add, passwd, list, del");
  }

  /** Shared by the subcommands: the store and how to read a password. */
  abstract static class Base implements Runnable {
    @Mixin StoreOptions store;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      String url = store.databaseUrl();
      Clock clock = Clock.systemUTC();
      try (PortalStore opened = JdbcStores.open(url);
          Notifier notifier = Notifiers.forStore(url, new SecureRandom())) {
        // With PostgreSQL, a deletion reaches the running portals: their long-polls end at once.
        RequestVoider voider = new RequestVoider(opened, notifier, clock);
        execute(
            new UserAdmin(opened, store.realm, clock, voider::certificatesRevoked),
            spec.commandLine().getOut());
      }
    }

    abstract void execute(UserAdmin admin, PrintWriter out);
  }

  /** Reads a password from standard input (one line) or, interactively, twice from the console. */
  abstract static class WithPassword extends Base {
    @Option(names = "--password-stdin", description = "read the password from standard input")
    boolean passwordStdin;

    char[] readPassword() {
      if (passwordStdin) {
        try {
          BufferedReader in =
              new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
          String line = in.readLine();
          if (line == null) {
            throw new IllegalArgumentException("no password on standard input");
          }
          return line.toCharArray();
        } catch (IOException e) {
          throw new IllegalArgumentException("cannot read standard input", e);
        }
      }
      Console console = System.console();
      if (console == null) {
        throw new IllegalArgumentException(
            "no terminal to prompt for a password: use --password-stdin");
      }
      char[] first = console.readPassword("Password: ");
      char[] second = console.readPassword("Again: ");
      if (first == null || second == null || !Arrays.equals(first, second)) {
        throw new IllegalArgumentException("the passwords differ");
      }
      Arrays.fill(second, '\0');
      return first;
    }
  }

  @Command(name = "add", description = "Add a user.")
  static final class Add extends WithPassword {
    @Parameters(paramLabel = "NAME", description = "username: [a-z0-9][a-z0-9._-]{0,63}")
    String name;

    @Override
    void execute(UserAdmin admin, PrintWriter out) {
      UserRecord user = admin.add(name, readPassword());
      out.println("added user " + user.username());
    }
  }

  @Command(name = "passwd", description = "Set a user's password.")
  static final class Passwd extends WithPassword {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    void execute(UserAdmin admin, PrintWriter out) {
      if (!admin.changePassword(name, readPassword())) {
        throw new IllegalArgumentException("no such user: " + name);
      }
      out.println("password changed for " + name);
    }
  }

  @Command(name = "list", description = "List users.")
  static final class ListUsers extends Base {
    @Override
    void execute(UserAdmin admin, PrintWriter out) {
      for (UserRecord user : admin.list()) {
        out.println(user.username() + "\t" + user.createdAt());
      }
    }
  }

  @Command(name = "del", description = "Delete a user and revoke all their certificates.")
  static final class Del extends Base {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    void execute(UserAdmin admin, PrintWriter out) {
      if (!admin.delete(name)) {
        throw new IllegalArgumentException("no such user: " + name);
      }
      out.println("deleted user " + name + " and revoked their certificates");
    }
  }
}
