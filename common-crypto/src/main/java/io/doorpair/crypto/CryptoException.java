package io.doorpair.crypto;

import java.util.Objects;

/**
 * A refusal by this library, with a stable machine-readable {@link #code()} and an exact,
 * human-readable message that never contains secret material.
 *
 * <p>Codes used by this package: {@value #BAD_PEM}, {@value #BAD_CSR}, {@value #BAD_SIGNATURE},
 * {@value #UNSUPPORTED_KEY}, {@value #WEAK_KEY}, {@value #BAD_CIPHERTEXT}, {@value
 * #BAD_CERTIFICATE}, {@value #BAD_CODE}.
 */
public final class CryptoException extends RuntimeException {
  /** Input is not well-formed PEM, or a PEM block does not hold what its label says. */
  public static final String BAD_PEM = "bad_pem";

  /** A certificate signing request is malformed or breaks a rule of this library. */
  public static final String BAD_CSR = "bad_csr";

  /** A signature does not verify. */
  public static final String BAD_SIGNATURE = "bad_signature";

  /** A key is not an RSA key. */
  public static final String UNSUPPORTED_KEY = "unsupported_key";

  /** An RSA key is too short, too long, or has a public exponent other than 65537. */
  public static final String WEAK_KEY = "weak_key";

  /** A SIP password ciphertext cannot be decrypted; the message never says why. */
  public static final String BAD_CIPHERTEXT = "bad_ciphertext";

  /** A certificate cannot be read or does not carry the identity this system expects. */
  public static final String BAD_CERTIFICATE = "bad_certificate";

  /** A security code is malformed. */
  public static final String BAD_CODE = "bad_code";

  private final String code;

  /**
   * Creates a refusal.
   *
   * @param code a stable code, such as {@value #BAD_PEM}
   * @param message the exact message; never secret material
   */
  public CryptoException(String code, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * Creates a refusal caused by a lower-level failure.
   *
   * @param code a stable code, such as {@value #BAD_PEM}
   * @param message the exact message; never secret material
   * @param cause the lower-level failure
   */
  public CryptoException(String code, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** Returns the stable code of this refusal, such as {@value #BAD_PEM}. */
  public String code() {
    return code;
  }
}
