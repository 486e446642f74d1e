package io.doorpair.welcome.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.doorpair.crypto.CertificateIdentity;
import io.doorpair.crypto.CryptoException;
import io.doorpair.crypto.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A profile folder: the state of one paired device.
 *
 * <pre>
 * profile.json          settings (portal, user, SIP domain, instance, GRUU); written last at pairing
 * key.pem               the device's RSA private key, PKCS#8 PEM, 0600
 * certificate.pem       its certificate from the portal CA
 * ca.pem                the portal CA, pinned at pairing
 * cursor                the events cursor
 * accounts/DOMAIN.json  one approved account per gateway, 0600
 * renewal.pem           only between the steps of a renewal that changed the CA (a CA rotation)
 * </pre>
 *
 * <p>Every file is written atomically ({@link AtomicFiles}). Pairing writes the key and the
 * certificates first and {@code profile.json} last: a profile without {@code profile.json} is not
 * paired, whatever else it holds. Every read checks that the files belong together (the key is the
 * certificate's, the certificate is signed by the pinned CA and carries the profile's CN and
 * instance), so a hand-edited or half-copied folder is an error, never a silent mix.
 *
 * <p>A renewal under a new portal CA (a CA rotation) replaces two files that only check out
 * together, {@code certificate.pem} and {@code ca.pem}. It first writes both into one file, {@code
 * renewal.pem} (atomically: that is its commit point), then each of them, then deletes {@code
 * renewal.pem}. Every load of the identity first finishes such a renewal if {@code renewal.pem}
 * exists, so a crash at any point leaves the old pair or the new pair, never a mix. The key does
 * not change (a renewal keeps it).
 */
public final class Profile {
  static final String SETTINGS = "profile.json";
  static final String KEY = "key.pem";
  static final String CERTIFICATE = "certificate.pem";
  static final String CA = "ca.pem";
  static final String CURSOR = "cursor";
  static final String RENEWAL = "renewal.pem";
  static final String ACCOUNTS = "accounts";

  private static final int MAX_FILE_CHARS = 64 * 1024;
  private static final Pattern CURSOR_TEXT = Pattern.compile("[\\x21-\\x7e]{1,512}");
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private final Path folder;

  private Profile(Path folder) {
    this.folder = folder;
  }

  /**
   * The profile in a folder; nothing is read or created yet.
   *
   * @param folder the profile folder
   * @return the profile
   */
  public static Profile at(Path folder) {
    return new Profile(Objects.requireNonNull(folder, "folder").toAbsolutePath().normalize());
  }

  /**
   * The folder.
   *
   * @return its absolute path
   */
  public Path folder() {
    return folder;
  }

  /**
   * Whether pairing completed here ({@code profile.json} exists).
   *
   * @return true once paired
   */
  public boolean isPaired() {
    return Files.isRegularFile(folder.resolve(SETTINGS));
  }

  /**
   * The private key file (PKCS#8 PEM, 0600), for programs such as linphone that read it.
   *
   * @return its path
   */
  public Path keyFile() {
    return folder.resolve(KEY);
  }

  /**
   * The certificate file (PEM).
   *
   * @return its path
   */
  public Path certificateFile() {
    return folder.resolve(CERTIFICATE);
  }

  /**
   * The pinned portal CA file (PEM).
   *
   * @return its path
   */
  public Path caFile() {
    return folder.resolve(CA);
  }

  /**
   * Loads and cross-checks the paired identity.
   *
   * @return the settings, key, certificate and CA
   * @throws ProfileException when not paired, unreadable, or when the files do not belong together
   */
  public PairedIdentity identity() {
    ProfileSettings settings = settings();
    PrivateKey key = readKey();
    finishRenewal(settings, key);
    X509Certificate certificate = readCertificate(CERTIFICATE);
    X509Certificate ca = readCertificate(CA);
    PairedIdentity identity = new PairedIdentity(settings, key, certificate, ca);
    check(identity);
    return identity;
  }

  /**
   * The settings.
   *
   * @return {@code profile.json}
   * @throws ProfileException when not paired or unreadable
   */
  public ProfileSettings settings() {
    if (!isPaired()) {
      throw new ProfileException("profile " + folder + " is not paired: run welcome pair first");
    }
    return readJson(SETTINGS, ProfileSettings.class);
  }

  /**
   * Stores a new pairing: key (0600), certificate, CA, then settings. Refused in a profile that is
   * already paired (a device pairs once; revoke it and use a new profile to pair again).
   *
   * @param identity the checked identity
   * @throws ProfileException when already paired, the files do not belong together, or a write
   *     fails (the profile then stays unpaired)
   */
  public void storePairing(PairedIdentity identity) {
    check(identity);
    if (isPaired()) {
      throw new ProfileException("profile " + folder + " is already paired");
    }
    try {
      AtomicFiles.createPrivateFolder(folder);
      AtomicFiles.writeSecret(keyFile(), Pem.privateKey(identity.key()));
      AtomicFiles.writePublic(certificateFile(), Pem.certificate(identity.certificate()));
      AtomicFiles.writePublic(caFile(), Pem.certificate(identity.ca()));
      AtomicFiles.writePublic(folder.resolve(SETTINGS), toJson(identity.settings()));
    } catch (IOException e) {
      throw new ProfileException("cannot write profile " + folder + ": " + e.getMessage(), e);
    }
  }

  /**
   * Replaces the certificate after a renewal (same key, same CN and instance, same CA).
   *
   * @param renewed the new certificate
   * @throws ProfileException when it does not belong to this profile, or the write fails (the old
   *     certificate then stays)
   */
  public void replaceCertificate(X509Certificate renewed) {
    replaceCertificate(renewed, identity().ca());
  }

  /**
   * Replaces the certificate after a renewal, and the pinned CA with it when the portal CA was
   * rotated (the caller checked the rotation: {@code PortalClient#renew}). Same key, CN and
   * instance; the certificate must be signed by {@code ca}. A new CA goes through {@code
   * renewal.pem} (see the class comment): a crash leaves the old or the new pair.
   *
   * @param renewed the new certificate
   * @param ca the CA that signed it: the pinned one, or the portal's new CA
   * @throws ProfileException when they do not belong to this profile, or a write fails (the old
   *     certificate and CA then stay, or the new pair is completed at the next load)
   */
  public void replaceCertificate(X509Certificate renewed, X509Certificate ca) {
    PairedIdentity current = identity();
    PairedIdentity next = new PairedIdentity(current.settings(), current.key(), renewed, ca);
    check(next);
    if (ca.equals(current.ca())) {
      try {
        AtomicFiles.writePublic(certificateFile(), Pem.certificate(renewed));
      } catch (IOException e) {
        throw new ProfileException("cannot write " + certificateFile() + ": " + e.getMessage(), e);
      }
      return;
    }
    Path journal = folder.resolve(RENEWAL);
    try {
      AtomicFiles.writePublic(journal, Pem.certificate(renewed) + Pem.certificate(ca));
    } catch (IOException e) {
      throw new ProfileException("cannot write " + journal + ": " + e.getMessage(), e);
    }
    complete(renewed, ca);
  }

  /** Completes a renewal whose {@code renewal.pem} was written (a crash may have stopped it). */
  private void finishRenewal(ProfileSettings settings, PrivateKey key) {
    Path journal = folder.resolve(RENEWAL);
    if (!Files.isRegularFile(journal)) {
      return;
    }
    List<X509Certificate> pair;
    try {
      pair = Pem.parseCertificates(read(RENEWAL));
    } catch (CryptoException | IllegalArgumentException e) {
      throw new ProfileException(journal + " does not hold a certificate and a CA");
    }
    if (pair.size() != 2) {
      throw new ProfileException(journal + " does not hold a certificate and a CA");
    }
    try {
      check(new PairedIdentity(settings, key, pair.get(0), pair.get(1)));
    } catch (ProfileException e) {
      throw new ProfileException(journal + " does not belong to this profile: " + e.getMessage());
    }
    complete(pair.get(0), pair.get(1));
  }

  private void complete(X509Certificate renewed, X509Certificate ca) {
    try {
      AtomicFiles.writePublic(certificateFile(), Pem.certificate(renewed));
      AtomicFiles.writePublic(caFile(), Pem.certificate(ca));
      AtomicFiles.delete(folder.resolve(RENEWAL));
    } catch (IOException e) {
      throw new ProfileException(
          "cannot finish the renewal in "
              + folder
              + " (completed at the next load): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The stored account for a gateway.
   *
   * @param domain the gateway DOMAIN
   * @return the account, or empty when none was received yet
   * @throws ProfileException when the file is unreadable
   */
  public Optional<StoredAccount> account(String domain) {
    Path file = accountFile(domain);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    StoredAccount account = readJson(ACCOUNTS + "/" + file.getFileName(), StoredAccount.class);
    if (!account.domain().equals(domain)) {
      throw new ProfileException(file + " holds the account of another gateway");
    }
    return Optional.of(account);
  }

  /**
   * Every stored account, by DOMAIN.
   *
   * @return the accounts
   * @throws ProfileException when a file is unreadable
   */
  public List<StoredAccount> accounts() {
    Path dir = folder.resolve(ACCOUNTS);
    List<StoredAccount> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    List<String> domains = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        domains.add(name.substring(0, name.length() - ".json".length()));
      }
    } catch (IOException e) {
      throw new ProfileException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    domains.sort(null);
    for (String d : domains) {
      if (StoredAccount.DOMAIN.matcher(d).matches()) {
        account(d).ifPresent(out::add);
      }
    }
    return out;
  }

  /**
   * Stores (or replaces) the account of a gateway, 0600.
   *
   * @param account the account
   * @throws ProfileException when the write fails (the previous file then stays)
   */
  public void storeAccount(StoredAccount account) {
    settings();
    try {
      AtomicFiles.createPrivateFolder(folder.resolve(ACCOUNTS));
      AtomicFiles.writeSecret(accountFile(account.domain()), toJson(account));
    } catch (IOException e) {
      throw new ProfileException("cannot store the account: " + e.getMessage(), e);
    }
  }

  /**
   * The events cursor.
   *
   * @return the cursor, or empty before the first page
   * @throws ProfileException when the file is unreadable or malformed
   */
  public Optional<String> cursor() {
    Path file = folder.resolve(CURSOR);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String text = read(CURSOR).trim();
    if (!CURSOR_TEXT.matcher(text).matches()) {
      throw new ProfileException(file + " does not hold a cursor");
    }
    return Optional.of(text);
  }

  /**
   * Stores the events cursor.
   *
   * @param cursor the cursor the portal returned
   * @throws ProfileException when the write fails, or the cursor is not printable ASCII
   */
  public void storeCursor(String cursor) {
    if (!CURSOR_TEXT.matcher(cursor).matches()) {
      throw new ProfileException("the portal's cursor is not 1-512 printable ASCII characters");
    }
    try {
      AtomicFiles.writePublic(folder.resolve(CURSOR), cursor + "\n");
    } catch (IOException e) {
      throw new ProfileException("cannot store the cursor: " + e.getMessage(), e);
    }
  }

  // --- checks and plumbing --------------------------------------------------------------------

  /**
   * Checks that an identity's parts belong together: the certificate is signed by the CA, holds the
   * key's public half, and carries the settings' CN and instance.
   *
   * @param identity the identity
   * @throws ProfileException naming the first mismatch
   */
  static void check(PairedIdentity identity) {
    X509Certificate certificate = identity.certificate();
    ProfileSettings settings = identity.settings();
    try {
      certificate.verify(identity.ca().getPublicKey());
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new ProfileException("the certificate is not signed by the portal CA");
    }
    if (!matches(identity.key(), certificate)) {
      throw new ProfileException("the certificate is not for this device's key");
    }
    CertificateIdentity id;
    try {
      id = CertificateIdentity.of(certificate);
    } catch (CryptoException | IllegalArgumentException e) {
      throw new ProfileException("the certificate is not an app certificate: " + e.getMessage());
    }
    if (!id.commonName().equalsIgnoreCase(settings.commonName())) {
      throw new ProfileException(
          "the certificate is for "
              + id.commonName()
              + ", not for "
              + settings.commonName()
              + ": refused");
    }
    if (!id.instance().equals(Optional.of(settings.instance()))) {
      throw new ProfileException("the certificate is not bound to this device's instance");
    }
  }

  private static boolean matches(PrivateKey key, X509Certificate certificate) {
    if (key instanceof java.security.interfaces.RSAPrivateCrtKey
        && certificate.getPublicKey() instanceof java.security.interfaces.RSAPublicKey) {
      java.security.interfaces.RSAPrivateCrtKey crt =
          (java.security.interfaces.RSAPrivateCrtKey) key;
      java.security.interfaces.RSAPublicKey pub =
          (java.security.interfaces.RSAPublicKey) certificate.getPublicKey();
      return crt.getModulus().equals(pub.getModulus())
          && crt.getPublicExponent().equals(pub.getPublicExponent());
    }
    if (key instanceof java.security.interfaces.RSAKey
        && certificate.getPublicKey() instanceof java.security.interfaces.RSAKey) {
      return ((java.security.interfaces.RSAKey) key)
          .getModulus()
          .equals(((java.security.interfaces.RSAKey) certificate.getPublicKey()).getModulus());
    }
    return false;
  }

  private Path accountFile(String domain) {
    if (!StoredAccount.DOMAIN.matcher(Objects.requireNonNull(domain, "domain")).matches()) {
      throw new IllegalArgumentException("DOMAIN must be 1-63 characters from [a-z0-9]");
    }
    return folder.resolve(ACCOUNTS).resolve(domain + ".json");
  }

  private PrivateKey readKey() {
    try {
      return Pem.parsePrivateKey(read(KEY));
    } catch (CryptoException | IllegalArgumentException e) {
      throw new ProfileException(keyFile() + " does not hold a private key");
    }
  }

  private X509Certificate readCertificate(String name) {
    try {
      return Pem.parseCertificate(read(name));
    } catch (CryptoException | IllegalArgumentException e) {
      throw new ProfileException(folder.resolve(name) + " does not hold a certificate");
    }
  }

  private <T> T readJson(String name, Class<T> type) {
    try {
      return JSON.readValue(read(name), type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new ProfileException(folder.resolve(name) + " is malformed");
    }
  }

  private String read(String name) {
    Path file = folder.resolve(name);
    try {
      if (Files.size(file) > MAX_FILE_CHARS) {
        throw new ProfileException(file + " is too large");
      }
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ProfileException(file + " is missing");
    } catch (IOException e) {
      throw new ProfileException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  @Override
  public String toString() {
    return "Profile[" + folder + "]";
  }
}
