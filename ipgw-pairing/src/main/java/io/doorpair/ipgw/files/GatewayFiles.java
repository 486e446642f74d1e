package io.doorpair.ipgw.files;

import io.doorpair.b2b.conf.AccountsList;
import io.doorpair.b2b.conf.AclList;
import io.doorpair.b2b.conf.GatewayPaths;
import io.doorpair.b2b.conf.PasswdFile;
import java.io.IOException;
import java.util.Objects;

/**
 * Writes the files of DESIGN §6 under their {@link GatewayPaths}, each atomically ({@link
 * AtomicFiles}), {@code accounts.list} beside {@code acl.list}; {@code agent.pem}, {@code b2b.conf}
 * and the password file with mode 0600. Every value is rendered (and so checked) before the first
 * file is touched, so a bad value changes no file.
 */
public final class GatewayFiles {
  private final GatewayPaths paths;

  /**
   * A writer.
   *
   * @param paths where the files go
   */
  public GatewayFiles(GatewayPaths paths) {
    this.paths = Objects.requireNonNull(paths, "paths");
  }

  /**
   * The paths written.
   *
   * @return the paths
   */
  public GatewayPaths paths() {
    return paths;
  }

  /**
   * Writes every file (pairing, re-pairing, repair at start-up).
   *
   * @param files the content
   * @throws IOException when a file cannot be written (each file is either old or new)
   */
  public void writeAll(GatewayFileSet files) throws IOException {
    String passwd = PasswdFile.render(files.passwdEntries());
    String acl = AclList.render(files.acl());
    String accounts = AccountsList.render(files.appRights());
    String conf = files.b2bConf().render();
    AtomicFiles.write(paths.caFile(), files.caPem(), AtomicFiles.PUBLIC);
    AtomicFiles.write(paths.agentPem(), files.agentPem(), AtomicFiles.SECRET);
    AtomicFiles.write(paths.passwdFile(), passwd, AtomicFiles.SECRET);
    AtomicFiles.write(paths.b2bConf(), conf, AtomicFiles.SECRET);
    AtomicFiles.write(paths.accountsList(), accounts, AtomicFiles.PUBLIC);
    AtomicFiles.write(paths.aclList(), acl, AtomicFiles.PUBLIC);
  }

  /**
   * Writes the three files an access change touches: the password file, {@code accounts.list}, then
   * {@code acl.list} (in that order, so that every account {@code accounts.list} names is already
   * in the password file, and every ACL user already in {@code accounts.list}).
   *
   * @param files the content (only the accounts, the ACL and the b2b password are used)
   * @throws IOException when a file cannot be written
   */
  public void writeAccess(GatewayFileSet files) throws IOException {
    String passwd = PasswdFile.render(files.passwdEntries());
    String acl = AclList.render(files.acl());
    String accounts = AccountsList.render(files.appRights());
    AtomicFiles.write(paths.passwdFile(), passwd, AtomicFiles.SECRET);
    AtomicFiles.write(paths.accountsList(), accounts, AtomicFiles.PUBLIC);
    AtomicFiles.write(paths.aclList(), acl, AtomicFiles.PUBLIC);
  }
}
