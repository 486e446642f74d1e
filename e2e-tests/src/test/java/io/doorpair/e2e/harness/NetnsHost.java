package io.doorpair.e2e.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * A host of its own: a network namespace made by {@link HostNetwork}, with one link ({@code wan0})
 * to the test's router and one address on it.
 *
 * @param namespace the namespace's name ({@code ip netns})
 * @param address the host's IPv4 address on its link
 * @param routerLink the name of the router's end of the host's link (to cut it)
 */
public record NetnsHost(String namespace, String address, String routerLink) {
  /**
   * The prefix that runs a command in this host: {@code ip netns exec NAMESPACE}. The process keeps
   * its pid ({@code ip} execs it) and the environment; it sees the host's {@code /etc/hosts}.
   *
   * @return the prefix
   */
  public List<String> exec() {
    return List.of("ip", "netns", "exec", namespace);
  }

  /**
   * {@code command} run in this host.
   *
   * @param command the command
   * @return the prefixed command
   */
  public List<String> exec(List<String> command) {
    List<String> all = new ArrayList<>(exec());
    all.addAll(command);
    return all;
  }
}
