package io.doorpair.ca;

import io.doorpair.crypto.Pem;
import io.doorpair.crypto.RsaKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates the CA in a data folder, offline (no portal running on it), in steps that each leave a
 * folder {@link CaKeyFiles#loadKeyring} loads:
 *
 * <ol>
 *   <li>the new key and certificate are written as {@value #NEXT_KEY_FILE} and {@value
 *       #NEXT_CERTIFICATE_FILE} (each atomically);
 *   <li>the current key is copied to {@value #PREVIOUS_KEY_FILE};
 *   <li>the current certificate is copied to {@value #PREVIOUS_CERTIFICATE_FILE}: the commit point;
 *   <li>{@value #NEXT_KEY_FILE} is renamed over {@value CaKeyFiles#KEY_FILE}, then {@value
 *       #NEXT_CERTIFICATE_FILE} over {@value CaKeyFiles#CERTIFICATE_FILE}.
 * </ol>
 *
 * <p>{@link #recover} (run by every load) finishes a rotation interrupted after its commit point
 * and removes the leftovers of one interrupted before it, so the folder then holds either the old
 * CA alone or the new CA with the old one as previous. {@link #retireOld} removes {@value
 * #PREVIOUS_CERTIFICATE_FILE} (its commit point) and then {@value #PREVIOUS_KEY_FILE}.
 */
public final class CaRotation {
  /** The previous CA's key during the overlap (mode 0600). */
  public static final String PREVIOUS_KEY_FILE = "ca-previous-key.pem";

  /** The previous CA's certificate during the overlap. */
  public static final String PREVIOUS_CERTIFICATE_FILE = "ca-previous.pem";

  /** The new key while a rotation is being written (mode 0600). */
  public static final String NEXT_KEY_FILE = "ca-next-key.pem";

  /** The new certificate while a rotation is being written. */
  public static final String NEXT_CERTIFICATE_FILE = "ca-next.pem";

  /** The CA files a backup must hold (those present). */
  public static final List<String> CA_FILES =
      List.of(
          CaKeyFiles.KEY_FILE,
          CaKeyFiles.CERTIFICATE_FILE,
          PREVIOUS_KEY_FILE,
          PREVIOUS_CERTIFICATE_FILE);

  private static final Logger LOG = LoggerFactory.getLogger(CaRotation.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final int MAX_COMMON_NAME = 64;

  /** How far a rotation goes; tests stop it early to play a crash. */
  enum Step {
    NEXT_WRITTEN,
    PREVIOUS_KEY_WRITTEN,
    COMMITTED,
    KEY_SWITCHED,
    DONE
  }

  private CaRotation() {}

  /**
   * Makes a new CA key and self-signed certificate in {@code dir} and keeps the current CA as the
   * previous one. The new CA's CN is {@link CaSettings#caCommonName()} followed by the time of the
   * rotation, so that both CAs have distinct subjects.
   *
   * @return the new CA certificate
   * @throws IllegalStateException when {@code dir} has no CA, or a previous CA still (retire it
   *     first)
   */
  public static X509Certificate rotate(
      Path dir, CaSettings settings, Clock clock, SecureRandom random) {
    return rotate(dir, settings, clock, random, Step.DONE);
  }

  static X509Certificate rotate(
      Path dir, CaSettings settings, Clock clock, SecureRandom random, Step stopAfter) {
    Objects.requireNonNull(settings, "settings");
    requireCa(dir);
    CaKeyring ring = CaKeyFiles.loadKeyring(dir, settings, clock, random);
    if (Files.exists(dir.resolve(PREVIOUS_CERTIFICATE_FILE), LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalStateException(
          "the CA in "
              + dir
              + " was rotated already and the previous CA is still trusted: run portal ca"
              + " retire-old once every device renewed, then rotate again");
    }
    X509Certificate old = ring.current().certificate();
    String commonName = commonName(settings.caCommonName(), clock);
    if (old.getSubjectX500Principal().getName().equals("CN=" + commonName)) {
      throw new IllegalStateException("the CA was rotated this very second: wait and try again");
    }
    KeyPair keys = RsaKeys.generate(settings.keyBits(), random);
    CertificateAuthority next =
        CertificateAuthority.createSelfSigned(
            keys,
            new CaSettings(
                settings.keyBits(),
                settings.caValidity(),
                settings.clientValidity(),
                settings.serverValidity(),
                settings.backdate(),
                commonName),
            clock,
            random);
    try {
      write(dir, NEXT_KEY_FILE, Pem.privateKey(keys.getPrivate()), true);
      write(dir, NEXT_CERTIFICATE_FILE, Pem.certificate(next.certificate()), false);
      if (stopAfter == Step.NEXT_WRITTEN) {
        return next.certificate();
      }
      write(dir, PREVIOUS_KEY_FILE, CaKeyFiles.read(dir.resolve(CaKeyFiles.KEY_FILE)), true);
      if (stopAfter == Step.PREVIOUS_KEY_WRITTEN) {
        return next.certificate();
      }
      write(dir, PREVIOUS_CERTIFICATE_FILE, Pem.certificate(old), false);
      if (stopAfter == Step.COMMITTED) {
        return next.certificate();
      }
      AtomicFiles.commit(dir.resolve(NEXT_KEY_FILE), dir.resolve(CaKeyFiles.KEY_FILE));
      AtomicFiles.syncDirectory(dir);
      if (stopAfter == Step.KEY_SWITCHED) {
        return next.certificate();
      }
      AtomicFiles.commit(
          dir.resolve(NEXT_CERTIFICATE_FILE), dir.resolve(CaKeyFiles.CERTIFICATE_FILE));
      AtomicFiles.syncDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the new CA into " + dir, e);
    }
    LOG.info(
        "rotated the CA in {}: issuing serial={} cn={}, previous serial={} trusted until retired",
        dir,
        next.certificate().getSerialNumber().toString(16),
        commonName,
        old.getSerialNumber().toString(16));
    return next.certificate();
  }

  /**
   * Ends a rotation's overlap: the previous CA is no longer trusted and its key is deleted.
   *
   * @return the retired CA certificate
   * @throws IllegalStateException when there is no previous CA in {@code dir}
   */
  public static X509Certificate retireOld(Path dir) {
    requireCa(dir);
    try {
      recover(dir);
      Path certificate = dir.resolve(PREVIOUS_CERTIFICATE_FILE);
      if (!Files.exists(certificate, LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalStateException("there is no previous CA to retire in " + dir);
      }
      X509Certificate retired;
      try {
        retired = Pem.parseCertificate(CaKeyFiles.read(certificate));
      } catch (io.doorpair.crypto.CryptoException e) {
        throw new IllegalStateException(
            certificate + " is not a certificate: " + e.getMessage(), e);
      }
      Files.delete(certificate);
      AtomicFiles.syncDirectory(dir);
      Files.deleteIfExists(dir.resolve(PREVIOUS_KEY_FILE));
      AtomicFiles.syncDirectory(dir);
      LOG.info(
          "retired the previous CA serial={} in {}", retired.getSerialNumber().toString(16), dir);
      return retired;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot retire the previous CA in " + dir, e);
    }
  }

  /**
   * Brings a folder where a rotation was interrupted to a consistent state: after the commit point
   * ({@value #PREVIOUS_CERTIFICATE_FILE} and {@value #NEXT_CERTIFICATE_FILE} present) the renames
   * are finished; before it, the new files are removed.
   */
  static void recover(Path dir) throws IOException {
    Path nextKey = dir.resolve(NEXT_KEY_FILE);
    Path nextCertificate = dir.resolve(NEXT_CERTIFICATE_FILE);
    boolean committed =
        Files.exists(dir.resolve(PREVIOUS_CERTIFICATE_FILE), LinkOption.NOFOLLOW_LINKS);
    if (committed) {
      if (Files.exists(nextCertificate, LinkOption.NOFOLLOW_LINKS)) {
        if (Files.exists(nextKey, LinkOption.NOFOLLOW_LINKS)) {
          AtomicFiles.commit(nextKey, dir.resolve(CaKeyFiles.KEY_FILE));
        }
        AtomicFiles.commit(nextCertificate, dir.resolve(CaKeyFiles.CERTIFICATE_FILE));
        AtomicFiles.syncDirectory(dir);
        LOG.warn("finished a CA rotation that was interrupted after its commit point in {}", dir);
      }
      return;
    }
    boolean leftovers = false;
    for (String name : List.of(NEXT_KEY_FILE, NEXT_CERTIFICATE_FILE, PREVIOUS_KEY_FILE)) {
      leftovers |= Files.deleteIfExists(dir.resolve(name));
    }
    if (leftovers) {
      AtomicFiles.syncDirectory(dir);
      LOG.warn(
          "removed the files of a CA rotation (or retirement) interrupted before its commit point"
              + " in {}: the CA is unchanged",
          dir);
    }
  }

  private static void requireCa(Path dir) {
    Objects.requireNonNull(dir, "dir");
    if (!Files.exists(dir.resolve(CaKeyFiles.CERTIFICATE_FILE), LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalStateException(
          "no portal CA in " + dir + ": run portal serve once with this --data first");
    }
  }

  private static String commonName(String configured, Clock clock) {
    String base = configured.replaceFirst(" [0-9]{8}T[0-9]{6}Z$", "");
    String stamp = " " + STAMP.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    if (base.length() + stamp.length() > MAX_COMMON_NAME) {
      base = base.substring(0, MAX_COMMON_NAME - stamp.length());
    }
    return base + stamp;
  }

  private static void write(Path dir, String name, String pem, boolean secret) throws IOException {
    Path target = dir.resolve(name);
    Path staged =
        AtomicFiles.stage(
            target,
            pem.getBytes(StandardCharsets.US_ASCII),
            secret ? CaKeyFiles.OWNER_ONLY : CaKeyFiles.WORLD_READABLE);
    try {
      AtomicFiles.commit(staged, target);
    } finally {
      Files.deleteIfExists(staged);
    }
    AtomicFiles.syncDirectory(dir);
  }
}
