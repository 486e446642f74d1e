package io.doorpair.ipgw.cli;

import io.doorpair.b2b.conf.GatewayPaths;
import io.doorpair.crypto.SipPassword;
import io.doorpair.ipgw.accounts.B2bSignal;
import io.doorpair.ipgw.accounts.FileSync;
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
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ipgw door add|remove NAME}: the door stations' accounts on the embedded internal SIP
 * server. {@code add} draws a password, stores the door, rewrites the password file from the store
 * ({@code NAME@DOMAIN}) and prints the password once on standard output (to type into the door
 * station); both send SIGHUP to the b2b that {@code ipgw serve} supervises on the same data folder,
 * if one runs, so that its internal server takes the change at once. The gateway must be paired
 * (the DOMAIN is the realm).
 */
@Command(
    name = "door",
    description = "Add or remove a door station's account on the internal SIP server.",
    subcommands = {DoorCommand.Add.class, DoorCommand.Remove.class})
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

    @Override
    public void run() {
      DoorTable.checkName(name);
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
                  if (!DoorTable.add(c, new DoorTable.Door(name, password), now)) {
                    throw new IllegalStateException("door " + name + " exists already");
                  }
                  topology(c, "door_added", name, now);
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
              boolean removed = DoorTable.remove(c, name);
              if (removed) {
                topology(c, "door_removed", name, Instant.now());
              }
              return removed;
            })) {
          throw new IllegalStateException("no door " + name);
        }
        sync(store, folders);
      }
    }
  }

  /**
   * Queues a topology event (DESIGN §8) in the caller's transaction; the running {@code ipgw serve}
   * sends it with the rest of its outbox (its sender looks at least every 30 s).
   */
  private static void topology(Connection c, String type, String door, Instant at)
      throws SQLException {
    new Outbox(new SecureRandom(), OutboxSender.Wakeup.NONE)
        .queue(c, "topology", at, payload(type, door));
  }

  /**
   * The payload, keys in a fixed order ({@code Map.of} iterates in an order drawn at each JVM
   * start, which made the JSON differ from run to run).
   */
  private static Map<String, String> payload(String type, String door) {
    Map<String, String> payload = new java.util.LinkedHashMap<>();
    payload.put("type", type);
    payload.put("door", door);
    return payload;
  }

  /** Rewrites the password file (and the rest of the access files) and signals a running b2b. */
  private static void sync(GatewayStore store, Folders folders) {
    new FileSync(store, new GatewayFiles(GatewayPaths.under(folders.root)), B2bSignal.NONE)
        .writeAccess();
    ChildB2b.reloadRunning(folders.data);
  }
}
