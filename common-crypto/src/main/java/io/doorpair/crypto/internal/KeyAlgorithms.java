package io.doorpair.crypto.internal;

import java.security.Key;
import java.util.Map;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/** Readable names of the public key algorithms a refusal may mention. */
public final class KeyAlgorithms {
  /** The rsaEncryption OID, the only key algorithm this system accepts. */
  public static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";

  private static final Map<String, String> NAMES =
      Map.of(
          "1.2.840.10045.2.1", "EC",
          "1.3.101.110", "X25519",
          "1.3.101.111", "X448",
          "1.3.101.112", "Ed25519",
          "1.3.101.113", "Ed448",
          "1.2.840.113549.1.1.10", "RSASSA-PSS",
          "1.2.840.113549.1.1.7", "RSAES-OAEP",
          "1.2.840.10040.4.1", "DSA");

  private KeyAlgorithms() {}

  /**
   * The usual name of a public key's algorithm, from its SubjectPublicKeyInfo when it has one (so
   * that the JDK's {@code EdDSA} key reads {@code Ed25519}), else from {@link Key#getAlgorithm()}.
   */
  public static String name(Key key) {
    byte[] encoded = "X.509".equals(key.getFormat()) ? key.getEncoded() : null;
    if (encoded != null) {
      try {
        return name(
            SubjectPublicKeyInfo.getInstance(encoded).getAlgorithm().getAlgorithm().getId());
      } catch (RuntimeException e) {
        // fall through to the provider's name
      }
    }
    return String.valueOf(key.getAlgorithm());
  }

  /** The usual name of a key algorithm OID, or the OID itself when unknown. */
  public static String name(String oid) {
    return NAMES.getOrDefault(oid, oid);
  }
}
