package io.doorpair.b2b.testing;

import io.doorpair.b2b.conf.AccountsList;
import io.doorpair.b2b.conf.AclList;
import io.doorpair.b2b.conf.AppAccount;
import io.doorpair.b2b.conf.B2bConf;
import io.doorpair.b2b.conf.GatewayPaths;
import io.doorpair.b2b.conf.PasswdEntry;
import io.doorpair.b2b.conf.PasswdFile;
import io.doorpair.crypto.SipPassword;
import io.doorpair.crypto.testing.TestPki;
import io.doorpair.crypto.testing.TestPki.Leaf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Writes a paired gateway's files (DESIGN §6) under a root, as {@code ipgw} would. */
public final class GatewayRoot {
  /** The b2b password written into b2b.conf and the password file. */
  public static final SipPassword B2B_PASSWORD = SipPassword.of("B2bPassw0rdB2bPassw0rd12");

  private final Path root;
  private final GatewayPaths paths;
  private final String domain;
  private final Leaf agent;

  private GatewayRoot(Path root, String domain, Leaf agent) {
    this.root = root;
    this.paths = GatewayPaths.under(root);
    this.domain = domain;
    this.agent = agent;
  }

  /**
   * One app account: its password file entry (at the gateway DOMAIN) and its {@code accounts.list}
   * line.
   *
   * @param rights the accounts.list line
   * @param password its SIP password
   */
  public record App(AppAccount rights, SipPassword password) {}

  /**
   * Writes every file; each ACL user gets an app account {@code USER-auto} with the door-calls
   * right and no GRUU.
   *
   * @param root the folder
   * @param pki the portal CA
   * @param domain the gateway DOMAIN
   * @param portalSipUri b2b.conf's portal-sip-uri
   * @param acl the users door calls go to
   * @param apps extra accounts of the password file
   * @return the root
   */
  public static GatewayRoot write(
      Path root,
      TestPki pki,
      String domain,
      String portalSipUri,
      List<String> acl,
      List<PasswdEntry> apps)
      throws IOException {
    List<App> auto = new ArrayList<>();
    for (String user : acl) {
      auto.add(
          new App(
              new AppAccount(user + "-auto", user, Optional.empty(), true, false, false, false),
              SipPassword.of("AutoPassw0rdAutoPassw0rd")));
    }
    return write(root, pki, domain, portalSipUri, acl, apps, auto);
  }

  /**
   * Writes every file.
   *
   * @param root the folder
   * @param pki the portal CA
   * @param domain the gateway DOMAIN
   * @param portalSipUri b2b.conf's portal-sip-uri
   * @param acl the users door calls go to
   * @param others extra accounts of the password file (door stations)
   * @param apps the app accounts (password file and accounts.list)
   * @return the root
   */
  public static GatewayRoot write(
      Path root,
      TestPki pki,
      String domain,
      String portalSipUri,
      List<String> acl,
      List<PasswdEntry> others,
      List<App> apps)
      throws IOException {
    Leaf agent = pki.issueClient("ipgw@" + domain, Optional.empty());
    GatewayRoot gateway = new GatewayRoot(root, domain, agent);
    GatewayPaths p = gateway.paths;
    write(p.caFile(), pki.caPem(), "rw-r--r--");
    write(p.agentPem(), agent.agentPem(), "rw-------");
    write(
        p.b2bConf(),
        new B2bConf(domain, portalSipUri, internalSipUri(), B2B_PASSWORD).render(),
        "rw-------");
    List<PasswdEntry> accounts = new ArrayList<>();
    accounts.add(new PasswdEntry("ipgw", domain, B2B_PASSWORD));
    accounts.addAll(others);
    List<AppAccount> rights = new ArrayList<>();
    for (App app : apps) {
      accounts.add(new PasswdEntry(app.rights().sipUsername(), domain, app.password()));
      rights.add(app.rights());
    }
    write(p.passwdFile(), PasswdFile.render(accounts), "rw-------");
    write(p.accountsList(), AccountsList.render(rights), "rw-r--r--");
    write(p.aclList(), AclList.render(acl), "rw-r--r--");
    return gateway;
  }

  /** {@code sip:127.0.0.1:PORT;transport=tcp} on a port free now (UDP and TCP). */
  private static String internalSipUri() throws IOException {
    for (int i = 0; i < 20; i++) {
      try (java.net.ServerSocket tcp =
              new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
          java.net.DatagramSocket udp =
              new java.net.DatagramSocket(
                  new java.net.InetSocketAddress("127.0.0.1", tcp.getLocalPort()))) {
        return "sip:127.0.0.1:" + udp.getLocalPort() + ";transport=tcp";
      } catch (java.net.BindException e) {
        // that port is taken over UDP: try another
      }
    }
    throw new IOException("no free port for the internal SIP server");
  }

  /** Writes {@code text} to {@code file} with {@code mode}, making folders. */
  public static void write(Path file, String text, String mode) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
  }

  /** The root folder. */
  public Path root() {
    return root;
  }

  /** The file paths. */
  public GatewayPaths paths() {
    return paths;
  }

  /** The gateway DOMAIN. */
  public String domain() {
    return domain;
  }

  /** The gateway certificate and key. */
  public Leaf agent() {
    return agent;
  }
}
