package io.doorpair.b2b.conf;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where the files of DESIGN §6 live, every {@code /etc} path under a root ({@code /} on a real
 * gateway, a temporary folder in tests).
 *
 * @param caFile {@code etc/b2b/tls/cafile.pem}: the portal CA certificate
 * @param agentPem {@code etc/b2b/tls/agent.pem}: the gateway key then its certificate (0600)
 * @param b2bConf {@code etc/b2b/b2b.conf}
 * @param aclList {@code etc/b2b/acl.list}
 * @param passwdFile {@code etc/flexisip/passwd}: the Flexisip password file
 * @param accountsList {@code etc/b2b/accounts.list}: each app account's device and rights (the
 *     project's addition to DESIGN §6, {@link AccountsList})
 */
public record GatewayPaths(
    Path caFile, Path agentPem, Path b2bConf, Path aclList, Path passwdFile, Path accountsList) {
  public GatewayPaths {
    Objects.requireNonNull(caFile, "caFile");
    Objects.requireNonNull(agentPem, "agentPem");
    Objects.requireNonNull(b2bConf, "b2bConf");
    Objects.requireNonNull(aclList, "aclList");
    Objects.requireNonNull(passwdFile, "passwdFile");
    Objects.requireNonNull(accountsList, "accountsList");
  }

  /**
   * The default layout under a root.
   *
   * @param root the prefix of every {@code /etc} path
   * @return the paths
   */
  public static GatewayPaths under(Path root) {
    Path etc = root.resolve("etc");
    Path b2b = etc.resolve("b2b");
    return new GatewayPaths(
        b2b.resolve("tls/cafile.pem"),
        b2b.resolve("tls/agent.pem"),
        b2b.resolve("b2b.conf"),
        b2b.resolve("acl.list"),
        etc.resolve("flexisip/passwd"),
        b2b.resolve("accounts.list"));
  }

  /**
   * Every file, in the order pairing writes them.
   *
   * @return the paths
   */
  public List<Path> all() {
    return List.of(caFile, agentPem, passwdFile, b2bConf, accountsList, aclList);
  }
}
