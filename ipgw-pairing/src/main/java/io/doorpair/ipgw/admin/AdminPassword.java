package io.doorpair.ipgw.admin;

import io.doorpair.ipgw.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The local administrator's password, kept as a slow salted hash (PBKDF2-HMAC-SHA256, {@value
 * #ITERATIONS} iterations, 16-byte salt) in one line of {@code admin-password} (mode 0600) in the
 * data folder: {@code pbkdf2-sha256:ITERATIONS:SALT:HASH} (base64). The password itself is never
 * logged; a generated first password waits in {@code initial-admin-password} (0600) until the
 * owner's first login (or a password of their own) deletes it.
 */
public final class AdminPassword {
  /** PBKDF2 iterations for new hashes (OWASP's figure for PBKDF2-HMAC-SHA256). */
  public static final int ITERATIONS = 600_000;

  /** Shortest password accepted. */
  public static final int MIN_LENGTH = 12;

  /** Longest password accepted (bounds the hashing work of one login). */
  public static final int MAX_LENGTH = 128;

  /** Length of a generated password. */
  public static final int GENERATED_LENGTH = 20;

  private static final String FILE = "admin-password";

  /** The generated first password's file in the data folder (0600), until the first login. */
  public static final String INITIAL_FILE = "initial-admin-password";

  private static final String SCHEME = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final String ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  private final int iterations;
  private final byte[] salt;
  private final byte[] hash;
  private final Path dataDir;

  private AdminPassword(int iterations, byte[] salt, byte[] hash, Path dataDir) {
    this.iterations = iterations;
    this.salt = salt;
    this.hash = hash;
    this.dataDir = dataDir;
  }

  /**
   * The file that holds a generated first password until the owner's first login.
   *
   * @param dataDir the gateway's data folder
   * @return {@code DATA/initial-admin-password}
   */
  public static Path initialFile(Path dataDir) {
    return dataDir.resolve(INITIAL_FILE);
  }

  /**
   * Draws the first password, stores its hash, and writes the password itself to {@link
   * #initialFile} (mode 0600, atomically), where the owner reads it once: never to standard output,
   * which a service manager keeps in its journal.
   *
   * @param dataDir the data folder
   * @param random the source
   * @return the file holding the password
   */
  public static Path generateInitial(Path dataDir, SecureRandom random) {
    char[] password = generate(random);
    try {
      set(dataDir, password, random);
      Path file = initialFile(dataDir);
      AtomicFiles.write(file, new String(password) + "\n", AtomicFiles.SECRET);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + initialFile(dataDir), e);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /**
   * Deletes the generated first password's file, if any: the owner logged in, or set a password of
   * their own.
   *
   * @param dataDir the data folder
   * @return true when a file was deleted
   */
  public static boolean forgetInitial(Path dataDir) {
    try {
      return Files.deleteIfExists(initialFile(dataDir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + initialFile(dataDir), e);
    }
  }

  /**
   * The owner logged in: the generated first password's file, if still there, is deleted.
   *
   * @return true when a file was deleted
   */
  public boolean loggedIn() {
    return dataDir != null && forgetInitial(dataDir);
  }

  /**
   * The password file in a data folder.
   *
   * @param dataDir the gateway's data folder
   * @return its path
   */
  public static Path file(Path dataDir) {
    return dataDir.resolve(FILE);
  }

  /**
   * Whether a password was set.
   *
   * @param dataDir the data folder
   * @return true if the file exists
   */
  public static boolean isSet(Path dataDir) {
    return Files.exists(file(dataDir));
  }

  /**
   * Hashes and stores a new password (replacing any previous one).
   *
   * @param dataDir the data folder
   * @param password the password, {@value #MIN_LENGTH} to {@value #MAX_LENGTH} characters
   * @param random the salt's source
   * @throws IllegalArgumentException when too short or too long
   */
  public static void set(Path dataDir, char[] password, SecureRandom random) {
    checkLength(password);
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, ITERATIONS);
    Base64.Encoder b64 = Base64.getEncoder();
    String line =
        SCHEME + ":" + ITERATIONS + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
    try {
      Files.createDirectories(dataDir);
      AtomicFiles.write(file(dataDir), line + "\n", AtomicFiles.SECRET);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file(dataDir), e);
    }
  }

  /**
   * A new random password of {@value #GENERATED_LENGTH} letters and digits (no look-alikes).
   *
   * @param random the source
   * @return the password
   */
  public static char[] generate(SecureRandom random) {
    char[] password = new char[GENERATED_LENGTH];
    for (int i = 0; i < password.length; i++) {
      password[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return password;
  }

  /**
   * Loads the stored hash.
   *
   * @param dataDir the data folder
   * @return the stored password
   * @throws IllegalStateException when no password is set or the file is malformed
   */
  public static AdminPassword load(Path dataDir) {
    Path path = file(dataDir);
    String text;
    try {
      text = Files.readString(path).strip();
    } catch (IOException e) {
      throw new IllegalStateException("no admin password in " + path, e);
    }
    String[] parts = text.split(":", -1);
    try {
      if (parts.length != 4 || !parts[0].equals(SCHEME)) {
        throw new IllegalArgumentException("not " + SCHEME);
      }
      int iterations = Integer.parseInt(parts[1]);
      if (iterations < 10_000 || iterations > 10_000_000) {
        throw new IllegalArgumentException("iterations out of range");
      }
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] hash = Base64.getDecoder().decode(parts[3]);
      if (salt.length < 8 || hash.length != HASH_BITS / 8) {
        throw new IllegalArgumentException("bad salt or hash length");
      }
      return new AdminPassword(iterations, salt, hash, dataDir);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("malformed admin password file " + path, e);
    }
  }

  /**
   * Checks a typed password in constant time (for passwords of any length within the limits).
   *
   * @param typed the typed password
   * @return true if it is the password
   */
  public boolean matches(char[] typed) {
    Objects.requireNonNull(typed, "typed");
    if (typed.length == 0 || typed.length > MAX_LENGTH) {
      return false;
    }
    byte[] candidate = derive(typed, salt, iterations);
    try {
      return MessageDigest.isEqual(candidate, hash);
    } finally {
      Arrays.fill(candidate, (byte) 0);
    }
  }

  private static void checkLength(char[] password) {
    if (password.length < MIN_LENGTH || password.length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "the admin password must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
    }
    for (char c : password) {
      if (Character.isISOControl(c)) {
        throw new IllegalArgumentException("the admin password holds a control character");
      }
    }
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from the JDK", e);
    } finally {
      spec.clearPassword();
    }
  }

  /** Never shows the hash. */
  @Override
  public String toString() {
    return "AdminPassword[" + SCHEME + ", iterations=" + iterations + "]";
  }
}
