package io.doorpair.e2e.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Separate hosts on one machine: network namespaces made by the test, named {@code
 * dpe2e-PID-XXXX-ROLE} (the test JVM's pid and 16 random bits, so parallel runs never meet), never
 * touching the machine's own interfaces. A router namespace joins three hosts, each on a link (a
 * veth pair) and network of its own: the portal host {@code 10.77.1.2}, the gateway host {@code
 * 10.77.2.2} and the phone host {@code 10.77.3.2}, each with a default route through the router
 * ({@code .1}); a door host ({@code 10.77.9.2}) on the gateway host's LAN ({@code 10.77.9.1}),
 * which reaches nothing beyond it. Each host's {@code /etc/hosts} ({@code /etc/netns/NAME/hosts},
 * which {@code ip netns exec} mounts over it) names the portal {@value #PORTAL_NAME}.
 *
 * <p>{@link #cut} takes the router's end of a host's link down, as a cable pulled at the provider:
 * the host's own interface, address and routes stay, its packets are lost, its TCP connections hang
 * without a reset; {@link #restore} brings it back. {@link #close} deletes the namespaces (their
 * links with them) and the {@code /etc/netns} folders, after killing what still runs in them (the
 * processes this test started); namespaces left by a run whose JVM died are deleted at the next
 * start.
 *
 * <p>Needs root and {@code ip} (iproute2): without them the test is skipped with the reason, and
 * fails when {@code CI=true}.
 */
public final class HostNetwork implements AutoCloseable {
  /** The portal host's name in every host's {@code /etc/hosts}. */
  public static final String PORTAL_NAME = "portal.test";

  /** The gateway host's address on its LAN, where the door host is. */
  public static final String GATEWAY_LAN = "10.77.9.1";

  private static final Pattern OURS = Pattern.compile("dpe2e-(\\d+)-[0-9a-f]{4}-[a-z]+");
  private static final Duration COMMAND = Duration.ofSeconds(60);
  private static final Path ETC_NETNS = Path.of("/etc/netns");

  private final Path dir;
  private final String router;
  private final List<String> namespaces = new ArrayList<>();
  private NetnsHost portal;
  private NetnsHost gateway;
  private NetnsHost phone;
  private NetnsHost door;

  private HostNetwork(Path dir, String prefix) {
    this.dir = dir;
    this.router = prefix + "-router";
  }

  /**
   * Makes the router and the three hosts, or stops the test: skipped without root or {@code ip},
   * failed instead under {@code CI=true}.
   *
   * @param dir a folder for the commands' output
   * @return the network
   */
  public static HostNetwork create(Path dir) throws IOException, InterruptedException {
    String unusable = unusable(dir);
    if (unusable != null) {
      if (Boolean.parseBoolean(System.getenv("CI"))) {
        Assertions.fail("network namespaces are required in CI (CI=true): " + unusable);
      }
      Assumptions.abort("network namespaces cannot be made here (" + unusable + "): test skipped");
    }
    deleteStale(dir);
    byte[] random = new byte[2];
    new SecureRandom().nextBytes(random);
    String prefix =
        "dpe2e-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
    HostNetwork network = new HostNetwork(dir, prefix);
    try {
      network.addNamespace(network.router);
      network.ip(network.router, "link", "set", "lo", "up");
      network.command(
          List.of("ip", "netns", "exec", network.router, "sysctl", "-qw", "net.ipv4.ip_forward=1"));
      network.portal = network.host(prefix, "portal", 1);
      network.gateway = network.host(prefix, "gateway", 2);
      network.phone = network.host(prefix, "phone", 3);
      network.door = network.lanHost(prefix, "door");
      return network;
    } catch (IOException | InterruptedException | RuntimeException e) {
      network.close();
      throw e;
    }
  }

  /** Why namespaces cannot be made, or null. */
  private static String unusable(Path dir) throws IOException, InterruptedException {
    if (!"0".equals(run(dir, List.of("id", "-u")).output().strip())) {
      return "not root";
    }
    try {
      ActorProcess.Result ip = run(dir, List.of("ip", "netns", "list"));
      return ip.exit() == 0 ? null : "ip netns list: " + ip.output().strip();
    } catch (IOException e) {
      return "no ip command (apt-get install -y iproute2)";
    }
  }

  /** Deletes the namespaces of earlier runs whose JVM is gone (a crash skips {@link #close}). */
  private static void deleteStale(Path dir) throws IOException, InterruptedException {
    for (String line : run(dir, List.of("ip", "netns", "list")).output().split("\n")) {
      String name = line.strip().split(" ")[0];
      Matcher m = OURS.matcher(name);
      if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
        run(dir, List.of("ip", "netns", "del", name));
        deleteHostsFolder(name);
      }
    }
  }

  private NetnsHost host(String prefix, String role, int net)
      throws IOException, InterruptedException {
    String name = prefix + "-" + role;
    addNamespace(name);
    String routerLink = role + "0";
    String routerAddress = "10.77." + net + ".1";
    String address = "10.77." + net + ".2";
    ip(name, "link", "set", "lo", "up");
    ip(router, "link", "add", routerLink, "type", "veth", "peer", "name", "wan0", "netns", name);
    ip(router, "addr", "add", routerAddress + "/24", "dev", routerLink);
    ip(router, "link", "set", routerLink, "up");
    ip(name, "addr", "add", address + "/24", "dev", "wan0");
    ip(name, "link", "set", "wan0", "up");
    ip(name, "route", "add", "default", "via", routerAddress);
    Path folder = Files.createDirectories(ETC_NETNS.resolve(name));
    Files.writeString(
        folder.resolve("hosts"),
        "127.0.0.1 localhost\n::1 localhost\n10.77.1.2 " + PORTAL_NAME + "\n");
    return new NetnsHost(name, address, routerLink);
  }

  /** A host on the gateway's LAN only: a link of its own to the gateway host, no route beyond. */
  private NetnsHost lanHost(String prefix, String role) throws IOException, InterruptedException {
    String name = prefix + "-" + role;
    addNamespace(name);
    ip(name, "link", "set", "lo", "up");
    ip(
        gateway.namespace(),
        "link",
        "add",
        "lan0",
        "type",
        "veth",
        "peer",
        "name",
        "lan0",
        "netns",
        name);
    ip(gateway.namespace(), "addr", "add", GATEWAY_LAN + "/24", "dev", "lan0");
    ip(gateway.namespace(), "link", "set", "lan0", "up");
    ip(name, "addr", "add", "10.77.9.2/24", "dev", "lan0");
    ip(name, "link", "set", "lan0", "up");
    return new NetnsHost(name, "10.77.9.2", "");
  }

  private void addNamespace(String name) throws IOException, InterruptedException {
    command(List.of("ip", "netns", "add", name));
    namespaces.add(name);
  }

  /** The portal host. */
  public NetnsHost portal() {
    return portal;
  }

  /** The gateway host. */
  public NetnsHost gateway() {
    return gateway;
  }

  /** The phone host. */
  public NetnsHost phone() {
    return phone;
  }

  /** The door station's host, on the gateway's LAN ({@value #GATEWAY_LAN} is the gateway). */
  public NetnsHost door() {
    return door;
  }

  /**
   * Cuts {@code host}'s link (the portal, gateway or phone host's) at the router: nothing goes in
   * or out until {@link #restore}.
   *
   * @param host the host
   */
  public void cut(NetnsHost host) throws IOException, InterruptedException {
    ip(router, "link", "set", host.routerLink(), "down");
  }

  /**
   * Restores {@code host}'s link (the router's route to it comes back with it).
   *
   * @param host the host
   */
  public void restore(NetnsHost host) throws IOException, InterruptedException {
    ip(router, "link", "set", host.routerLink(), "up");
  }

  private void ip(String namespace, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ip", "-n", namespace));
    command.addAll(List.of(args));
    command(command);
  }

  private void command(List<String> command) throws IOException, InterruptedException {
    ActorProcess.Result result = run(dir, command);
    if (result.exit() != 0) {
      throw new IllegalStateException(
          command + " exited " + result.exit() + ": " + result.output());
    }
  }

  private static ActorProcess.Result run(Path dir, List<String> command)
      throws IOException, InterruptedException {
    return ActorProcess.runCommand(dir, "", COMMAND, Map.of(), command);
  }

  private static void deleteHostsFolder(String name) throws IOException {
    Path folder = ETC_NETNS.resolve(name);
    Files.deleteIfExists(folder.resolve("hosts"));
    Files.deleteIfExists(folder);
  }

  /** Kills what still runs in the hosts (this test's processes), deletes every namespace. */
  @Override
  public void close() {
    List<String> reversed = new ArrayList<>(namespaces);
    java.util.Collections.reverse(reversed);
    for (String name : reversed) {
      try {
        for (String pid : run(dir, List.of("ip", "netns", "pids", name)).output().split("\\s+")) {
          if (pid.matches("[0-9]+")) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
          }
        }
        run(dir, List.of("ip", "netns", "del", name));
        deleteHostsFolder(name);
      } catch (IOException | RuntimeException e) {
        System.err.println("could not delete namespace " + name + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
