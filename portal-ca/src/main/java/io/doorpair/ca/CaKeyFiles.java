package io.doorpair.ca;

import io.doorpair.crypto.CryptoException;
import io.doorpair.crypto.Pem;
import io.doorpair.crypto.RsaKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA's key and certificate on disk: {@value #KEY_FILE} (PKCS#8 PEM, mode 0600) and {@value
 * #CERTIFICATE_FILE} (PEM, mode 0644) in one folder.
 *
 * <p>{@link #loadOrCreate} creates both when neither exists (each written atomically: a temporary
 * file in the same folder created with its final mode, fsync, rename, fsync of the folder) and
 * otherwise loads them, refusing with an exact message: one file without the other, a key file
 * accessible by group or others, a key that does not match the certificate, a certificate that is
 * not a CA or has expired, a file that is not valid PEM.
 */
public final class CaKeyFiles {
  /** The CA private key file name. */
  public static final String KEY_FILE = "ca-key.pem";

  /** The CA certificate file name. */
  public static final String CERTIFICATE_FILE = "ca.pem";

  private static final Logger LOG = LoggerFactory.getLogger(CaKeyFiles.class);
  static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  static final Set<PosixFilePermission> WORLD_READABLE =
      PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> OWNER_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final int MAX_FILE_BYTES = Pem.MAX_CHARS;

  private CaKeyFiles() {}

  /**
   * Loads the CA from {@code dir}, or creates it there when neither file exists (and {@code dir}
   * too, mode 0700, when missing).
   *
   * @throws IllegalStateException when the files are refused (the message says why and what to do)
   * @throws UncheckedIOException when a file cannot be read or written
   */
  public static CertificateAuthority loadOrCreate(
      Path dir, CaSettings settings, Clock clock, SecureRandom random) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      throw new IllegalStateException("the CA key files need a POSIX file system (mode 0600)");
    }
    Path keyFile = dir.resolve(KEY_FILE);
    Path certificateFile = dir.resolve(CERTIFICATE_FILE);
    boolean hasKey = Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS);
    boolean hasCertificate = Files.exists(certificateFile, LinkOption.NOFOLLOW_LINKS);
    try {
      if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        CaRotation.recover(dir);
        hasKey = Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS);
        hasCertificate = Files.exists(certificateFile, LinkOption.NOFOLLOW_LINKS);
      }
      if (!hasKey && !hasCertificate) {
        return create(dir, keyFile, certificateFile, settings, clock, random);
      }
      if (!hasCertificate) {
        throw new IllegalStateException(
            "found "
                + KEY_FILE
                + " without "
                + CERTIFICATE_FILE
                + " in "
                + dir
                + ": restore "
                + CERTIFICATE_FILE
                + ", or remove "
                + KEY_FILE
                + " to create a new CA");
      }
      if (!hasKey) {
        throw new IllegalStateException(
            "found "
                + CERTIFICATE_FILE
                + " without "
                + KEY_FILE
                + " in "
                + dir
                + ": restore "
                + KEY_FILE
                + ", or remove "
                + CERTIFICATE_FILE
                + " to create a new CA");
      }
      return load(dir, keyFile, certificateFile, settings, clock, random);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot access the CA files in " + dir, e);
    }
  }

  private static CertificateAuthority create(
      Path dir,
      Path keyFile,
      Path certificateFile,
      CaSettings settings,
      Clock clock,
      SecureRandom random)
      throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
    }
    KeyPair keys = RsaKeys.generate(settings.keyBits(), random);
    CertificateAuthority ca = CertificateAuthority.createSelfSigned(keys, settings, clock, random);
    Path stagedKey =
        AtomicFiles.stage(
            keyFile,
            Pem.privateKey(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII),
            OWNER_ONLY);
    try {
      Path stagedCertificate =
          AtomicFiles.stage(
              certificateFile,
              Pem.certificate(ca.certificate()).getBytes(StandardCharsets.US_ASCII),
              WORLD_READABLE);
      try {
        AtomicFiles.commit(stagedKey, keyFile);
        AtomicFiles.commit(stagedCertificate, certificateFile);
      } finally {
        Files.deleteIfExists(stagedCertificate);
      }
    } finally {
      Files.deleteIfExists(stagedKey);
    }
    AtomicFiles.syncDirectory(dir);
    LOG.info(
        "created CA key {} and certificate {} ({} bits)",
        keyFile,
        certificateFile,
        settings.keyBits());
    return ca;
  }

  /**
   * Loads the CA ring from {@code dir}: the issuing CA as {@link #loadOrCreate} does (creating it
   * when the folder holds no CA), and, while a rotation is in its overlap, the previous CA ({@value
   * CaRotation#PREVIOUS_KEY_FILE}, {@value CaRotation#PREVIOUS_CERTIFICATE_FILE}) with a
   * cross-certificate of the issuing CA signed by it. A rotation interrupted between its steps is
   * first finished or undone ({@link CaRotation#recover}). An expired previous CA is left out with
   * a warning (every certificate it issued has expired too).
   *
   * @throws IllegalStateException when the files are refused (the message says why and what to do)
   * @throws UncheckedIOException when a file cannot be read or written
   */
  public static CaKeyring loadKeyring(
      Path dir, CaSettings settings, Clock clock, SecureRandom random) {
    CertificateAuthority current = loadOrCreate(dir, settings, clock, random);
    Path previousCertificate = dir.resolve(CaRotation.PREVIOUS_CERTIFICATE_FILE);
    if (!Files.exists(previousCertificate, LinkOption.NOFOLLOW_LINKS)) {
      return new CaKeyring(current, java.util.Optional.empty(), java.util.Optional.empty());
    }
    Path previousKey = dir.resolve(CaRotation.PREVIOUS_KEY_FILE);
    if (!Files.exists(previousKey, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalStateException(
          "found "
              + CaRotation.PREVIOUS_CERTIFICATE_FILE
              + " without "
              + CaRotation.PREVIOUS_KEY_FILE
              + " in "
              + dir
              + ": restore it from the backup, or run portal ca retire-old");
    }
    try {
      X509Certificate certificate = Pem.parseCertificate(read(previousCertificate));
      if (!certificate.getNotAfter().toInstant().isAfter(clock.instant())) {
        LOG.warn(
            "the previous CA certificate {} expired on {}: left out (run portal ca retire-old)",
            previousCertificate,
            certificate.getNotAfter().toInstant());
        return new CaKeyring(current, java.util.Optional.empty(), java.util.Optional.empty());
      }
      CertificateAuthority previous =
          load(dir, previousKey, previousCertificate, settings, clock, random);
      return new CaKeyring(
          current,
          java.util.Optional.of(previous),
          java.util.Optional.of(previous.crossCertify(current.certificate())));
    } catch (CryptoException e) {
      throw new IllegalStateException(
          previousCertificate + " is not a usable CA certificate: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot access the CA files in " + dir, e);
    }
  }

  /** Loads one CA key and certificate pair, checked as the class comment says. */
  static CertificateAuthority load(
      Path dir,
      Path keyFile,
      Path certificateFile,
      CaSettings settings,
      Clock clock,
      SecureRandom random)
      throws IOException {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(keyFile);
    Set<PosixFilePermission> loose = EnumSet.copyOf(permissions);
    loose.removeAll(
        EnumSet.of(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE));
    if (!loose.isEmpty()) {
      throw new IllegalStateException(
          keyFile
              + " is accessible by group or others ("
              + PosixFilePermissions.toString(permissions)
              + "): run chmod 600 "
              + keyFile);
    }
    PrivateKey key;
    try {
      key = Pem.parsePrivateKey(read(keyFile));
    } catch (CryptoException e) {
      throw new IllegalStateException(keyFile + " is not a usable CA key: " + e.getMessage(), e);
    }
    X509Certificate certificate;
    try {
      certificate = Pem.parseCertificate(read(certificateFile));
    } catch (CryptoException e) {
      throw new IllegalStateException(
          certificateFile + " is not a usable CA certificate: " + e.getMessage(), e);
    }
    if (!Signing.matches(key, certificate.getPublicKey())) {
      throw new IllegalStateException(
          keyFile.getFileName()
              + " does not match "
              + certificateFile.getFileName()
              + " in "
              + dir);
    }
    if (certificate.getBasicConstraints() < 0) {
      throw new IllegalStateException(certificateFile + " is not a CA certificate");
    }
    if (!certificate.getNotAfter().toInstant().isAfter(clock.instant())) {
      throw new IllegalStateException(
          certificateFile + " expired on " + certificate.getNotAfter().toInstant());
    }
    CertificateAuthority ca;
    try {
      ca = new CertificateAuthority(key, certificate, settings, clock, random);
    } catch (CryptoException e) {
      throw new IllegalStateException(
          certificateFile + " is not a usable CA certificate: " + e.getMessage(), e);
    }
    LOG.info(
        "loaded CA certificate {} serial={} notAfter={}",
        certificateFile,
        certificate.getSerialNumber().toString(16),
        certificate.getNotAfter().toInstant());
    return ca;
  }

  static String read(Path file) throws IOException {
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new IllegalStateException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
    }
    return Files.readString(file, StandardCharsets.US_ASCII);
  }
}
