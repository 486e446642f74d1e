package io.doorpair.sipedge.metrics;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;

/** Why a TLS handshake with a client failed, told from the exception the TLS engine threw. */
public enum HandshakeFailure {
  /** The client sent no certificate where one is required. */
  NO_CERTIFICATE("no_certificate"),
  /** The certificate does not chain to the portal CA. */
  UNKNOWN_CA("unknown_ca"),
  /** The certificate is revoked (in the CRL, or in the store). */
  REVOKED("revoked"),
  /** The certificate is outside its validity period. */
  EXPIRED("expired"),
  /**
   * No handshake completed within the deadline after the connection was accepted (a client that
   * connects and says nothing, or stalls halfway).
   */
  TIMEOUT("timeout"),
  /** Anything else: not TLS at all, no common protocol or cipher, a closed connection. */
  OTHER("other");

  private static final int MAX_CAUSES = 16;

  private final String label;

  HandshakeFailure(String label) {
    this.label = label;
  }

  /**
   * The value of the {@code reason} label: {@code no_certificate}, {@code unknown_ca}, {@code
   * revoked}, {@code expired}, {@code timeout}, {@code other}.
   */
  public String label() {
    return label;
  }

  /**
   * The reason behind {@code failure} and its causes. The JDK reports a refused client certificate
   * as an {@code SSLHandshakeException} whose cause is the trust manager's {@code
   * CertificateException}; the trust managers of this project say "revoked" in theirs.
   */
  public static HandshakeFailure classify(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (message.contains("revoked")) {
        return REVOKED;
      }
      if (t instanceof CertificateExpiredException
          || t instanceof CertificateNotYetValidException
          || message.contains("validity check failed")) {
        return EXPIRED;
      }
      if (t instanceof CertPathValidatorException validator
          && validator.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
        return EXPIRED;
      }
      if (message.contains("empty client certificate chain")
          || message.contains("empty certificate chain")
          || message.contains("certificate_required")) {
        return NO_CERTIFICATE;
      }
      if (t instanceof CertPathValidatorException
          || message.contains("pkix path")
          || message.contains("unable to find valid certification path")
          || message.contains("no trusted certificate")
          || message.contains("signature check failed")) {
        return UNKNOWN_CA;
      }
    }
    return OTHER;
  }
}
