package io.doorpair.ipgw.cli;

import io.doorpair.b2b.conf.GatewayPaths;
import io.doorpair.crypto.SipPassword;
import io.doorpair.ipgw.accounts.B2bSignal;
import io.doorpair.ipgw.accounts.FileSync;
import io.doorpair.ipgw.doors.Doors;
import io.doorpair.ipgw.files.GatewayFiles;
import io.doorpair.ipgw.outbox.Outbox;
import io.doorpair.ipgw.outbox.OutboxSender;
import io.doorpair.ipgw.store.DoorTable;
import io.doorpair.ipgw.store.GatewayStore;
import io.doorpair.ipgw.store.PairingTable;
import io.doorpair.ipgw.supervisor.ChildB2b;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ipgw door add|remove|rename|list}: the door stations' accounts on the embedded internal
 * SIP server. {@code add} draws a password, stores the door, rewrites the password file from the
 * store ({@code NAME@DOMAIN}) and prints the password once on standard output (to type into the
 * door station); add and remove send SIGHUP to the b2b that {@code ipgw serve} supervises on the
 * same data folder, if one runs, so that its internal server takes the change at once. {@code
 * rename NAME DISPLAY} sets the door's display name (its SIP username, configured in the door
 * station, stays). Each change queues a topology event for the portal. The gateway must be paired
 * (the DOMAIN is the realm).
 */
@Command(
    name = "door",
    description =
        "Add, remove, rename or list the door stations' accounts on the internal SIP server.",
    subcommands = {
      DoorCommand.Add.class,
      DoorCommand.Remove.class,
      DoorCommand.Rename.class,
      DoorCommand.ListDoors.class
    })
final class DoorCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "add or remove is required");
  }

  /** The folders, as {@code ipgw serve} takes them. */
  static final class Folders {
    @Option(
        names = "--root",
        defaultValue = "${env:IPGW_ROOT:-/}",
        description = "prefix of every /etc path (default /); env IPGW_ROOT")
    Path root;

    @Option(
        names = "--data",
        defaultValue = "${env:IPGW_DATA:-/var/lib/ipgw}",
        description = "data folder of ipgw serve (default /var/lib/ipgw); env IPGW_DATA")
    Path data;
  }

  /** {@code ipgw door add NAME}. */
  @Command(name = "add", description = "Add a door station; prints its SIP password once.")
  static final class Add implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin Folders folders = new Folders();

    @Parameters(index = "0", description = "the door's SIP username, e.g. front-door")
    String name;

    @Option(
        names = "--display-name",
        description = "the owner's name for the door, e.g. \"Front door\" (1-64 characters)")
    String displayName;

    @Override
    public void run() {
      DoorTable.checkName(name);
      Optional<String> display = Optional.ofNullable(displayName).map(DoorTable::checkDisplayName);
      SipPassword password = SipPassword.generate(new SecureRandom());
      try (GatewayStore store = GatewayStore.open(folders.data)) {
        String domain =
            store.transaction(
                c -> {
                  String d =
                      PairingTable.get(c)
                          .orElseThrow(
                              () -> new IllegalStateException("the gateway is not paired yet"))
                          .domain();
                  Instant now = Instant.now();
                  if (!DoorTable.add(c, new DoorTable.Door(name, password), display, now)) {
                    throw new IllegalStateException("door " + name + " exists already");
                  }
                  doors(store).queue(c, "door_added", name, display, now);
                  return d;
                });
        sync(store, folders);
        PrintWriter out = spec.commandLine().getOut();
        out.println(
            "ipgw: door " + name + "@" + domain + " password (shown once): " + password.reveal());
        out.flush();
      }
    }
  }

  /** {@code ipgw door remove NAME}. */
  @Command(name = "remove", description = "Remove a door station's account.")
  static final class Remove implements Runnable {
    @CommandLine.Mixin Folders folders = new Folders();

    @Parameters(index = "0", description = "the door's SIP username")
    String name;

    @Override
    public void run() {
      try (GatewayStore store = GatewayStore.open(folders.data)) {
        if (!store.transaction(
            c -> {
              Optional<DoorTable.Listed> door = DoorTable.find(c, name);
              if (door.isEmpty()) {
                return false;
              }
              DoorTable.remove(c, name);
              doors(store).queue(c, "door_removed", name, door.get().displayName(), Instant.now());
              return true;
            })) {
          throw new IllegalStateException("no door " + name);
        }
        sync(store, folders);
      }
    }
  }

  /** {@code ipgw door rename NAME DISPLAY}. */
  @Command(
      name = "rename",
      description =
          "Set a door's display name (its SIP username, configured in the door station, stays).")
  static final class Rename implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin Folders folders = new Folders();

    @Parameters(index = "0", description = "the door's SIP username")
    String name;

    @Parameters(index = "1", description = "its new display name, e.g. \"Front door\"")
    String displayName;

    @Override
    public void run() {
      try (GatewayStore store = GatewayStore.open(folders.data)) {
        DoorTable.Listed door;
        try {
          door = doors(store).rename(name, displayName);
        } catch (java.util.NoSuchElementException e) {
          throw new IllegalStateException(e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("ipgw: door " + door.name() + " is now " + door.displayName().orElse(""));
        out.flush();
      }
    }
  }

  /** {@code ipgw door list}. */
  @Command(name = "list", description = "List the door stations (never their passwords).")
  static final class ListDoors implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin Folders folders = new Folders();

    @Override
    public void run() {
      try (GatewayStore store = GatewayStore.open(folders.data)) {
        PrintWriter out = spec.commandLine().getOut();
        for (DoorTable.Listed d : doors(store).all()) {
          out.println(
              d.name()
                  + "\t"
                  + d.displayName().orElse("-")
                  + "\t"
                  + d.registered().map(r -> r ? "registered" : "not registered").orElse("unknown")
                  + d.since().map(t -> " since " + t).orElse(""));
        }
        out.flush();
      }
    }
  }

  /**
   * The doors of a store; events are queued in the caller's transaction and the running {@code ipgw
   * serve} sends them with the rest of its outbox (its sender looks at least every 30 s).
   */
  private static Doors doors(GatewayStore store) {
    return new Doors(
        store, new Outbox(new SecureRandom(), OutboxSender.Wakeup.NONE), Clock.systemUTC());
  }

  /** Rewrites the password file (and the rest of the access files) and signals a running b2b. */
  private static void sync(GatewayStore store, Folders folders) {
    new FileSync(store, new GatewayFiles(GatewayPaths.under(folders.root)), B2bSignal.NONE)
        .writeAccess();
    ChildB2b.reloadRunning(folders.data);
  }
}
