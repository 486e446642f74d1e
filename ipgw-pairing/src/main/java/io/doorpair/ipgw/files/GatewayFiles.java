package io.doorpair.ipgw.files;

import io.doorpair.b2b.conf.AccountsList;
import io.doorpair.b2b.conf.AclList;
import io.doorpair.b2b.conf.B2bConf;
import io.doorpair.b2b.conf.FileFormatException;
import io.doorpair.b2b.conf.GatewayPaths;
import io.doorpair.b2b.conf.PasswdFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.Objects;

/**
 * Writes the files of DESIGN §6 under their {@link GatewayPaths}, each atomically ({@link
 * AtomicFiles}), {@code accounts.list} beside {@code acl.list}; {@code agent.pem}, {@code b2b.conf}
 * and the password file with mode 0600. Every value is rendered (and so checked) before the first
 * file is touched, so a bad value changes no file. The b2b's call timers in {@code b2b.conf}
 * ({@code ring-timeout}, {@code max-call-duration}) are not in the store: a rewrite keeps those of
 * the file on disk when it reads well (an owner may have tuned them), else writes the defaults.
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
    String conf = withTimersOnDisk(files.b2bConf()).render();
    AtomicFiles.write(paths.caFile(), files.caPem(), AtomicFiles.PUBLIC);
    AtomicFiles.write(paths.agentPem(), files.agentPem(), AtomicFiles.SECRET);
    AtomicFiles.write(paths.passwdFile(), passwd, AtomicFiles.SECRET);
    AtomicFiles.write(paths.b2bConf(), conf, AtomicFiles.SECRET);
    AtomicFiles.write(paths.accountsList(), accounts, AtomicFiles.PUBLIC);
    AtomicFiles.write(paths.aclList(), acl, AtomicFiles.PUBLIC);
  }

  /**
   * Writes the TLS identity after a certificate renewal, in an order the b2b accepts at every step
   * ({@code agent.pem} must be issued by a CA of {@code cafile.pem}): when the portal CA changed (a
   * CA rotation), {@code cafile.pem} first holds both the new and the previous CA, then {@code
   * agent.pem} gets the new key and certificate, then {@code cafile.pem} the new CA alone. Without
   * a CA change only {@code agent.pem} is written.
   *
   * @param previousCaPem the CA of the certificate being replaced
   * @param caPem the CA of the renewed certificate
   * @param agentPem the key and the renewed certificate
   * @throws IOException when a file cannot be written (each file is either old or new, and every
   *     state between the steps is a valid pair; the store rewrites them at the next start)
   */
  public void writeRenewedIdentity(String previousCaPem, String caPem, String agentPem)
      throws IOException {
    if (!previousCaPem.equals(caPem)) {
      AtomicFiles.write(paths.caFile(), caPem + previousCaPem, AtomicFiles.PUBLIC);
    }
    AtomicFiles.write(paths.agentPem(), agentPem, AtomicFiles.SECRET);
    AtomicFiles.write(paths.caFile(), caPem, AtomicFiles.PUBLIC);
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

  /**
   * {@code fresh} with the call timers and the management listener of the {@code b2b.conf} on disk
   * (the owner's), when it is a regular file that reads well; else {@code fresh} as it is
   * (defaults).
   */
  private B2bConf withTimersOnDisk(B2bConf fresh) {
    try {
      if (!Files.isRegularFile(paths.b2bConf(), LinkOption.NOFOLLOW_LINKS)
          || Files.size(paths.b2bConf()) > B2bConf.MAX_CHARS) {
        return fresh;
      }
      B2bConf current = B2bConf.parse(Files.readString(paths.b2bConf(), StandardCharsets.UTF_8));
      return fresh
          .withTimers(current.ringTimeout(), current.maxCallDuration())
          .withManagement(current.management());
    } catch (IOException | FileFormatException e) {
      return fresh;
    }
  }
}
