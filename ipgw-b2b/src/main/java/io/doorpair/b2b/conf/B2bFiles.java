package io.doorpair.b2b.conf;

import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.CryptoException;
import io.doorpair.crypto.Pem;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Everything {@code b2b} runs on, read from the files of DESIGN §6 under a root and checked
 * together: {@code b2b.conf}, {@code tls/cafile.pem}, {@code tls/agent.pem} (key then certificate,
 * mode 0600, the certificate issued by the CA in {@code cafile.pem} to {@code ipgw@DOMAIN} of
 * {@code b2b.conf}, the key matching it), {@code acl.list} and the Flexisip password file (which
 * must hold {@code ipgw@DOMAIN} with the password of {@code b2b.conf}).
 *
 * <p>Every refusal is a {@link FileFormatException} whose message is one line starting with the
 * file's path, then the line when there is one; it never quotes a password or key.
 *
 * @param conf the settings of {@code b2b.conf}
 * @param caCertificates the portal CA of {@code cafile.pem}
 * @param key the gateway's private key
 * @param chain the gateway's certificate then any others of {@code agent.pem}
 * @param acl the portal usernames door calls go to
 * @param accounts the password file's accounts
 * @param appAccounts the app accounts of {@code accounts.list}
 */
public record B2bFiles(
    B2bConf conf,
    List<X509Certificate> caCertificates,
    PrivateKey key,
    List<X509Certificate> chain,
    List<String> acl,
    List<PasswdEntry> accounts,
    List<AppAccount> appAccounts) {

  /** The largest PEM file read, bytes. */
  static final int MAX_PEM_BYTES = 64 * 1024;

  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  /** Copies the lists. */
  public B2bFiles {
    Objects.requireNonNull(conf, "conf");
    Objects.requireNonNull(key, "key");
    caCertificates = List.copyOf(caCertificates);
    chain = List.copyOf(chain);
    acl = List.copyOf(acl);
    accounts = List.copyOf(accounts);
    appAccounts = List.copyOf(appAccounts);
  }

  /**
   * The files SIGHUP reloads, read and checked together.
   *
   * @param acl the portal usernames of {@code acl.list}
   * @param accounts the password file's accounts
   * @param appAccounts the app accounts of {@code accounts.list}
   */
  public record Access(List<String> acl, List<PasswdEntry> accounts, List<AppAccount> appAccounts) {
    /** Copies the lists. */
    public Access {
      acl = List.copyOf(acl);
      accounts = List.copyOf(accounts);
      appAccounts = List.copyOf(appAccounts);
    }

    /** Redacts the passwords. */
    @Override
    public String toString() {
      return "Access[acl=" + acl.size() + ", accounts=" + appAccounts.size() + "]";
    }
  }

  /**
   * The access files of this load.
   *
   * @return acl, passwords and app accounts
   */
  public Access access() {
    return new Access(acl, accounts, appAccounts);
  }

  /**
   * Reads and checks every file.
   *
   * @param paths where the files are
   * @param now to refuse an expired or not yet valid gateway certificate
   * @return the checked content
   * @throws FileFormatException one line naming the file (and line) at fault
   */
  public static B2bFiles load(GatewayPaths paths, Instant now) {
    secret(paths.b2bConf());
    B2bConf conf = parsed(paths.b2bConf(), B2bConf.MAX_CHARS, B2bConf::parse);
    List<X509Certificate> ca = certificates(paths.caFile());
    PrivateKey key = privateKey(paths.agentPem());
    List<X509Certificate> chain = certificates(paths.agentPem());
    X509Certificate leaf = chain.get(0);
    if (!matches(key, leaf)) {
      throw refused(paths.agentPem(), "the private key does not match the certificate");
    }
    if (!issuedByOneOf(leaf, ca)) {
      throw refused(
          paths.agentPem(), "the certificate is not issued by the CA in " + paths.caFile());
    }
    if (now.isAfter(leaf.getNotAfter().toInstant())) {
      throw refused(
          paths.agentPem(), "the certificate expired on " + leaf.getNotAfter().toInstant());
    }
    if (now.isBefore(leaf.getNotBefore().toInstant())) {
      throw refused(
          paths.agentPem(),
          "the certificate is not valid before " + leaf.getNotBefore().toInstant());
    }
    String expected = "ipgw@" + conf.domain();
    String cn = commonName(leaf, paths.agentPem());
    if (!cn.toLowerCase(Locale.ROOT).equals(expected)) {
      throw refused(
          paths.agentPem(),
          "the certificate is for " + cn + ", but " + paths.b2bConf() + " says " + expected);
    }
    Access access = loadAccess(paths, conf);
    return new B2bFiles(
        conf, ca, key, chain, access.acl(), access.accounts(), access.appAccounts());
  }

  /**
   * Reads and checks the files that SIGHUP reloads: {@code acl.list}, the password file (it must
   * hold {@code ipgw@DOMAIN} with the password of {@code b2b.conf}) and {@code accounts.list} (each
   * account in the password file at DOMAIN; each user of {@code acl.list} with an account that has
   * the door-calls right).
   *
   * @param paths where the files are
   * @param conf the settings already read
   * @return the checked content
   * @throws FileFormatException one line naming the file (and line) at fault
   */
  public static Access loadAccess(GatewayPaths paths, B2bConf conf) {
    String expected = "ipgw@" + conf.domain();
    List<String> acl = parsed(paths.aclList(), AclList.MAX_CHARS, AclList::parse);
    secret(paths.passwdFile());
    List<PasswdEntry> accounts =
        parsed(paths.passwdFile(), PasswdFile.MAX_CHARS, PasswdFile::parse);
    PasswdEntry own =
        accounts.stream()
            .filter(a -> a.identity().equalsIgnoreCase(expected))
            .findFirst()
            .orElseThrow(() -> refused(paths.passwdFile(), "no account " + expected));
    if (!own.password().equals(conf.password())) {
      throw refused(
          paths.passwdFile(),
          "the password of " + expected + " differs from the one in " + paths.b2bConf());
    }
    List<AppAccount> apps =
        parsed(paths.accountsList(), AccountsList.MAX_CHARS, AccountsList::parse);
    for (AppAccount app : apps) {
      boolean inPasswd =
          accounts.stream()
              .anyMatch(
                  a ->
                      a.user().equals(app.sipUsername())
                          && a.domain().equalsIgnoreCase(conf.domain()));
      if (!inPasswd || app.sipUsername().equalsIgnoreCase("ipgw")) {
        throw refused(
            paths.accountsList(),
            "account "
                + app.sipUsername()
                + " is not an app account of "
                + paths.passwdFile()
                + " at "
                + conf.domain());
      }
    }
    for (String user : acl) {
      boolean rings =
          apps.stream().anyMatch(a -> a.portalUser().equals(user) && a.doorCalls() && a.portal());
      if (!rings) {
        throw refused(
            paths.aclList(),
            "user "
                + user
                + " has no account used through the portal with the door-calls right in "
                + paths.accountsList());
      }
    }
    return new Access(acl, accounts, apps);
  }

  /** Redacts the key and passwords. */
  @Override
  public String toString() {
    return "B2bFiles[" + conf + ", cert=" + chain.get(0).getSubjectX500Principal() + "]";
  }

  interface Parser<T> {
    T parse(String text);
  }

  /**
   * One file read on its own, for a reload whose set was refused: empty when it cannot be read or
   * parsed (or, for a secret, when group or others may read it).
   */
  static <T> java.util.Optional<T> readable(
      Path file, int maxChars, Parser<T> parser, boolean isSecret) {
    try {
      if (isSecret) {
        secret(file);
      }
      return java.util.Optional.of(parsed(file, maxChars, parser));
    } catch (FileFormatException e) {
      return java.util.Optional.empty();
    }
  }

  private static <T> T parsed(Path file, int maxChars, Parser<T> parser) {
    String text = text(file, maxChars * 4L);
    try {
      return parser.parse(text);
    } catch (FileFormatException e) {
      throw refused(file, e.getMessage());
    }
  }

  private static List<X509Certificate> certificates(Path file) {
    try {
      return Pem.parseCertificates(text(file, MAX_PEM_BYTES));
    } catch (CryptoException e) {
      throw refused(file, "no readable PEM certificate (" + e.getMessage() + ")");
    }
  }

  private static PrivateKey privateKey(Path file) {
    secret(file);
    try {
      return Pem.parsePrivateKey(text(file, MAX_PEM_BYTES));
    } catch (CryptoException e) {
      // the message names the PEM problem, never key material
      throw refused(file, "no readable private key (" + e.getMessage() + ")");
    }
  }

  /** Refuses a file holding a secret that group or others may read or write. */
  private static void secret(Path file) {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (NoSuchFileException e) {
      throw refused(file, "no such file");
    } catch (UnsupportedOperationException | IOException e) {
      throw refused(file, "cannot read its permissions");
    }
    if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
      throw refused(
          file,
          "readable by group or others (mode "
              + PosixFilePermissions.toString(permissions)
              + "); chmod 600 it");
    }
  }

  private static String text(Path file, long maxBytes) {
    byte[] bytes;
    try {
      if (!Files.isRegularFile(file)) {
        throw refused(file, Files.exists(file) ? "not a regular file" : "no such file");
      }
      if (Files.size(file) > maxBytes) {
        throw refused(file, "larger than " + maxBytes + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw refused(file, "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw refused(file, "not UTF-8 text");
    }
  }

  private static String commonName(X509Certificate leaf, Path file) {
    try {
      return CertificateIdentity.of(leaf).commonName();
    } catch (RuntimeException e) {
      throw refused(file, "the certificate has no usable CN (" + e.getMessage() + ")");
    }
  }

  private static boolean matches(PrivateKey key, X509Certificate certificate) {
    return key instanceof RSAKey
        && certificate.getPublicKey() instanceof RSAKey
        && ((RSAKey) key).getModulus().equals(((RSAKey) certificate.getPublicKey()).getModulus());
  }

  private static boolean issuedByOneOf(X509Certificate leaf, List<X509Certificate> authorities) {
    for (X509Certificate authority : authorities) {
      if (!authority.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
        continue;
      }
      try {
        leaf.verify(authority.getPublicKey());
        return true;
      } catch (GeneralSecurityException e) {
        // try the next one
      }
    }
    return false;
  }

  private static FileFormatException refused(Path file, String why) {
    return new FileFormatException(file + ": " + why);
  }
}
