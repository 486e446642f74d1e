package io.doorpair.crypto.testing;

import io.doorpair.crypto.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shared pairing test vectors ({@code shared/testvectors/pairing-vectors.json}, DESIGN §5) with
 * the test key pair they were made with.
 *
 * <p>The shared folder is {@code $DOORPAIR_SHARED_DIR} (the parent pom's surefire configuration
 * sets it), else the first {@code shared} folder holding {@code testvectors} found by walking up
 * from the working directory.
 */
public final class PairingVectors {
  private static PairingVectors loaded;

  private final Path directory;
  private final String publicKeyHash;
  private final List<SecurityCodeCase> securityCodes;
  private final String plaintext;
  private final String ciphertextBase64;
  private final String certificatePem;
  private final String privateKeyPem;

  /**
   * One security code case.
   *
   * @param salt the 4-digit salt
   * @param innerInput the ASCII text hashed: {@code salt + ":" + public key hash}
   * @param outerSha256Hex SHA-256 of {@code innerInput}, lowercase hex
   * @param securityCode the expected 8-character code
   */
  public record SecurityCodeCase(
      String salt, String innerInput, String outerSha256Hex, String securityCode) {}

  @SuppressWarnings("unchecked")
  private PairingVectors(Path directory) throws IOException {
    this.directory = directory;
    Map<String, Object> root =
        (Map<String, Object>) MiniJson.parse(read(directory.resolve("pairing-vectors.json")));
    this.publicKeyHash = (String) ((Map<String, Object>) root.get("public_key_hash")).get("value");
    List<SecurityCodeCase> cases = new ArrayList<>();
    Map<String, Object> codes = (Map<String, Object>) root.get("security_code");
    for (Object o : (List<Object>) codes.get("cases")) {
      Map<String, Object> c = (Map<String, Object>) o;
      cases.add(
          new SecurityCodeCase(
              (String) c.get("salt"),
              (String) c.get("inner_input"),
              (String) c.get("outer_sha256_hex"),
              (String) c.get("security_code")));
    }
    this.securityCodes = List.copyOf(cases);
    Map<String, Object> encryption = (Map<String, Object>) root.get("sip_password_encryption");
    this.plaintext = (String) encryption.get("plaintext");
    this.ciphertextBase64 = (String) encryption.get("ciphertext_base64");
    this.certificatePem = read(directory.resolve((String) root.get("certificate_file")));
    this.privateKeyPem = read(directory.resolve((String) root.get("private_key_file")));
  }

  /** Loads the vectors once per JVM. */
  public static synchronized PairingVectors load() {
    if (loaded == null) {
      try {
        loaded = new PairingVectors(sharedDirectory().resolve("testvectors"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return loaded;
  }

  /** The shared folder (holding {@code testvectors/}). */
  public static Path sharedDirectory() {
    String env = System.getenv("DOORPAIR_SHARED_DIR");
    if (env != null && !env.isBlank() && Files.isDirectory(Paths.get(env, "testvectors"))) {
      return Paths.get(env).toAbsolutePath().normalize();
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared");
      if (Files.isDirectory(candidate.resolve("testvectors"))) {
        return candidate.normalize();
      }
    }
    throw new IllegalStateException(
        "shared/testvectors not found: set DOORPAIR_SHARED_DIR or run from inside the project");
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** The folder holding the vectors. */
  public Path directory() {
    return directory;
  }

  /** The expected public key hash of the test certificate. */
  public String publicKeyHash() {
    return publicKeyHash;
  }

  /** The security code cases, in file order. */
  public List<SecurityCodeCase> securityCodes() {
    return securityCodes;
  }

  /** The SIP password that {@link #ciphertextBase64()} encrypts. */
  public String plaintext() {
    return plaintext;
  }

  /** The OAEP ciphertext of {@link #plaintext()} to the test key, standard base64. */
  public String ciphertextBase64() {
    return ciphertextBase64;
  }

  /** The test certificate (self-signed) as PEM. */
  public String certificatePem() {
    return certificatePem;
  }

  /** The test private key as PEM. */
  public String privateKeyPem() {
    return privateKeyPem;
  }

  /** The test certificate. */
  public X509Certificate certificate() {
    return Pem.parseCertificate(certificatePem);
  }

  /** The test private key. */
  public PrivateKey privateKey() {
    return Pem.parsePrivateKey(privateKeyPem);
  }
}
